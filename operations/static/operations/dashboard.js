// Draws the dashboard's charts from the numbers the server put in #dashboard-data.
// Each canvas names its labels (data-labels), its series (data-series, space-separated) and
// their legends (data-label, "|"-separated); data-axis="y" lays the bars sideways.
// Chart.js is served from this app's static folder (vendor/), never from a CDN.
(function () {
  "use strict";

  function draw() {
    var data = JSON.parse(document.getElementById("dashboard-data").textContent);
    var style = getComputedStyle(document.documentElement);
    var colours = [
      style.getPropertyValue("--link-fg").trim() || "#447e9b",
      "#c9733b", // an orange apart from the admin's blues, in light and dark themes
    ];
    var text = style.getPropertyValue("--body-fg").trim() || "#333";
    document.querySelectorAll("canvas[data-series]").forEach(function (canvas) {
      var names = canvas.dataset.series.split(" ");
      var legends = canvas.dataset.label.split("|");
      var labels = data[canvas.dataset.labels];
      var sideways = canvas.dataset.axis === "y";
      var counts = sideways ? "x" : "y";
      var scales = { x: { ticks: { color: text } }, y: { ticks: { color: text } } };
      scales[counts].beginAtZero = true;
      scales[counts].ticks.precision = 0;
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: canvas.dataset.labels === "days"
            ? labels.map(function (day) { return day.slice(5); })
            : labels,
          datasets: names.map(function (name, n) {
            return {
              label: legends[n],
              data: data[name],
              backgroundColor: colours[n % colours.length],
            };
          }),
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          indexAxis: sideways ? "y" : "x",
          plugins: { legend: { display: names.length > 1, labels: { color: text } } },
          scales: scales,
        },
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
