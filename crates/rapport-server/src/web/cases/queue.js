// Rapport case queue: follows /cases/stream and, when a case changes,
// shows the "queue changed" notice; the list reloads itself a moment later
// unless the agent has ticked a case or is typing (then the notice's link
// reloads it). Without JavaScript the queue is as of the page's load.
(function () {
  "use strict";
  var notice = document.getElementById("queue-stale");
  if (!notice || !window.EventSource) return;
  var timer = null;
  function busy() {
    if (document.querySelector("#bulk-form input[name=ids]:checked")) return true;
    var a = document.activeElement;
    return a && (a.tagName === "INPUT" || a.tagName === "SELECT" || a.tagName === "TEXTAREA");
  }
  function reload() {
    timer = null;
    if (busy()) return;
    window.location.reload();
  }
  var stream = new EventSource("/cases/stream", { withCredentials: true });
  stream.addEventListener("changed", function () {
    notice.hidden = false;
    document.body.classList.add("queue-is-stale");
    if (!timer) timer = setTimeout(reload, 2000);
  });
  function stop() { stream.close(); }
  window.addEventListener("beforeunload", stop);
  window.addEventListener("pagehide", stop);
})();
