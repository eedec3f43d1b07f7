// Show only the select that the chosen audience needs; without JavaScript every select stays visible.
(function () {
  var form = document.getElementById("rfq-form");
  if (!form) { return; }
  function update() {
    var chosen = form.querySelector("input[name='audience']:checked");
    var value = chosen ? chosen.value : "";
    form.querySelectorAll("[data-audience-field]").forEach(function (element) {
      element.hidden = element.getAttribute("data-audience-field") !== value;
    });
  }
  form.querySelectorAll("input[name='audience']").forEach(function (input) { input.addEventListener("change", update); });
  update();
})();
