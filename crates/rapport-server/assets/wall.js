// Rapport dashboard, wall-screen mode: keeps the tiles current without a
// reload. The server formats every value (in the page's language); this
// script only puts the new text in place. It listens to the live stream
// (/api/v1/stream, signed-in cookie) to refresh as soon as feedback arrives,
// and polls every five seconds as well, so it also works where the stream
// is cut by a proxy.
(function () {
  "use strict";
  var tiles = document.getElementById("tiles");
  if (!tiles || !tiles.dataset.src) return;
  var src = tiles.dataset.src;
  var busy = false;
  var again = false;
  var timer = null;

  function setText(root, css, text) {
    var el = root.querySelector(css);
    if (el && el.textContent !== text) el.textContent = text;
    return el;
  }

  function swapClass(el, prefix, value) {
    if (!el) return;
    Array.prototype.slice.call(el.classList).forEach(function (c) {
      if (c.indexOf(prefix) === 0) el.classList.remove(c);
    });
    el.classList.add(prefix + value);
  }

  function apply(data) {
    (data.tiles || []).forEach(function (t) {
      var el = tiles.querySelector('[data-metric="' + t.metric + '"]');
      if (!el) return;
      var value = setText(el, ".tile-value", t.value_text);
      if (value) value.classList.toggle("tile-insufficient", !t.sufficient);
      setText(el, ".tile-interval", t.interval_text);
      var change = setText(el, ".tile-change", t.change_text);
      if (change) {
        swapClass(change, "tile-change-", t.change_significance);
        change.setAttribute("data-significance", t.change_significance);
      }
      var n = setText(el, ".tile-n", t.n_text);
      if (n) n.setAttribute("data-n", String(t.n));
      el.setAttribute("data-n", String(t.n));
      el.setAttribute("data-status", t.status);
      el.setAttribute("data-sufficient", t.sufficient ? "true" : "false");
      swapClass(el, "tile-", t.status);
      el.classList.add("tile");
      var status = setText(el, ".tile-status", t.status_text);
      swapClass(status, "badge-status-", t.status);
      setText(el, ".tile-target", t.target_text);
      var trend = el.querySelector(".tile-trend");
      // The sparkline is drawn (and its text escaped) by the server.
      if (trend && trend.innerHTML !== t.trend_svg) trend.innerHTML = t.trend_svg;
    });
    var stamp = document.getElementById("wall-updated");
    if (stamp) stamp.textContent = (stamp.dataset.live || "") + " · " + new Date().toLocaleTimeString(document.documentElement.lang || undefined);
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(src, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) {
        var type = r.headers.get("content-type") || "";
        if (!r.ok || type.indexOf("application/json") !== 0) throw new Error("tiles: " + r.status);
        return r.json();
      })
      .then(apply)
      .catch(function () { /* signed out or offline: try again on the next tick */ })
      .then(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  // Several responses often arrive together: refresh once for the burst.
  function soon() {
    if (timer) return;
    timer = setTimeout(function () { timer = null; refresh(); }, 300);
  }

  if (window.EventSource) {
    var stream = new EventSource("/api/v1/stream", { withCredentials: true });
    ["response", "event", "intent_status", "reload"].forEach(function (kind) {
      stream.addEventListener(kind, soon);
    });
  }
  setInterval(refresh, 5000);
})();
