// « Où m'installer ? » (/ou-m-installer/): the communes coloured by what the profile gets, drawn on the outlines of
// the region (or of the département asked). The page gives, with json_script, each commune's category and counts
// (its colour, built by portail/orientation/classement.py, and counts); the colours are the legend's (static/css/portail.css). Tooltips are text only;
// a click opens the simulator for that commune. The table under the map holds the same data.
(function () {
  "use strict";
  var base = window.CartePaps;

  function el(id) { return document.getElementById(id); }

  function nombreFr(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f"); }

  // {teinte: colour} as the legend shows them.
  function couleurs() {
    var resultat = {};
    document.querySelectorAll(".legende-carte [data-teinte]").forEach(function (ligne) {
      var pastille = ligne.querySelector(".pastille-niveau");
      resultat[ligne.getAttribute("data-teinte")] = window.getComputedStyle(pastille).backgroundColor;
    });
    return resultat;
  }

  base.quandPret(function () {
    var conteneur = el("carte-installation");
    var config = base.lireDonnees("configuration-installation");
    if (!conteneur || !config) { return; }
    var etat = el("etat-carte");
    var teintes = couleurs();
    var carte = base.creerCarte(conteneur, { preferCanvas: true, zoomSnap: 0.25 });
    base.cadrerSurEtendue(carte);
    base.ajouterFond(carte, conteneur, config.tuiles);

    function texte(nom, donnees) {
      var certaines = donnees[1] > 1 ? donnees[1] + " aides certaines" : donnees[1] + " aide certaine";
      return nom + " — " + certaines + ", " + donnees[2] + " à vérifier";
    }

    base.chargerJson(config.contours).then(function (geojson) {
      var colorees = 0;
      var bornes = L.latLngBounds([]);
      L.geoJSON(geojson, {
        style: function (f) {
          var donnees = config.communes[f.properties.code];
          if (!donnees) { return { fillOpacity: 0, color: "#929292", weight: 0.3 }; }
          return { fillColor: teintes[donnees[0]], fillOpacity: 0.8, color: "#3a3a3a", weight: 0.3 };
        },
        onEachFeature: function (f, calque) {
          var donnees = config.communes[f.properties.code];
          if (!donnees) { return; }
          colorees += 1;
          bornes.extend(calque.getBounds());
          base.infobulle(calque, texte(f.properties.nom, donnees), { sticky: true });
          calque.on("click", function () {
            window.location.href = config.simulation.replace("{code_insee}", encodeURIComponent(f.properties.code));
          });
        }
      }).addTo(carte);
      base.chargerJson(config.limites).then(function (limites) {
        L.geoJSON(limites, { interactive: false, style: { color: "#161616", weight: 1.2, opacity: 0.7, fill: false } })
          .addTo(carte);
      }).catch(function () { /* the communes alone make the map */ });
      base.cadrer(carte, bornes);
      etat.textContent = "Carte : " + nombreFr(colorees) + " commune" + (colorees > 1 ? "s" : "") +
        " colorée" + (colorees > 1 ? "s" : "") + " selon les aides pour ce profil.";
      L.Util.requestAnimFrame(function () {
        conteneur.removeAttribute("aria-busy");
        base.signalerPret(conteneur, { communes: colorees });
      });
    }).catch(function (erreur) {
      conteneur.removeAttribute("aria-busy");
      etat.textContent = "Carte indisponible : " + erreur.message + " Le tableau donne les mêmes résultats.";
    });
  });
})();
