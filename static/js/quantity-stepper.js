/* The product page's quantity stepper: − and + buttons around a number field, kept within the
 * field's min and max (the wholesale minimum and the stock). The buttons are real buttons, so Tab,
 * Enter and Space work; the field keeps its own arrow keys. Without JavaScript the field alone works.
 */
(function () {
  "use strict";

  function bound(input, name) {
    var value = parseInt(input.getAttribute(name), 10);
    return isNaN(value) ? null : value;
  }

  function clamp(input, value) {
    var min = bound(input, "min");
    var max = bound(input, "max");
    if (isNaN(value)) value = min || 1;
    if (min !== null && value < min) value = min;
    if (max !== null && value > max) value = max;
    return value;
  }

  function refresh(form, input) {
    var value = parseInt(input.value, 10);
    var min = bound(input, "min");
    var max = bound(input, "max");
    form.querySelectorAll("[data-step]").forEach(function (button) {
      var step = parseInt(button.getAttribute("data-step"), 10);
      button.disabled = step < 0 ? (min !== null && value <= min) : (max !== null && value >= max);
    });
  }

  document.querySelectorAll("form[data-quantity-stepper]").forEach(function (form) {
    var input = form.querySelector("input[name=quantity]");
    if (!input) return;
    form.querySelectorAll("[data-step]").forEach(function (button) {
      button.addEventListener("click", function () {
        var step = parseInt(button.getAttribute("data-step"), 10);
        input.value = clamp(input, parseInt(input.value, 10) + step);
        refresh(form, input);
        // A disabled button loses the focus: keep it on the stepper for the next key press.
        if (button.disabled) input.focus();
      });
    });
    input.addEventListener("change", function () {
      input.value = clamp(input, parseInt(input.value, 10));
      refresh(form, input);
    });
    input.addEventListener("input", function () { refresh(form, input); });
    refresh(form, input);
  });
})();
