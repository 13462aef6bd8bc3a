// "Copiar" next to a read-only field (integrations/admin/display.py, copyable): the button is
// hidden until this file runs, so without it the field is still there to select by hand.
// Loaded in the page's head with the admin's media, hence the wait for the document.
"use strict";

function hubCopyButtons() {
  document.querySelectorAll(".hub-copy").forEach((box) => {
    const input = box.querySelector(".hub-copy__input");
    const button = box.querySelector(".hub-copy__button");
    const done = box.querySelector(".hub-copy__done");
    input.addEventListener("focus", () => input.select());
    button.hidden = false;
    button.addEventListener("click", async () => {
      input.select();
      try {
        await navigator.clipboard.writeText(input.value);
        done.textContent = "Copiado.";
      } catch {
        // No clipboard here (plain HTTP, or refused): the text stays selected for Ctrl+C.
        done.textContent = "Selecionado: tecle Ctrl+C para copiar.";
      }
    });
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", hubCopyButtons);
} else {
  hubCopyButtons();
}
