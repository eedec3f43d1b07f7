/* Listing filters: folded under a "Filter" button on a phone (the <details> starts closed), unfolded
 * as the sidebar on wider screens, and unfolded again if the window grows past a phone's width. */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 576px)");
  function apply() {
    document.querySelectorAll("details[data-filter-panel]").forEach(function (panel) {
      if (wide.matches) panel.open = true;
    });
  }
  apply();
  if (wide.addEventListener) wide.addEventListener("change", apply);
})();
