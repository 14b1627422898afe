// A "Print" button for printable pages: shown only when JavaScript runs (the browser's own print works anyway).
document.querySelectorAll("[data-imprimer]").forEach((bouton) => {
  bouton.hidden = false;
  bouton.addEventListener("click", () => window.print());
});
