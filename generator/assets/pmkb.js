/* postmortem-kb: filters, sorting and grouping of the generated tables, and the charts' tooltips,
 * with no server.
 *
 * - form[data-pmkb-filters="<table id>"]: selects and inputs with data-pmkb-filter="<key>"
 *   narrow the table's rows by their data-<key> attribute ("tags" holds a JSON list, "text"
 *   matches the row's text). The state is kept in the URL query (?status=open&tag=db).
 * - table[data-pmkb-sortable]: a click on a th[data-sort="text|number|date"] sorts the rows by
 *   that column (a cell's data-value, else its text); a second click reverses.
 * - select[data-pmkb-group="<table id>"]: groups the rows of the table under header rows by
 *   incident, owner or priority.
 * - [data-pmkb-tip] in a chart: the mark's tooltip, made when the mouse first comes over it.
 * - Material's search box: text that comes without a key (pasted, an input method's) is searched.
 *
 * Material's instant loading replaces pages without reloading scripts, so setup runs on each
 * page through Material's document$ observable when it exists, else once on load.
 */
(function () {
  "use strict";

  function rowsOf(table) {
    return Array.prototype.filter.call(table.tBodies[0].rows, function (row) {
      return !row.classList.contains("pmkb-group-row");
    });
  }

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    if (!cell) return "";
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
    raw = (raw || "").trim();
    if (type === "number") {
      var number = parseFloat(raw);
      return isNaN(number) ? -Infinity : number;
    }
    return raw.toLowerCase();
  }

  function compare(a, b) {
    if (a === b) return 0;
    if (a === "" || a === -Infinity) return 1; // empty cells last
    if (b === "" || b === -Infinity) return -1;
    return a < b ? -1 : 1;
  }

  /* Filters ------------------------------------------------------------------------------ */

  function setupFilters(form) {
    var table = document.getElementById(form.getAttribute("data-pmkb-filters"));
    if (!table || form.getAttribute("data-pmkb-ready")) return;
    form.setAttribute("data-pmkb-ready", "true");
    var controls = form.querySelectorAll("[data-pmkb-filter]");
    var count = form.querySelector(".pmkb-filter-count");
    var query = new URLSearchParams(window.location.search);

    Array.prototype.forEach.call(controls, function (control) {
      var wanted = query.get(control.name);
      if (wanted === null) return;
      if (control.tagName === "SELECT") {
        var known = Array.prototype.some.call(control.options, function (option) {
          return option.value === wanted;
        });
        if (known) control.value = wanted;
      } else {
        control.value = wanted;
      }
    });

    function matches(row, key, value) {
      if (!value) return true;
      if (key === "text") {
        return row.textContent.toLowerCase().indexOf(value.toLowerCase()) !== -1;
      }
      var data = row.getAttribute("data-" + key) || "";
      if (key === "tags" || key === "services") {
        try {
          return JSON.parse(data).indexOf(value) !== -1;
        } catch (error) {
          return false;
        }
      }
      return data === value;
    }

    function apply() {
      var rows = rowsOf(table);
      var shown = 0;
      var params = new URLSearchParams(window.location.search);
      Array.prototype.forEach.call(controls, function (control) {
        if (control.value) params.set(control.name, control.value);
        else params.delete(control.name);
      });
      rows.forEach(function (row) {
        var visible = Array.prototype.every.call(controls, function (control) {
          return matches(row, control.getAttribute("data-pmkb-filter"), control.value);
        });
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (count) count.textContent = shown + " of " + rows.length + " shown";
      var search = params.toString();
      var url = window.location.pathname + (search ? "?" + search : "") + window.location.hash;
      window.history.replaceState(window.history.state, "", url);
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("reset", function () {
      window.setTimeout(apply, 0); // after the browser has reset the controls
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    apply();
  }

  /* Sorting ------------------------------------------------------------------------------ */

  function sortTable(table, index, type, descending) {
    var rows = rowsOf(table);
    var keyed = rows.map(function (row, position) {
      return { row: row, key: cellValue(row, index, type), position: position };
    });
    keyed.sort(function (a, b) {
      var order = compare(a.key, b.key);
      if (descending && a.key !== "" && b.key !== "" && a.key !== -Infinity && b.key !== -Infinity) {
        order = -order;
      }
      return order || a.position - b.position;
    });
    var body = table.tBodies[0];
    keyed.forEach(function (entry) {
      body.appendChild(entry.row);
    });
    regroup(table);
  }

  function setupSorting(table) {
    if (table.getAttribute("data-pmkb-sort-ready")) return;
    table.setAttribute("data-pmkb-sort-ready", "true");
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (header, index) {
      var type = header.getAttribute("data-sort");
      if (!type) return;
      header.tabIndex = 0;
      function activate() {
        var descending = header.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(headers, function (other) {
          other.removeAttribute("aria-sort");
        });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortTable(table, index, type === "date" ? "text" : type, descending);
      }
      header.addEventListener("click", activate);
      header.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          activate();
        }
      });
    });
  }

  /* Grouping ----------------------------------------------------------------------------- */

  // Each grouping gives a row's group key and the group's label.
  var groupKeys = {
    incident: function (row) {
      return [row.getAttribute("data-incident-id") || "", row.getAttribute("data-incident") || ""];
    },
    owner: function (row) {
      var owner = row.getAttribute("data-owner") || "";
      return [owner, owner];
    },
    priority: function (row) {
      var priority = row.getAttribute("data-priority") || "";
      return [priority, priority];
    },
  };
  var emptyGroups = { incident: "(no incident)", owner: "(no owner)", priority: "(no priority)" };

  // Puts the rows under a header row for each group, as the table's select says; the table's
  // data-pmkb-grouped says how its rows stand grouped.
  function regroup(table) {
    var select = document.querySelector('select[data-pmkb-group="' + table.id + '"]');
    var body = table.tBodies[0];
    Array.prototype.slice.call(body.querySelectorAll("tr.pmkb-group-row")).forEach(function (row) {
      row.parentNode.removeChild(row);
    });
    var by = select && groupKeys[select.value] ? select.value : "";
    table.setAttribute("data-pmkb-grouped", by);
    if (!by) return;
    var rows = rowsOf(table);
    var order = [];
    var groups = {};
    var labels = {};
    rows.forEach(function (row) {
      var found = groupKeys[by](row);
      var key = found[0];
      if (!Object.prototype.hasOwnProperty.call(groups, key)) {
        groups[key] = [];
        labels[key] = found[1];
        order.push(key);
      }
      groups[key].push(row);
    });
    var columns = table.tHead ? table.tHead.rows[0].cells.length : 1;
    order.forEach(function (key) {
      var header = document.createElement("tr");
      header.className = "pmkb-group-row";
      var cell = document.createElement("th");
      cell.colSpan = columns;
      cell.textContent = (labels[key] || emptyGroups[by]) + " (" + groups[key].length + ")";
      header.appendChild(cell);
      body.appendChild(header);
      groups[key].forEach(function (row) {
        body.appendChild(row);
      });
    });
  }

  function setupGrouping(select) {
    var table = document.getElementById(select.getAttribute("data-pmkb-group"));
    if (!table || select.getAttribute("data-pmkb-ready")) return;
    select.setAttribute("data-pmkb-ready", "true");
    select.addEventListener("change", function () {
      regroup(table);
    });
    if (select.form) select.form.hidden = false;
    // The page comes grouped as the select first says: grouped again, a table of thousands of
    // rows took seconds more to open (every row moved, the whole table laid out again).
    if (table.getAttribute("data-pmkb-grouped") !== select.value) regroup(table);
  }

  /* Chart tooltips ----------------------------------------------------------------------- */

  // A chart's mark holds its words in data-pmkb-tip (generator/svg.py says why); the first time
  // the mouse comes over it, they become its <title>, which the browser shows as its tooltip.
  function addTip(event) {
    var mark = event.target;
    if (!(mark instanceof SVGElement) || !mark.hasAttribute("data-pmkb-tip")) return;
    if (mark.querySelector("title")) return;
    var title = document.createElementNS("http://www.w3.org/2000/svg", "title");
    title.textContent = mark.getAttribute("data-pmkb-tip");
    mark.appendChild(title);
  }

  document.addEventListener("mouseover", addTip);

  /* Search on input ---------------------------------------------------------------------- */

  // Material's search box searches when a key is released in it: a query that came without one
  // (pasted with the mouse, dropped, or finished in an input method, as Japanese is written)
  // waited for the next key. Each input is passed on to it as a key release, once a composition
  // is done; Material asks its worker again only when the query changed.
  function searchOnInput(event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.classList.contains("md-search__input")) return;
    if (event.isComposing) return;
    box.dispatchEvent(new KeyboardEvent("keyup"));
  }

  document.addEventListener("input", searchOnInput, true);

  /* Setup -------------------------------------------------------------------------------- */

  function setup() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-pmkb-filters]"), setupFilters);
    Array.prototype.forEach.call(document.querySelectorAll("table[data-pmkb-sortable]"), setupSorting);
    Array.prototype.forEach.call(document.querySelectorAll("select[data-pmkb-group]"), setupGrouping);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
