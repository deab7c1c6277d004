/* postmortem-kb: the light and dark switch in the header (form[data-pmkb-palette]).
 *
 * It is Material's switch: pmkb's copy of Material's partials/palette.html (generator/theme/)
 * differs only in not asking Material to work it, and says why. This script keeps Material's
 * inputs, its stored choice (Material's own script in the header applies it to the next page
 * before that page is drawn) and the body's colour attributes, and restyles the page only when
 * its colours change. The header is not replaced by Material's instant loading, so this runs
 * once.
 */
(function () {
  "use strict";

  var COLORS = ["media", "scheme", "primary", "accent"];

  function colorsOf(form, input) {
    var colors = {};
    COLORS.forEach(function (key) {
      colors[key] = input.getAttribute("data-md-color-" + key);
    });
    if (colors.media !== "(prefers-color-scheme)") return colors;
    // "Follow the system": the colours of the light or the dark option, whichever it is now.
    var light = window.matchMedia("(prefers-color-scheme: light)").matches;
    var now = form.querySelector(
      "[data-md-color-media='(prefers-color-scheme: " + (light ? "light" : "dark") + ")']"
    );
    if (now) {
      COLORS.slice(1).forEach(function (key) { // all but the media query
        colors[key] = now.getAttribute("data-md-color-" + key);
      });
    }
    return colors;
  }

  // Shows the toggle of the chosen option. The page is restyled only when its colours change:
  // a change of the body's attributes makes the browser style every element again.
  function choosePalette(form, inputs, index) {
    var colors = colorsOf(form, inputs[index]);
    var body = document.body;
    var changed = COLORS.some(function (key) {
      return key !== "media" && colors[key] !== body.getAttribute("data-md-color-" + key);
    });
    if (changed) {
      body.setAttribute("data-md-color-switching", ""); // no transitions while colours change
      setTimeout(function () {
        body.removeAttribute("data-md-color-switching");
      });
    }
    COLORS.forEach(function (key) {
      if (colors[key] !== null) body.setAttribute("data-md-color-" + key, colors[key]);
    });
    inputs.forEach(function (input, n) {
      var label = input.nextElementSibling;
      if (label instanceof HTMLElement) label.hidden = n !== index;
    });
    inputs[index].checked = true;
    if (typeof window.__md_set === "function") {
      window.__md_set("__palette", { index: index, color: colors });
    }
    describeLater();
  }

  // The browser's theme-color (a phone's address bar) and color-scheme, read from the header
  // once the page has loaded and is idle: reading them makes the browser bring the page's styles
  // up to date at once (20 ms as the page opened, or as the reader's first search opened).
  function describeLater() {
    var idle = function () {
      if (window.requestIdleCallback) {
        window.requestIdleCallback(describePalette);
      } else {
        setTimeout(describePalette, 200);
      }
    };
    if (document.readyState === "complete") {
      idle();
    } else {
      window.addEventListener("load", idle, { once: true });
    }
  }

  function describePalette() {
    var header = document.querySelector("[data-md-component=header]");
    if (!header) return;
    var style = window.getComputedStyle(header);
    var rgb = (style.backgroundColor.match(/\d+/g) || []).slice(0, 3);
    metaNamed("color-scheme").content = style.colorScheme;
    if (rgb.length === 3) {
      metaNamed("theme-color").content = "#" + rgb.map(function (value) {
        return ("0" + (+value).toString(16)).slice(-2);
      }).join("");
    }
  }

  function metaNamed(name) {
    var meta = document.head.querySelector("meta[name='" + name + "']");
    if (!meta) {
      meta = document.createElement("meta");
      meta.name = name;
      document.head.appendChild(meta);
    }
    return meta;
  }

  // Material's stored choice, if any: reading it throws where storage is off or the value is
  // not JSON, which must not stop the rest of this script.
  function storedPalette() {
    try {
      return window.__md_get("__palette");
    } catch (error) {
      return null;
    }
  }

  function setupPalette(form) {
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input[name=__palette]"));
    if (!inputs.length) return;
    var stored = storedPalette();
    var index = stored && Number.isInteger(stored.index) ? stored.index : inputs.findIndex(
      function (input) {
        return window.matchMedia(input.getAttribute("data-md-color-media")).matches;
      }
    );
    index = Math.max(0, Math.min(index, inputs.length - 1));
    choosePalette(form, inputs, index);
    form.addEventListener("change", function (event) {
      var chosen = inputs.indexOf(event.target);
      if (chosen < 0) return;
      index = chosen;
      choosePalette(form, inputs, index);
    });
    form.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      var next = inputs[(index + 1) % inputs.length];
      next.click();
      next.focus();
    });
    // "Follow the system" follows it while the page is open.
    window.matchMedia("(prefers-color-scheme: light)").addEventListener("change", function () {
      choosePalette(form, inputs, index);
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-pmkb-palette]"), setupPalette);
})();
