// The Pedidos filters sit behind one "Filtros" button on a phone; on a wide screen they are
// simply shown (a <details> element cannot be forced open by CSS alone).
(function () {
  var wide = window.matchMedia("(min-width: 721px)");
  function apply() {
    document.querySelectorAll("details[data-open-on-wide]").forEach(function (panel) {
      if (wide.matches) panel.open = true;
    });
  }
  apply();
  wide.addEventListener("change", apply);
})();
