/* The programme map: Jawa Barat's kecamatan coloured by their number of verified pesantren.
   Leaflet (static/vendor/leaflet) draws the shipped boundaries on a plain background; there is
   no tile server. Counts come from a JSON endpoint and are merged by Kemendagri code (`kode`). */
(function () {
  "use strict";
  var element = document.getElementById("programme-map");
  if (!element || typeof L === "undefined") { return; }
  var labels = element.dataset;
  var focus = element.dataset.focus || "";
  var BUCKETS = [
    { min: 1, max: 1, color: "#99f6e4", label: "1" },
    { min: 2, max: 3, color: "#2dd4bf", label: "2–3" },
    { min: 4, max: Infinity, color: "#0f766e", label: "4+" }
  ];
  var ZERO_COLOR = "#f97316";
  var NO_DATA_COLOR = "#d1d5db";

  function colorFor(counts) {
    if (!counts) { return NO_DATA_COLOR; }
    if (counts.verified === 0) { return ZERO_COLOR; }
    for (var i = 0; i < BUCKETS.length; i++) {
      if (counts.verified >= BUCKETS[i].min && counts.verified <= BUCKETS[i].max) { return BUCKETS[i].color; }
    }
    return NO_DATA_COLOR;
  }

  function inFocus(kode) { return !focus || kode.indexOf(focus + ".") === 0; }

  function tooltip(name, counts) {
    var box = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = name;
    box.appendChild(title);
    if (!counts) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(labels.labelNodata));
      return box;
    }
    var lines = [
      counts.kabupaten,
      labels.labelVerified + ": " + counts.verified,
      labels.labelSelling + ": " + counts.selling,
      labels.labelRegistered + ": " + counts.registered,
      labels.labelNominated + ": " + (counts.nominated || 0)
    ];
    lines.forEach(function (line) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(line));
    });
    return box;
  }

  function legend() {
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var box = L.DomUtil.create("div", "programme-map-legend");
      box.style.cssText = "background:#fff;padding:6px 8px;border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font-size:12px;line-height:18px";
      var title = document.createElement("strong");
      title.textContent = labels.labelLegend;
      box.appendChild(title);
      var rows = [{ color: ZERO_COLOR, label: "0 — " + labels.labelNone }].concat(BUCKETS).concat([{ color: NO_DATA_COLOR, label: labels.labelNodata }]);
      rows.forEach(function (row) {
        var line = document.createElement("div");
        var swatch = document.createElement("span");
        swatch.style.cssText = "display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle;border:1px solid #6b7280;background:" + row.color;
        line.appendChild(swatch);
        line.appendChild(document.createTextNode(row.label));
        box.appendChild(line);
      });
      return box;
    };
    return control;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) { throw new Error(url + ": " + response.status); }
      return response.json();
    });
  }

  var map = L.map(element, { zoomSnap: 0.25, attributionControl: false, preferCanvas: false });
  Promise.all([getJSON(element.dataset.boundariesUrl), getJSON(element.dataset.countsUrl), getJSON(element.dataset.outlineUrl)])
    .then(function (results) {
      var shapes = results[0], counts = results[1].kecamatan, outline = results[2];
      var layer = L.geoJSON(shapes, {
        style: function (feature) {
          var focused = inFocus(feature.properties.kode);
          var data = counts[feature.properties.kode];
          // A kecamatan without a nominee yet gets a dashed dark outline (in focus only).
          var noNominee = focused && data && !data.nominated;
          return {
            color: noNominee ? "#7c2d12" : "#ffffff", weight: noNominee ? 1.4 : 0.6, dashArray: noNominee ? "3" : null,
            fillOpacity: focused ? 0.85 : 0.25,
            fillColor: colorFor(data)
          };
        },
        onEachFeature: function (feature, shape) {
          var data = counts[feature.properties.kode];
          shape.bindTooltip(tooltip(feature.properties.nama, data), { sticky: true });
          shape.on("mouseover", function () { shape.setStyle({ weight: 2, color: "#111827" }); });
          shape.on("mouseout", function () { layer.resetStyle(shape); });
        }
      });
      // Leaflet draws layers only once the map has a view: fit the bounds before adding them.
      var bounds = L.latLngBounds([]);
      layer.eachLayer(function (shape) {
        if (inFocus(shape.feature.properties.kode)) { bounds.extend(shape.getBounds()); }
      });
      map.fitBounds(bounds.isValid() ? bounds : layer.getBounds(), { padding: [8, 8] });
      layer.addTo(map);
      L.geoJSON(outline, { style: { color: "#374151", weight: 1.2, fill: false }, interactive: false }).addTo(map);
      layer.eachLayer(function (shape) {
        var kode = shape.feature.properties.kode;
        var data = counts[kode];
        var path = shape.getElement();
        if (path) {
          path.setAttribute("data-kode", kode);
          path.setAttribute("data-verified", data ? data.verified : "");
          path.setAttribute("data-nominated", data ? data.nominated : "");
        }
      });
      legend().addTo(map);
      element.setAttribute("data-ready", "true");
    })
    .catch(function (error) {
      element.textContent = labels.labelError;
      element.setAttribute("data-ready", "error");
      if (window.console) { window.console.error(error); }
    });
})();
