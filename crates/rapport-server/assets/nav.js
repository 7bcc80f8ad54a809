// The menu's groups (<details class="nav-group">): on wide screens they are
// drop-downs, so opening one closes the others, and a click outside the
// menu or Escape closes them all. On a phone they are sections of the
// "Menu" list and may stay open together. Without this script every group
// still opens and closes by its own summary.
(function () {
  "use strict";
  var nav = document.getElementById("nav");
  if (!nav) return;
  var groups = Array.prototype.slice.call(nav.querySelectorAll("details.nav-group"));
  var wide = window.matchMedia("(min-width: 700px)");
  function closeAll(except) {
    groups.forEach(function (g) { if (g !== except) g.open = false; });
  }
  groups.forEach(function (g) {
    g.addEventListener("toggle", function () {
      if (g.open && wide.matches) closeAll(g);
    });
  });
  document.addEventListener("click", function (e) {
    if (wide.matches && !nav.contains(e.target)) closeAll(null);
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && wide.matches) {
      var open = groups.filter(function (g) { return g.open; })[0];
      closeAll(null);
      if (open) open.querySelector("summary").focus();
    }
  });
})();
