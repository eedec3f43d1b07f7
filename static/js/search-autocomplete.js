/* Search-as-you-type for the header search box, and auto-submitting sort selects.
 *
 * The input becomes an ARIA combobox: suggestions (products, pesantren, categories) come from the
 * form's data-autocomplete-url as the shopper types (debounced); arrow keys move through them,
 * Enter opens one, Escape closes the list. Without JavaScript the form is a plain search form.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 200;
  var MIN_LENGTH = 2;

  function setUp(form) {
    var input = form.querySelector("input[name=q]");
    var url = form.getAttribute("data-autocomplete-url");
    if (!input || !url) return;

    var listId = input.id + "-suggestions";
    var list = document.createElement("div");
    list.id = listId;
    list.className = "pp-suggestions list-group shadow-sm";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.getAttribute("data-label-suggestions") || "Suggestions");
    list.hidden = true;
    list.style.cssText = "position:absolute;top:100%;left:0;right:0;z-index:1050;max-height:70vh;overflow-y:auto;";
    var group = input.closest(".input-group") || input.parentNode;
    group.style.position = "relative";
    group.appendChild(list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var timer = null;
    var controller = null;
    var options = [];
    var active = -1;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      options.forEach(function (option, i) {
        var on = i === index;
        option.classList.toggle("active", on);
        option.setAttribute("aria-selected", on ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function section(title, items, label) {
      if (!items.length) return;
      var heading = document.createElement("div");
      heading.className = "list-group-item py-1 small text-uppercase text-muted bg-light";
      heading.setAttribute("role", "presentation");
      heading.textContent = title;
      list.appendChild(heading);
      items.forEach(function (item) {
        var option = document.createElement("a");
        option.className = "list-group-item list-group-item-action py-2";
        option.href = item.url;
        option.id = listId + "-" + options.length;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.tabIndex = -1;
        var main = document.createElement("span");
        main.textContent = label(item);
        option.appendChild(main);
        var extra = item.seller_name || item.kabupaten;
        if (extra) {
          var small = document.createElement("small");
          small.className = "text-muted d-block";
          small.textContent = extra;
          option.appendChild(small);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the input until the link opens
          window.location.href = item.url;
        });
        list.appendChild(option);
        options.push(option);
      });
    }

    function render(data) {
      list.innerHTML = "";
      options = [];
      active = -1;
      section(form.getAttribute("data-label-products") || "Products", data.products || [], function (i) { return i.title; });
      section(form.getAttribute("data-label-pesantren") || "Pesantren", data.pesantren || [], function (i) { return i.name; });
      section(form.getAttribute("data-label-categories") || "Categories", data.categories || [], function (i) { return i.name; });
      if (!options.length) {
        close();
        return;
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH) {
        close();
        return;
      }
      if (controller) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      var separator = url.indexOf("?") === -1 ? "?" : "&";
      fetch(url + separator + "q=" + encodeURIComponent(text), {
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && input.value.trim() === text) render(data);
        })
        .catch(function () { /* aborted or offline: the plain search still works */ });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          if (options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
          return;
        }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        var next = active + step;
        if (next < -1) next = options.length - 1;
        if (next >= options.length) next = -1;
        setActive(next);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        window.location.href = options[active].href;
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
  }

  function autoSubmit(form) {
    form.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { form.submit(); });
    });
  }

  function init() {
    document.querySelectorAll("form[data-autocomplete-url]").forEach(setUp);
    document.querySelectorAll("form[data-pp-autosubmit]").forEach(autoSubmit);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
