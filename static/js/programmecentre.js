/* Pusat Program OPOP (loaded on every programme page, deferred). Every page works without it. */

/* On a phone each table row becomes a card (css/programmecentre.css): each cell gets its column's
   heading as data-label, which the stylesheet shows before the cell. Column spans are followed, so a
   cell under a heading that spans two columns takes that heading. */
(function () {
    "use strict";
    document.querySelectorAll("main table").forEach(function (table) {
        var headRows = table.tHead ? table.tHead.rows : [];
        if (!headRows.length) { return; }
        var labels = [];
        Array.prototype.forEach.call(headRows[headRows.length - 1].cells, function (cell) {
            for (var span = 0; span < cell.colSpan; span += 1) { labels.push(cell.textContent.trim()); }
        });
        Array.prototype.forEach.call(table.tBodies, function (body) { label(body.rows, labels); });
        if (table.tFoot) { label(table.tFoot.rows, labels); }
        table.setAttribute("data-stacked", "");
    });

    function label(rows, labels) {
        Array.prototype.forEach.call(rows, function (row) {
            var column = 0;
            Array.prototype.forEach.call(row.cells, function (cell) {
                // A cell across the whole row ("nothing yet") needs no heading.
                if (cell.colSpan < labels.length && labels[column] && !cell.hasAttribute("data-label")) {
                    cell.setAttribute("data-label", labels[column]);
                }
                column += cell.colSpan;
            });
        });
    }
}());
