/* The pesantren's sales overview charts, drawn with the Chart.js shipped in static/vendor. */
(function () {
  if (typeof Chart === "undefined") { return; }
  var data = JSON.parse(JSON.parse(document.getElementById("sales-chart-data").textContent));
  function draw(id, type, series, color) {
    new Chart(document.getElementById(id), {type: type, data: {labels: series.labels, datasets: [{data: series.values, backgroundColor: color}]}, options: {plugins: {legend: {display: false}}}});
  }
  draw("chart-weeks", "bar", data.weeks, "#0d6efd");
  draw("chart-months", "bar", data.months, "#198754");
  draw("chart-statuses", "bar", data.statuses, "#fd7e14");
})();
