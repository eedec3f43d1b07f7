/* Pusat Penjual: a print button on the packing slips (the page works without it). */
(function () {
    "use strict";
    document.querySelectorAll("[data-print]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () { window.print(); });
    });
}());
