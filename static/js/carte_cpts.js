// Coverage map of the CPTS list page (#carte-cpts): the region's communes (outlines from the zonage map,
// data-contours), those covered by a listed CPTS in blue with its name, the others in grey. Covered communes come
// from the page ({code INSEE: {cpts, url}} in #couverture-cpts). When done, the container gets data-pret="oui" and
// data-couvertes (the number of covered communes drawn).
(function () {
  "use strict";
  var base = window.CartePaps;
  var COUVERTE = { color: "#000091", weight: 1, fillColor: "#000091", fillOpacity: 0.5 };
  var HORS_CPTS = { color: "#929292", weight: 0.5, fillColor: "#e5e5e5", fillOpacity: 0.3 };

  function dessiner(carte, geometrie, couverture) {
    var couvertes = 0;
    var couche = L.geoJSON(geometrie, {
      style: function (entite) { return couverture[entite.properties.code] ? COUVERTE : HORS_CPTS; },
      onEachFeature: function (entite, calque) {
        var c = couverture[entite.properties.code];
        base.infobulle(calque, entite.properties.nom + (c ? " — " + c.cpts : " — hors CPTS listée"), { sticky: true });
        if (c) {
          couvertes += 1;
          calque.on("click", function () { window.location.href = c.url; });
        }
      }
    }).addTo(carte);
    base.cadrer(carte, couche.getBounds(), { padding: [8, 8] });
    return couvertes;
  }

  base.quandPret(function () {
    var conteneur = document.getElementById("carte-cpts");
    var couverture = base.lireDonnees("couverture-cpts");
    if (!conteneur || !couverture) { return; }
    var carte = base.creerCarte(conteneur);
    base.cadrerSurEtendue(carte);
    base.ajouterFond(carte, conteneur, conteneur.dataset.tuiles);
    function fin(nombre) { base.signalerPret(conteneur, { couvertes: nombre }); }
    if (!conteneur.dataset.contours || !window.fetch) { fin(0); return; }
    base.chargerJson(conteneur.dataset.contours)
      .then(function (geometrie) { fin(dessiner(carte, geometrie, couverture)); })
      .catch(function () { fin(0); });
  });
})();
