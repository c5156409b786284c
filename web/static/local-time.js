// Times are rendered in UTC on the server; this shows them in the viewer's own time zone (the page works without it).
"use strict";
(function () {
  var format = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });
  function localize(root) {
    root.querySelectorAll("time[datetime]:not([data-local])").forEach(function (element) {
      var moment = new Date(element.getAttribute("datetime"));
      if (isNaN(moment.getTime())) { return; }
      element.title = element.textContent;
      element.textContent = format.format(moment);
      element.setAttribute("data-local", "");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { localize(document); });
  document.addEventListener("htmx:afterSettle", function (event) { localize(event.target); });
})();
