// Draws the commune outline with Leaflet. The outline is drawn and framed first, from data in the page,
// so the map stays useful when the tile server is unreachable (tiles then simply stay blank).
(function () {
  "use strict";
  function dessiner() {
    var conteneur = document.getElementById("carte-commune");
    var donnees = document.getElementById("contour-commune");
    if (!conteneur || !donnees || typeof L === "undefined") { return; }
    var contour = JSON.parse(donnees.textContent);
    var carte = L.map(conteneur, { scrollWheelZoom: false, attributionControl: true });
    var couche = L.geoJSON(contour, { style: { color: "#000091", weight: 2, fillOpacity: 0.15 } }).addTo(carte);
    carte.fitBounds(couche.getBounds(), { padding: [16, 16] });
    var tuiles = L.tileLayer(conteneur.dataset.tuiles, {
      maxZoom: 18, attribution: "© contributeurs d'OpenStreetMap"
    });
    tuiles.on("tileerror", function () { conteneur.classList.add("carte--sans-fond"); });
    tuiles.addTo(carte);
    conteneur.dataset.pret = "oui";
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", dessiner);
  } else {
    dessiner();
  }
})();
