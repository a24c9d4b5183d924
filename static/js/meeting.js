// Timers for the meeting screen. They run in the browser only: no request while the meeting runs.
// Without this file the page still shows each block's time box ("5 minuten").
(function () {
  "use strict";
  var announce = document.querySelector("[data-timer-announce]");
  var timers = [];

  function format(seconds) {
    var m = Math.floor(Math.abs(seconds) / 60), s = Math.abs(seconds) % 60;
    return (seconds < 0 ? "−" : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }

  function Timer(box) {
    var total = parseInt(box.getAttribute("data-minutes"), 10) * 60;
    var label = box.getAttribute("data-label");
    var left = total, handle = null, endsAt = 0;
    var clock = document.createElement("p");
    clock.className = "timer-clock";
    clock.setAttribute("aria-label", "Resterende tijd voor " + label);
    var start = document.createElement("button");
    start.type = "button";
    start.className = "button";
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "button secondary";
    reset.textContent = "Opnieuw";
    var controls = document.createElement("div");
    controls.className = "timer-controls";
    controls.appendChild(start);
    controls.appendChild(reset);
    box.textContent = "";
    box.appendChild(clock);
    box.appendChild(controls);

    function draw() {
      clock.textContent = left > 0 ? format(left) : "Tijd is om " + format(left);
      box.classList.toggle("timer-done", left <= 0);
      box.classList.toggle("timer-running", handle !== null);
      start.textContent = handle !== null ? "Pauze" : (left === total ? "Start" : "Verder");
    }
    function tick() {
      var before = left;
      // Counted from the clock, not from ticks: a tab in the background stays right.
      left = Math.round((endsAt - Date.now()) / 1000);
      if (before > 0 && left <= 0 && announce) { announce.textContent = "De tijd voor " + label + " is om."; }
      draw();
    }
    this.pause = function () {
      if (handle !== null) { window.clearInterval(handle); handle = null; draw(); }
    };
    this.start = function () {
      timers.forEach(function (t) { t.pause(); });
      endsAt = Date.now() + left * 1000;
      handle = window.setInterval(tick, 250);
      draw();
    };
    var self = this;
    start.addEventListener("click", function () { if (handle !== null) { self.pause(); } else { self.start(); } });
    reset.addEventListener("click", function () { self.pause(); left = total; draw(); });
    draw();
  }

  document.querySelectorAll(".timer[data-minutes]").forEach(function (box) { timers.push(new Timer(box)); });
})();
