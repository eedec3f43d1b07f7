/* Pusat Penjual (loaded on every seller-centre and programme-centre page, deferred). Every page works
   without it. */

/* The navigation (the programme's tabs) scrolls sideways on a phone: bring the current page's entry into view. */
(function () {
    "use strict";
    var current = document.querySelector(".sc-nav [aria-current=page], .nav-tabs .nav-link.active");
    var nav = current && current.closest(".sc-nav, .nav-tabs");
    if (nav && nav.scrollWidth > nav.clientWidth) {
        nav.scrollLeft = current.offsetLeft - nav.offsetLeft - (nav.clientWidth - current.offsetWidth) / 2;
    }
}());

/* A print button on the packing slips. */
(function () {
    "use strict";
    document.querySelectorAll("[data-print]").forEach(function (button) {
        button.hidden = false;
        button.addEventListener("click", function () { window.print(); });
    });
}());

/* The product form's photos: previews of the picked photos, move them earlier or later, delete.
   Photos picked one by one (one camera shot at a time) add up instead of replacing each other.
   The order goes to the server in #photo-order: ids of saved photos and "new-<i>" for the i-th
   file of the input. Without this script the form still uploads the photos in the order picked. */
(function () {
    "use strict";
    var list = document.querySelector("[data-photo-list]");
    var input = document.querySelector("#product-form input[type=file][name=photos]");
    var order = document.getElementById("photo-order");
    if (!list || !input || !order || typeof DataTransfer === "undefined") { return; }
    var picked = [];  // File objects not yet uploaded, each shown by one <li data-new>

    function items() { return Array.prototype.slice.call(list.children); }

    function sync() {
        var transfer = new DataTransfer();
        var tokens = [];
        items().forEach(function (item) {
            if (item.hasAttribute("data-new")) {
                var file = picked[Number(item.getAttribute("data-new"))];
                tokens.push("new-" + transfer.files.length);
                transfer.items.add(file);
            } else {
                tokens.push(item.getAttribute("data-photo"));
            }
        });
        input.files = transfer.files;
        order.value = tokens.join(",");
        items().forEach(function (item, index) {
            item.classList.toggle("sc-photo-first", index === 0);
            item.setAttribute("data-first-label", list.getAttribute("data-first-label") || "");
            item.querySelectorAll("[data-move]").forEach(function (button) {
                var step = Number(button.getAttribute("data-move"));
                button.hidden = false;
                button.disabled = (step < 0 && index === 0) || (step > 0 && index === items().length - 1);
            });
        });
    }

    function tools(item, isNew) {
        var box = item.querySelector(".sc-photo-tools");
        if (!box) {
            box = document.createElement("span");
            box.className = "sc-photo-tools";
            item.appendChild(box);
        }
        if (isNew) {
            var remove = document.createElement("button");
            remove.type = "button";
            remove.className = "sc-photo-remove";
            remove.textContent = list.getAttribute("data-remove-label") || "×";
            remove.setAttribute("aria-label", list.getAttribute("data-remove-label") || "Remove");
            remove.addEventListener("click", function () { item.remove(); sync(); });
            var earlier = document.createElement("button");
            earlier.type = "button";
            earlier.className = "sc-photo-move";
            earlier.setAttribute("data-move", "-1");
            earlier.setAttribute("aria-label", list.getAttribute("data-earlier-label") || "Earlier");
            earlier.textContent = "←";
            var later = earlier.cloneNode(true);
            later.setAttribute("data-move", "1");
            later.setAttribute("aria-label", list.getAttribute("data-later-label") || "Later");
            later.textContent = "→";
            box.appendChild(earlier);
            box.appendChild(remove);
            box.appendChild(later);
        }
        box.querySelectorAll("[data-move]").forEach(function (button) {
            button.addEventListener("click", function () {
                var step = Number(button.getAttribute("data-move"));
                var sibling = step < 0 ? item.previousElementSibling : item.nextElementSibling;
                if (!sibling) { return; }
                list.insertBefore(item, step < 0 ? sibling : sibling.nextElementSibling);
                sync();
                button.focus();
            });
        });
        var checkbox = box.querySelector("input[name=delete_photo]");
        if (checkbox) {
            checkbox.addEventListener("change", function () { item.classList.toggle("sc-photo-deleted", checkbox.checked); });
        }
    }

    items().forEach(function (item) { tools(item, false); });
    input.classList.add("sc-visually-hidden");
    input.addEventListener("change", function () {
        // The server's complaint was about the photos picked before; these are new ones.
        document.querySelectorAll("#photo-errors, [data-reattach]").forEach(function (old) { old.hidden = true; });
        Array.prototype.forEach.call(input.files, function (file) {
            if (picked.indexOf(file) !== -1) { return; }
            picked.push(file);
            var item = document.createElement("li");
            item.className = "sc-photo sc-photo-new";
            item.setAttribute("data-new", String(picked.length - 1));
            var image = document.createElement("img");
            image.alt = file.name;
            image.width = 120;
            image.height = 120;
            image.src = URL.createObjectURL(file);
            item.appendChild(image);
            list.appendChild(item);
            tools(item, true);
        });
        sync();
    });
    sync();
}());

// Product form: variants (a row per size or colour). "Add a variant" copies the blank row's
// template; while a variant is named, the product's own price and stock give way to the variants'.
(function () {
    "use strict";
    var list = document.querySelector("[data-variant-list]");
    var template = document.getElementById("variant-template");
    var add = document.querySelector("[data-add-variant]");
    var total = document.querySelector("input[name=variant-TOTAL_FORMS]");
    var maximum = document.querySelector("input[name=variant-MAX_NUM_FORMS]");
    if (!list || !template || !add || !total) { return; }

    function sync() {
        var named = Array.prototype.some.call(list.querySelectorAll("[data-variant]"), function (row) {
            var label = row.querySelector("input[name$=-label]");
            var deleted = row.querySelector("input[name$=-DELETE]");
            return label && label.value.trim() !== "" && !(deleted && deleted.checked);
        });
        document.querySelectorAll("[data-single-stock]").forEach(function (box) { box.hidden = named; });
        document.querySelectorAll("[data-variant-note]").forEach(function (note) { note.hidden = !named; });
        add.hidden = maximum && Number(total.value) >= Number(maximum.value);
    }

    add.addEventListener("click", function () {
        var index = Number(total.value);
        var holder = document.createElement("div");
        holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
        var row = holder.firstElementChild;
        list.appendChild(row);
        total.value = String(index + 1);
        var label = row.querySelector("input[name$=-label]");
        if (label) { label.focus(); }
        sync();
    });
    list.addEventListener("input", sync);
    list.addEventListener("change", sync);
    sync();
}());
