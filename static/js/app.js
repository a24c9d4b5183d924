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
