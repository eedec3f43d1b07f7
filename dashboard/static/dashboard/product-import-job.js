/* A product import still running: follow its status and progress, and reload the page when it ends. */
(function () {
  var box = document.getElementById("import-job");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      document.getElementById("job-status").textContent = data.status_display;
      var queued = document.getElementById("job-queued");
      if (queued && data.status !== "pending") { queued.hidden = true; }
      var bar = document.getElementById("job-progress");
      bar.style.width = data.progress + "%"; bar.textContent = data.progress + "%";
      if (data.finished) { window.location.reload(); } else { setTimeout(poll, 1500); }
    });
  }
  setTimeout(poll, 1000);
})();
