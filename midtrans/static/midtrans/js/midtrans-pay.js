// The Midtrans payment panel: countdown to the expiry, copy buttons, and polling our status endpoint
// (read-only) until the order leaves "Pending payment"; then on to the order page.
(function () {
  "use strict";
  var panel = document.getElementById("midtrans-charge");
  document.querySelectorAll(".mt-copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy-target"));
      if (!target || !navigator.clipboard) return;
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    });
  });
  if (!panel) return;
  var statusUrl = panel.getAttribute("data-status-url");
  var doneUrl = panel.getAttribute("data-done-url");
  var expiresAt = Date.parse(panel.getAttribute("data-expires-at") || "");
  var countdown = document.getElementById("countdown");

  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    if (!countdown || isNaN(expiresAt)) return;
    var left = Math.max(0, Math.floor((expiresAt - Date.now()) / 1000));
    if (left === 0) { countdown.textContent = panel.getAttribute("data-expired-text"); return; }
    var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
    countdown.textContent = (h ? h + ":" : "") + pad(m) + ":" + pad(s);
  }
  tick();
  setInterval(tick, 1000);

  function poll() {
    fetch(statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        if (data.order_status !== "Pending payment" || (data.charge_status && data.charge_status !== "pending" && data.charge_status !== "new")) {
          window.location.assign(data.order_status !== "Pending payment" ? doneUrl : window.location.href);
          return;
        }
        setTimeout(poll, 3000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 3000);
})();
