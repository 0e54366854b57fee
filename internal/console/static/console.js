// Reloads the page's content while it is visible and the operator is not
// in the middle of something (focus inside the content, text selected), so
// figures and sync progress move without a click. Optional: without
// JavaScript every page has a Refresh link and works the same.
(function () {
  "use strict";
  var secs = parseInt(document.body.getAttribute("data-refresh"), 10);
  if (!secs || !window.fetch || !window.DOMParser) { return; }
  function main() { return document.getElementById("main"); }
  function busy() {
    var a = document.activeElement, m = main();
    if (a && a !== document.body && a !== m && m && m.contains(a)) { return true; }
    var sel = window.getSelection ? String(window.getSelection()) : "";
    return sel.length > 0;
  }
  function tick() {
    if (document.visibilityState !== "visible" || busy()) { return; }
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html || busy()) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("main");
        var old = main();
        if (fresh && old) { old.replaceWith(document.importNode(fresh, true)); }
      })
      .catch(function () { /* the next tick tries again */ });
  }
  window.setInterval(tick, secs * 1000);
}());
