// Rapport case page: the conversation. While the page is open, asks every
// few seconds for the thread's messages after the last one shown
// (/cases/{id}/thread?after=ID, list items rendered by the server) and
// appends them, so the customer's answer appears without a reload. The
// reply form's template choice fills the subject and text in the chosen
// language (the server renders the template anyway when the text is left
// empty). Without JavaScript the thread is as of the page's load.
(function () {
  "use strict";
  var list = document.getElementById("case-thread");
  if (!list || !window.fetch) return;
  var caseId = list.getAttribute("data-case");
  var busy = false;
  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    var last = list.getAttribute("data-last") || "0";
    fetch("/cases/" + caseId + "/thread?after=" + encodeURIComponent(last), {
      credentials: "same-origin", headers: { Accept: "text/html" }
    })
      .then(function (r) { return r.ok ? r.text() : ""; })
      .then(function (html) {
        busy = false;
        if (!html || !html.trim()) return;
        var box = document.createElement("ol");
        box.innerHTML = html;
        var items = box.querySelectorAll("li.msg");
        for (var i = 0; i < items.length; i++) {
          var id = items[i].getAttribute("data-id");
          if (document.getElementById("msg-" + id)) continue;
          list.appendChild(items[i]);
          list.setAttribute("data-last", id);
        }
        var empty = document.getElementById("case-thread-empty");
        if (empty && items.length) empty.hidden = true;
      })
      .catch(function () { busy = false; });
  }
  setInterval(poll, 3000);

  var select = document.getElementById("f-template");
  var lang = document.getElementById("f-lang");
  var subject = document.getElementById("f-subject");
  var body = document.getElementById("f-reply-body");
  function fill() {
    if (!select || !subject || !body) return;
    var o = select.options[select.selectedIndex];
    if (!o || !o.value) return;
    var l = lang && lang.value === "en" ? "en" : "es";
    subject.value = o.getAttribute("data-subject-" + l) || "";
    body.value = o.getAttribute("data-body-" + l) || "";
  }
  if (select) select.addEventListener("change", fill);
  if (lang) lang.addEventListener("change", fill);
})();
