// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Keep a draft of quick-entry fields, so a tablet that sleeps or loses its connection while
  // posting keeps what was typed. The draft is cleared when the page shows a saved signal.
  document.querySelectorAll("textarea[data-draft-key]").forEach(function (field) {
    var key = "wijkapp-draft:" + field.getAttribute("data-draft-key");
    var saved = document.querySelector("[data-saved]") !== null;
    try {
      if (saved) { window.localStorage.removeItem(key); }
      else if (!field.value && window.localStorage.getItem(key)) { field.value = window.localStorage.getItem(key); }
      field.addEventListener("input", function () { window.localStorage.setItem(key, field.value); });
    } catch (e) { /* private mode: no drafts, the form still works */ }
  });
  // The staff menu starts folded on a phone (one "Menu" line instead of nine) and open on wider
  // screens; without this file it is simply always open.
  var narrow = window.matchMedia("(max-width: 39.99rem)");
  document.querySelectorAll("details[data-fold-when-narrow]").forEach(function (box) {
    function fit() { box.open = !narrow.matches; }
    fit();
    if (narrow.addEventListener) { narrow.addEventListener("change", fit); }
  });
  // Enter saves a quick signal (Shift+Enter for a new line): keyboard-only entry stays fast.
  document.querySelectorAll("textarea[data-enter-submits]").forEach(function (field) {
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (field.form.requestSubmit) { field.form.requestSubmit(); } else { field.form.submit(); }
      }
    });
  });
})();
