/* Wholesale prices of a stock record: "Add a row" adds an empty tier row from the formset's template. */
(function () {
  var button = document.getElementById("add_tier_row");
  var total = document.querySelector("#wholesale_form input[name$='-TOTAL_FORMS']");
  var template = document.getElementById("tier_row_template");
  var body = document.querySelector("#tier_table tbody");
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var holder = document.createElement("tbody");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, index);
    body.appendChild(holder.firstElementChild);
    total.value = index + 1;
  });
})();
