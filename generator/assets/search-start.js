// pmkb: starts the search worker as the page opens, and hands it to Material when it asks.
//
// Material creates its search worker once its bundle, the last script of the page, has run:
// 0.3-0.5 s into a cold page on two cores, and the worker then took as long again to start and
// load the index's entry, while the search box already took keys. Inlined at the top of every
// page's head (generator/site_search.py puts the worker's address in), this starts pmkb's worker
// first; the first `new Worker` for the same address gets it. What the worker says before
// Material listens (READY) is held, and said again once Material listens to it: Material sends
// no query before READY. Written with whole-line comments only: they are dropped when inlined.
(function (address) {
  var Native = window.Worker;
  var held = [];
  var worker;
  try {
    address = new URL(address, document.baseURI).href;
    worker = new Native(address);
  } catch (error) {
    // No worker from here (a page opened from a file): Material's own try says so.
    return;
  }
  worker.addEventListener("message", function (event) {
    if (held) {
      held.push(event.data);
      event.stopImmediatePropagation();
    }
  });
  var listen = worker.addEventListener;
  worker.addEventListener = function (type, listener, options) {
    listen.call(this, type, listener, options);
    if (type === "message" && held) {
      setTimeout(function () {
        var said = held || [];
        held = null;
        said.forEach(function (data) {
          worker.dispatchEvent(new MessageEvent("message", { data: data }));
        });
      });
    }
  };
  window.Worker = function (url, options) {
    if (!worker || new URL(url, document.baseURI).href !== address) {
      return new Native(url, options);
    }
    window.Worker = Native;
    return worker;
  };
})(ADDRESS);
