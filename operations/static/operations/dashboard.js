// Draws the dashboard's charts from the numbers the server put in #dashboard-data.
// Chart.js is served from this app's static folder (vendor/), never from a CDN.
(function () {
  "use strict";

  function draw() {
    var data = JSON.parse(document.getElementById("dashboard-data").textContent);
    var style = getComputedStyle(document.documentElement);
    var colour = style.getPropertyValue("--link-fg").trim() || "#447e9b";
    var text = style.getPropertyValue("--body-fg").trim() || "#333";
    document.querySelectorAll("canvas[data-series]").forEach(function (canvas) {
      new window.Chart(canvas, {
        type: "bar",
        data: {
          labels: data.days.map(function (day) { return day.slice(5); }),
          datasets: [{
            label: canvas.dataset.label,
            data: data[canvas.dataset.series],
            backgroundColor: colour,
          }],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: {
            x: { ticks: { color: text } },
            y: { beginAtZero: true, ticks: { color: text, precision: 0 } },
          },
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
