// Maps of the structures: every filtered structure on the list page (#carte-structures, points in
// #points-structures, type labels in #types-structures), or one structure on its page (#carte-structure, point in
// #point-structure). Markers are vector circles (no image to load): the map is drawn and framed even when the tile
// server is unreachable. When done, the container gets data-pret="oui" and data-marqueurs (the number of markers).
(function () {
  "use strict";
  var base = window.CartePaps;

  var COULEURS = {
    "msp": "#000091",
    "centre-sante": "#b34000",
    "esp": "#18753c",
    "pta": "#6e445a",
    "reseau-territorial": "#3a3a3a"
  };

  function marqueur(point) {
    var rond = L.circleMarker([point.lat, point.lon], {
      radius: 7, weight: 2, color: "#ffffff", fillColor: COULEURS[point.type] || "#000091", fillOpacity: 0.9,
      className: "marqueur-structure"
    });
    base.infobulle(rond, point.nom, { direction: "top" });
    return rond;
  }

  // The popup: the structure's name, as a link to its page.
  function popup(point) {
    var contenu = base.creer("div");
    var lien = base.creer("a", "fr-link", point.nom);
    lien.href = point.url;
    contenu.appendChild(lien);
    return contenu;
  }

  // The départements' outlines (from the zonage map), to find one's way when no tile loads; optional.
  function limites(carte, conteneur) {
    if (!conteneur.dataset.limites || !window.fetch) { return; }
    base.chargerJson(conteneur.dataset.limites)
      .then(function (geometrie) {
        L.geoJSON(geometrie, { interactive: false, style: { color: "#161616", weight: 1, opacity: 0.6, fill: false } })
          .addTo(carte).bringToBack();
      })
      .catch(function () { /* the markers alone still make the map */ });
  }

  function pastille(couleur) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    svg.setAttribute("aria-hidden", "true");
    var rond = document.createElementNS(ns, "circle");
    rond.setAttribute("cx", "7");
    rond.setAttribute("cy", "7");
    rond.setAttribute("r", "6");
    rond.setAttribute("fill", couleur);
    svg.appendChild(rond);
    return svg;
  }

  // One legend entry per type shown, in the colour of its markers.
  function legende(points) {
    var liste = document.getElementById("legende-structures");
    var libelles = base.lireDonnees("types-structures");
    if (!liste || !libelles) { return; }
    var presents = {};
    points.forEach(function (p) { presents[p.type] = (presents[p.type] || 0) + 1; });
    Object.keys(libelles).forEach(function (type) {
      if (!presents[type]) { return; }
      var ligne = base.creer("li");
      ligne.setAttribute("data-type", type);
      ligne.appendChild(pastille(COULEURS[type] || "#000091"));
      ligne.appendChild(base.creer("span", null, libelles[type]));
      ligne.appendChild(base.creer("span", "legende-carte__nombre", String(presents[type])));
      liste.appendChild(ligne);
    });
  }

  function carteListe() {
    var conteneur = document.getElementById("carte-structures");
    var points = base.lireDonnees("points-structures");
    if (!conteneur || !points) { return; }
    var carte = base.creerCarte(conteneur);
    base.cadrerSurEtendue(carte);
    var groupe = L.featureGroup(points.map(function (point) {
      return marqueur(point).bindPopup(popup(point));
    })).addTo(carte);
    if (points.length === 1) {
      carte.setView([points[0].lat, points[0].lon], 13);
    } else if (points.length > 1) {
      base.cadrer(carte, groupe.getBounds(), { maxZoom: 13 });
    }
    base.ajouterFond(carte, conteneur, conteneur.dataset.tuiles);
    limites(carte, conteneur);
    legende(points);
    base.signalerPret(conteneur, { marqueurs: points.length });
  }

  function carteStructure() {
    var conteneur = document.getElementById("carte-structure");
    var point = base.lireDonnees("point-structure");
    if (!conteneur || !point) { return; }
    var carte = base.creerCarte(conteneur);
    carte.setView([point.lat, point.lon], 15);
    marqueur(point).addTo(carte);
    base.ajouterFond(carte, conteneur, conteneur.dataset.tuiles);
    base.signalerPret(conteneur, { marqueurs: 1 });
  }

  base.quandPret(function () {
    carteListe();
    carteStructure();
  });
})();
