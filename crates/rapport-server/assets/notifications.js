// Rapport top bar: keeps the unread-notifications count current without a
// reload. A light stream (/notifications/stream, signed-in cookie) says when
// an announcement, a case or an idea changed in the organization; the count
// itself is asked of the server (/notifications/count), which alone knows
// what concerns this account. Without JavaScript the count is as of the
// page's load.
(function () {
  "use strict";
  var link = document.getElementById("notifications-link");
  if (!link || !window.EventSource || !window.fetch) return;
  var badge = document.getElementById("unread-count");
  var pending = null;
  function refresh() {
    pending = null;
    fetch("/notifications/count", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) {
        if (!body || !badge) return;
        badge.textContent = body.label;
        badge.hidden = body.unread === 0;
        link.setAttribute("aria-label", body.aria);
      })
      .catch(function () {});
  }
  // Several changes in a burst ask once.
  function soon() { if (!pending) pending = setTimeout(refresh, 300); }
  var stream = new EventSource("/notifications/stream", { withCredentials: true });
  stream.addEventListener("changed", soon);
  // Let the connection go as soon as the page is left: a browser keeps six
  // connections per server, and a form's POST must not wait behind streams
  // of pages being left.
  function stop() { stream.close(); }
  window.addEventListener("beforeunload", stop);
  window.addEventListener("pagehide", stop);
})();
