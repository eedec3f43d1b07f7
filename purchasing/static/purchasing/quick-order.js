/* The bulk order page's quick-order grid. */
(function () {
  // Optional: more rows without a round trip, and the product and company price beside a typed SKU.
  var form = document.getElementById("quick-order-form");
  if (!form || !window.fetch) { return; }
  var total = form.querySelector("input[name$='-TOTAL_FORMS']");
  var maxRows = parseInt(form.querySelector("input[name$='-MAX_NUM_FORMS']").value, 10);
  var body = form.querySelector("#quick-order-grid tbody");
  var formatRupiah = window.PasarPesantren.formatRupiah;
  var addButton = document.getElementById("quick-order-add-rows");
  addButton.addEventListener("click", function (event) {
    event.preventDefault();
    var template = body.querySelector("tr.quick-order-row:last-child");
    for (var n = 0; n < 10; n++) {
      var index = parseInt(total.value, 10);
      if (index >= maxRows) { break; }
      var row = template.cloneNode(true);
      row.querySelector("td").textContent = index + 1;
      row.querySelectorAll("input").forEach(function (input) {
        input.name = input.name.replace(/-\d+-/, "-" + index + "-");
        input.id = input.id.replace(/-\d+-/, "-" + index + "-");
        input.value = "";
        input.classList.remove("is-invalid");
      });
      row.querySelectorAll(".invalid-feedback").forEach(function (node) { node.remove(); });
      row.querySelector(".quick-order-product").textContent = "";
      body.appendChild(row);
      total.value = index + 1;
    }
  });
  // One timer per row: a shared one would drop the lookup of a row left within the delay.
  var timers = new WeakMap();
  function lookup(row) {
    var sku = row.querySelector("input[name$='-sku']").value.trim();
    var quantity = row.querySelector("input[name$='-quantity']").value.trim();
    var pesantren = row.querySelector("input[name$='-pesantren']").value.trim();
    var cell = row.querySelector(".quick-order-product");
    if (!sku) { cell.textContent = ""; return; }
    var url = form.dataset.lookupUrl + "?" + new URLSearchParams({sku: sku, quantity: quantity || "1", pesantren: pesantren});
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        cell.textContent = "";
        var line = document.createElement("div");
        if (!data.found) {
          line.className = "text-danger";
          line.textContent = data.message;
        } else {
          line.textContent = data.title + " · " + data.pesantren + " · " + formatRupiah(data.unit_price);
          if (data.moq > 1) {
            var moq = document.createElement("div");
            moq.className = "text-muted";
            moq.textContent = form.dataset.moqLabel + ": " + data.moq;
            cell.appendChild(moq);
          }
        }
        cell.insertBefore(line, cell.firstChild);
      })
      .catch(function () { cell.textContent = ""; });
  }
  body.addEventListener("input", function (event) {
    var row = event.target.closest("tr");
    if (!row) { return; }
    clearTimeout(timers.get(row));
    timers.set(row, setTimeout(function () { lookup(row); }, 300));
  });
})();
