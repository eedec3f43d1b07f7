/*
 * Chained region selects (regions.forms.RegionChainMixin), progressively enhanced.
 *
 * A select with data-region-child="<name>" fetches its children from data-region-url?parent=CODE
 * when it changes and puts them into the select of that name, clearing every level below.
 * A select with data-region-postal-target="<name>" copies the chosen option's data-postal-code
 * into that field unless the user typed a postal code of their own.
 * The "Update choices" buttons ([data-region-refresh]) are only needed without this script, so
 * they are hidden; they come back if a request fails, so the form still works.
 */
(function () {
    "use strict";

    if (window.regionSelectLoaded) {
        return;
    }
    window.regionSelectLoaded = true;

    var requestCounter = 0;

    function fieldNamed(origin, name) {
        if (!name) {
            return null;
        }
        if (origin.form) {
            var found = origin.form.elements.namedItem(name);
            return found instanceof HTMLSelectElement || found instanceof HTMLInputElement ? found : null;
        }
        return document.getElementsByName(name)[0] || null;
    }

    function refreshButtons(select, visible) {
        var scope = select.closest("[data-region-chain]") || select.form || document;
        scope.querySelectorAll("[data-region-refresh]").forEach(function (element) {
            element.hidden = !visible;
        });
    }

    function setOptions(select, placeholder, results) {
        var options = [new Option(placeholder || "", "")];
        (results || []).forEach(function (region) {
            var option = new Option(region.name, region.code);
            if (region.postal_code) {
                option.setAttribute("data-postal-code", region.postal_code);
            }
            options.push(option);
        });
        select.replaceChildren.apply(select, options);
        select.value = "";
    }

    function fillPostalCode(select) {
        var target = fieldNamed(select, select.getAttribute("data-region-postal-target"));
        if (!target) {
            return;
        }
        var option = select.options[select.selectedIndex];
        var postalCode = option ? option.getAttribute("data-postal-code") || "" : "";
        var autofilled = target.getAttribute("data-region-autofilled");
        // Only overwrite what this script wrote itself, never a postal code the user typed.
        if (target.value === "" || target.value === autofilled) {
            target.value = postalCode;
            target.setAttribute("data-region-autofilled", postalCode);
        }
    }

    // Empties every level below `select`, each showing "choose ... first".
    function clearBelow(select) {
        var child = fieldNamed(select, select.getAttribute("data-region-child"));
        while (child) {
            child.setAttribute("data-region-request", String(++requestCounter));
            setOptions(child, child.getAttribute("data-region-waiting"), []);
            fillPostalCode(child);
            child = fieldNamed(child, child.getAttribute("data-region-child"));
        }
    }

    function loadChildren(select) {
        var child = fieldNamed(select, select.getAttribute("data-region-child"));
        var url = select.getAttribute("data-region-url");
        clearBelow(select);
        if (!child || !url || !select.value) {
            return;
        }
        var request = String(++requestCounter);
        child.setAttribute("data-region-request", request);
        child.setAttribute("aria-busy", "true");
        var separator = url.indexOf("?") === -1 ? "?" : "&";
        fetch(url + separator + "parent=" + encodeURIComponent(select.value), {
            headers: { Accept: "application/json" },
            credentials: "same-origin",
        })
            .then(function (response) {
                if (!response.ok) {
                    throw new Error("HTTP " + response.status);
                }
                return response.json();
            })
            .then(function (data) {
                // A later change of the parent wins over a slow earlier answer.
                if (child.getAttribute("data-region-request") !== request) {
                    return;
                }
                setOptions(child, child.getAttribute("data-region-placeholder"), data.results);
            })
            .catch(function () {
                refreshButtons(select, true);
            })
            .finally(function () {
                child.removeAttribute("aria-busy");
            });
    }

    document.addEventListener("change", function (event) {
        var select = event.target;
        if (!(select instanceof HTMLSelectElement)) {
            return;
        }
        if (select.hasAttribute("data-region-child")) {
            loadChildren(select);
        }
        if (select.hasAttribute("data-region-postal-target")) {
            fillPostalCode(select);
        }
    });

    function hideRefreshButtons() {
        document.querySelectorAll("[data-region-refresh]").forEach(function (element) {
            element.hidden = true;
        });
    }

    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", hideRefreshButtons);
    } else {
        hideRefreshButtons();
    }
})();
