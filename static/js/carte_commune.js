// The commune page's map (#carte-commune): the commune's outline (#contour-commune), drawn and framed before any
// tile is asked for. When done, the container gets data-pret="oui".
(function () {
  "use strict";
  var base = window.CartePaps;

  base.quandPret(function () {
    var conteneur = document.getElementById("carte-commune");
    var contour = base.lireDonnees("contour-commune");
    if (!conteneur || !contour) { return; }
    var carte = base.creerCarte(conteneur);
    var couche = L.geoJSON(contour, { style: { color: "#000091", weight: 2, fillOpacity: 0.15 } }).addTo(carte);
    base.cadrer(carte, couche.getBounds());
    base.ajouterFond(carte, conteneur, conteneur.dataset.tuiles);
    base.signalerPret(conteneur);
  });
})();
