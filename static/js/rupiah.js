/* The one rupiah formatter of the pages' scripts, the same rule as core/money.py's format_rupiah:
   whole rupiah rounded half up, dots between thousands, "Rp 150.000", "-Rp 5.000". */
(function () {
  "use strict";
  function formatRupiah(amount) {
    var number = Number(amount);
    if (amount === null || amount === "" || !isFinite(number)) { return ""; }
    var whole = Math.sign(number) * Math.round(Math.abs(number));
    var digits = String(Math.abs(whole)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return (whole < 0 ? "-" : "") + "Rp " + digits;
  }
  window.PasarPesantren = window.PasarPesantren || {};
  window.PasarPesantren.formatRupiah = formatRupiah;
})();
