// The web app's own script (the CSP allows scripts from this server only, none inline):
// a live count of what is left of a text's length, in code points as the server counts them.
(function () {
  "use strict";
  function bind(output) {
    var field = document.getElementById(output.getAttribute("data-count-for"));
    if (!field || output.dataset.bound) return;
    output.dataset.bound = "1";
    var max = parseInt(field.getAttribute("data-max-length") || "256", 10);
    var form = field.form;
    function update() {
      var left = max - Array.from(field.value).length;
      output.textContent = String(left);
      output.classList.toggle("over", left < 0);
      output.setAttribute("aria-label", left + " characters left");
      var button = form && form.querySelector("button[type=submit]");
      if (button) button.disabled = left < 0;
    }
    field.addEventListener("input", update);
    update();
  }
  function bindAll(root) {
    (root || document).querySelectorAll("output[data-count-for]").forEach(bind);
  }
  document.addEventListener("DOMContentLoaded", function () { bindAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { bindAll(event.target); });
})();
