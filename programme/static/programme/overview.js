/* Programme overview charts, drawn with the Chart.js shipped in static/vendor. */
(function () {
  "use strict";
  var source = document.getElementById("programme-chart-data");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var formatRupiah = window.PasarPesantren.formatRupiah;
  var palette = ["#0f766e", "#14b8a6", "#d97706", "#9ca3af", "#7c3aed", "#2563eb", "#db2777", "#65a30d", "#0891b2", "#78716c"];

  function bar(id, series, horizontal) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: "bar",
      data: { labels: series.labels, datasets: [{ data: series.values, backgroundColor: "#0f766e" }] },
      options: {
        indexAxis: horizontal ? "y" : "x",
        animation: false,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (context) { return formatRupiah(context.raw); } } }
        },
        scales: horizontal
          ? { x: { beginAtZero: true, ticks: { precision: 0, callback: function (value) { return formatRupiah(value); } } } }
          : { y: { beginAtZero: true, ticks: { precision: 0, callback: function (value) { return formatRupiah(value); } } } }
      }
    });
  }

  var status = document.getElementById("chart-status");
  if (status) {
    new Chart(status, {
      type: "doughnut",
      data: { labels: data.status.labels, datasets: [{ data: data.status.values, backgroundColor: palette.slice(0, 4) }] },
      options: { animation: false, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } }
    });
  }
  bar("chart-sector", data.sector, false);
  bar("chart-kabupaten", data.kabupaten, true);
  document.documentElement.setAttribute("data-charts-ready", "true");
})();
