// Rapport feedback inbox: says when new responses arrive, without a reload.
// It listens to the live stream (/api/v1/stream, signed-in cookie) and
// counts `response` events; the banner's link reloads the first page with
// the same filters (the server decides which of them match). Texts come
// from the page (data attributes), already in its language.
(function () {
  "use strict";
  var banner = document.getElementById("feedback-live");
  if (!banner || !window.EventSource) return;
  var count = banner.querySelector(".live-count");
  var n = 0;
  var stream = new EventSource("/api/v1/stream", { withCredentials: true });
  stream.addEventListener("response", function () {
    n += 1;
    if (count) count.textContent = String(n);
    banner.hidden = false;
  });
})();
