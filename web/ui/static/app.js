// freenahi: a little progressive enhancement; every page also works without it.
(function () {
  "use strict";
  // Progress pages poll their background job and move on when it is done.
  var poll = document.querySelector("[data-poll]");
  if (poll) {
    var url = poll.getAttribute("data-poll");
    var elapsed = poll.querySelector("[data-elapsed]");
    var tick = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (elapsed) { elapsed.textContent = String(s.elapsed); }
          if (s.done) { window.location.replace(s.next); return; }
          window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    };
    window.setTimeout(tick, 1000);
  }
  // On a phone the navigation folds behind a Menu button (without
  // JavaScript it stays unfolded).
  var header = document.querySelector("header.top");
  var toggle = header && header.querySelector(".menu-toggle");
  if (toggle) {
    header.classList.add("js-menu");
    toggle.addEventListener("click", function () {
      var open = header.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
  // Installable app: the service worker shows the offline page without a network.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js").catch(function () {});
  }
  // Waiting screens (a bank validating) reload themselves.
  var reload = document.querySelector("[data-reload]");
  if (reload) {
    var secs = parseInt(reload.getAttribute("data-reload"), 10) || 2;
    window.setTimeout(function () { window.location.reload(); }, secs * 1000);
  }
  // Charts: a tap (or a focus) on a period shows its date and amount
  // below the chart, where hovering shows the same title.
  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (fig) {
    var out = fig.querySelector(".readout");
    var on = null;
    var show = function (e) {
      var t = e.target;
      if (!t.classList || !t.classList.contains("hit")) { return; }
      if (on) { on.classList.remove("on"); }
      on = t;
      t.classList.add("on");
      var title = t.querySelector("title");
      if (out && title) { out.textContent = title.textContent; }
    };
    fig.addEventListener("click", show);
    fig.addEventListener("mouseover", show);
  });
})();
