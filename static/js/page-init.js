/* Page set-up without inline JavaScript, for our Content-Security-Policy (script-src 'self').
 *
 * Oscar's templates call their set-up functions from inline scripts (the `onbodyload` block) and
 * wire a few buttons with on* attributes; both are blocked by the policy. Instead a page names what
 * it needs in markup, and this file runs it:
 *   <div hidden data-page-init="basket" data-basket-url="/basket/"></div>   a set-up listed below
 *   <a href="#" data-history-back>cancel</a>                                 history.go(-1)
 *   <a href="#" data-close-window>cancel</a>                                 window.close() (popups)
 *   <button type="button" data-print>                                        window.print()
 *   <form data-confirm="Really?">                                            confirm before submitting
 * Only the set-ups named here can run: markup cannot call arbitrary functions.
 */
(function ($) {
  "use strict";

  function showSearchModalIfInvalid(data) {
    if (data.formErrors === "true") { $("#SearchModal").modal("show"); }
  }

  // Oscar's email previews: the e-mail's HTML sits escaped inside the iframe and is shown in it, so
  // its styles do not leak into the page.
  function showEmailPreview() {
    var frame = document.getElementById("preview_box");
    if (frame) { frame.srcdoc = frame.textContent; }
  }

  var setups = {
    storefront: function () { window.oscar.init(); },
    "checkout-gateway": function () { window.oscar.checkout.gateway.init(); },
    basket: function (data) { window.oscar.basket.init({basketURL: data.basketUrl}); },
    notifications: function () { window.oscar.notifications.init(); },
    wishlists: function () { window.oscar.customer.wishlists.init(); },
    "email-preview": showEmailPreview,

    dashboard: function (data) {
      // A link to a tab (page#tab) opens it, and the open tab is kept in the address for reloads.
      var hash = window.location.hash;
      if (hash) {
        $(".bs-docs-sidenav a").filter(function () { return this.getAttribute("href") === hash; }).tab("show");
      }
      $(".nav-list a").on("shown.bs.tab", function (event) { window.location.hash = event.target.hash; });
      window.oscar.dashboard.init({languageCode: data.languageCode});
    },
    "bulk-actions": function (data) {
      window.oscar.dashboard.bulk_actions.init();
      // The "select all" checkbox Oscar adds to the table's header has no label of its own.
      if (data.selectAllLabel) { $("input[name='select_all']").attr("aria-label", data.selectAllLabel); }
    },
    "search-modal": showSearchModalIfInvalid,
    // Oscar's template also calls orders.initTable(), which its dashboard.js (4.2) does not define.
    "order-detail": function () { window.oscar.dashboard.orders.initTabs(); },
    offers: function () { window.oscar.dashboard.offers.init(); },
    ranges: function (data) {
      window.oscar.dashboard.ranges.init();
      window.oscar.dashboard.reordering.init({wrapper: ".product_list", submit_url: data.reorderUrl});
    },
    reports: function () { window.oscar.dashboard.reports.init(); },
    "product-lists": function () { window.oscar.dashboard.product_lists.init(); },
    "product-attributes": function () { window.oscar.dashboard.product_attributes.init(); },
    "product-bulk-action": function (data) {
      window.oscar.dashboard.product_bulk_action.init({formBound: data.formBound === "true"});
    }
  };

  $(function () {
    $("[data-page-init]").each(function () {
      var name = this.getAttribute("data-page-init");
      if (!Object.prototype.hasOwnProperty.call(setups, name)) {
        window.console.error("page-init: no set-up called " + name);
        return;
      }
      setups[name](this.dataset);
    });
  });

  $(document).on("click", "[data-history-back]", function (event) {
    event.preventDefault();
    window.history.go(-1);
  });
  $(document).on("click", "[data-close-window]", function (event) {
    event.preventDefault();
    window.close();
  });
  $(document).on("click", "[data-print]", function (event) {
    event.preventDefault();
    window.print();
  });
  $(document).on("submit", "form[data-confirm]", function (event) {
    if (!window.confirm(this.getAttribute("data-confirm"))) { event.preventDefault(); }
  });

  // Oscar's image upload widget: once a chosen file shows as a preview, hide the upload button; a
  // file the browser cannot show brings it back with a warning. (Image events do not bubble, so
  // listen while they go down.)
  document.addEventListener("load", function (event) {
    var box = event.target.tagName === "IMG" && event.target.closest(".image-input");
    if (box) { $(box).find("button[id^='upload_button_']").hide(); }
  }, true);
  document.addEventListener("error", function (event) {
    var box = event.target.tagName === "IMG" && event.target.closest(".image-input");
    if (box && event.target.getAttribute("src")) {
      $(box).find("button[id^='upload_button_']").show();
      window.alert(event.target.getAttribute("data-invalid-message"));
    }
  }, true);
})(window.jQuery);
