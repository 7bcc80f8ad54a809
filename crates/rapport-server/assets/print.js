// Rapport: links marked data-print open the browser's print dialog (the
// one-page plan). A file of its own rather than an onclick attribute, so
// that the Content-Security-Policy allows no inline script at all.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var link = e.target.closest ? e.target.closest("[data-print]") : null;
    if (!link) return;
    e.preventDefault();
    window.print();
  });
})();
