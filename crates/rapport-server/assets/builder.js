// Rapport: the survey builder's live preview. After a pause in typing, the
// form as typed is posted to /surveys/{id}/preview (which saves nothing)
// and the answer replaces the preview frame's document. Without this
// script the frame shows the saved survey. Also selects a share snippet's
// whole text when it gets the focus, ready to copy.
(function () {
  "use strict";
  var WAIT_MS = 600;
  var frame = document.getElementById("preview-frame");
  var form = document.getElementById("survey-builder");
  document.querySelectorAll("textarea[data-select], input[data-select]").forEach(function (t) {
    t.addEventListener("focus", function () { t.select(); });
  });
  if (!frame || !form || !window.fetch || !window.URLSearchParams) return;
  var timer = null;
  var asked = 0;
  function refresh() {
    var body = new URLSearchParams(new FormData(form));
    body.delete("more");
    body.set("preview_lang", frame.getAttribute("data-lang"));
    var mine = ++asked;
    fetch(frame.getAttribute("data-live"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      // A slower earlier answer never replaces a newer one.
      if (html !== null && mine === asked) {
        frame.srcdoc = html;
        frame.setAttribute("data-typed", "1");
      }
    }).catch(function () { /* the frame keeps what it shows */ });
  }
  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(refresh, WAIT_MS);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
})();
