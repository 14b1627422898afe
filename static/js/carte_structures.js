// Maps of the structures: every filtered structure on the list page (#carte-structures, points in
// #points-structures), or one structure on its page (#carte-structure, point in #point-structure).
// Points come from the page (json_script), markers are vector circles (no image to load): the map is drawn and
// framed even when the tile server is unreachable. When done, the container gets data-pret="oui" and
// data-marqueurs (the number of markers); the Leaflet map is left on it as `carteLeaflet`.
(function () {
  "use strict";

  var COULEURS = {
    "msp": "#000091",
    "centre-sante": "#b34000",
    "esp": "#18753c",
    "pta": "#6e445a",
    "reseau-territorial": "#3a3a3a"
  };

  function fond(carte, conteneur) {
    var tuiles = L.tileLayer(conteneur.dataset.tuiles, { maxZoom: 18, attribution: "© contributeurs d'OpenStreetMap" });
    tuiles.on("tileerror", function () { conteneur.classList.add("carte--sans-fond"); });
    tuiles.addTo(carte);
  }

  function marqueur(point) {
    return L.circleMarker([point.lat, point.lon], {
      radius: 7, weight: 2, color: "#ffffff", fillColor: COULEURS[point.type] || "#000091", fillOpacity: 0.9,
      className: "marqueur-structure"
    });
  }

  function popup(point) {
    var contenu = document.createElement("div");
    var lien = document.createElement("a");
    lien.className = "fr-link";
    lien.href = point.url;
    lien.textContent = point.nom;
    contenu.appendChild(lien);
    return contenu;
  }

  // The départements' outlines (from the zonage map), to find one's way when no tile loads; optional.
  function limites(carte, conteneur) {
    if (!conteneur.dataset.limites || !window.fetch) { return; }
    fetch(conteneur.dataset.limites, { headers: { Accept: "application/json" } })
      .then(function (reponse) { if (!reponse.ok) { throw new Error(String(reponse.status)); } return reponse.json(); })
      .then(function (geometrie) {
        L.geoJSON(geometrie, { interactive: false, style: { color: "#161616", weight: 1, opacity: 0.6, fill: false } })
          .addTo(carte).bringToBack();
      })
      .catch(function () { /* the markers alone still make the map */ });
  }

  // One legend entry per type shown, in the colour of its markers.
  function legende(points) {
    var liste = document.getElementById("legende-structures");
    var noeud = document.getElementById("types-structures");
    if (!liste || !noeud) { return; }
    var libelles = JSON.parse(noeud.textContent);
    var presents = {};
    points.forEach(function (p) { presents[p.type] = (presents[p.type] || 0) + 1; });
    Object.keys(libelles).forEach(function (type) {
      if (!presents[type]) { return; }
      var ligne = document.createElement("li");
      ligne.setAttribute("data-type", type);
      var pastille = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      pastille.setAttribute("width", "14");
      pastille.setAttribute("height", "14");
      pastille.setAttribute("aria-hidden", "true");
      var rond = document.createElementNS("http://www.w3.org/2000/svg", "circle");
      rond.setAttribute("cx", "7");
      rond.setAttribute("cy", "7");
      rond.setAttribute("r", "6");
      rond.setAttribute("fill", COULEURS[type] || "#000091");
      pastille.appendChild(rond);
      ligne.appendChild(pastille);
      var texte = document.createElement("span");
      texte.textContent = libelles[type];
      ligne.appendChild(texte);
      var nombre = document.createElement("span");
      nombre.className = "legende-carte__nombre";
      nombre.textContent = String(presents[type]);
      ligne.appendChild(nombre);
      liste.appendChild(ligne);
    });
  }

  function pret(conteneur, nombre) {
    conteneur.setAttribute("data-marqueurs", String(nombre));
    conteneur.setAttribute("data-pret", "oui");
  }

  function carteListe() {
    var conteneur = document.getElementById("carte-structures");
    var donnees = document.getElementById("points-structures");
    if (!conteneur || !donnees) { return; }
    var points = JSON.parse(donnees.textContent);
    var carte = conteneur.carteLeaflet = L.map(conteneur, { scrollWheelZoom: false });
    var centre = [parseFloat(conteneur.dataset.centreLat), parseFloat(conteneur.dataset.centreLon)];
    carte.setView(centre, parseInt(conteneur.dataset.zoom, 10) || 7);
    var groupe = L.featureGroup(points.map(function (point) {
      return marqueur(point).bindPopup(popup(point)).bindTooltip(point.nom, { direction: "top" });
    })).addTo(carte);
    if (points.length === 1) {
      carte.setView([points[0].lat, points[0].lon], 13);
    } else if (points.length > 1) {
      carte.fitBounds(groupe.getBounds(), { padding: [16, 16], maxZoom: 13 });
    }
    fond(carte, conteneur);
    limites(carte, conteneur);
    legende(points);
    pret(conteneur, points.length);
  }

  function carteStructure() {
    var conteneur = document.getElementById("carte-structure");
    var donnees = document.getElementById("point-structure");
    if (!conteneur || !donnees) { return; }
    var point = JSON.parse(donnees.textContent);
    var carte = conteneur.carteLeaflet = L.map(conteneur, { scrollWheelZoom: false });
    carte.setView([point.lat, point.lon], 15);
    marqueur(point).bindTooltip(point.nom, { direction: "top" }).addTo(carte);
    fond(carte, conteneur);
    pret(conteneur, 1);
  }

  function demarrer() {
    if (typeof L === "undefined") { return; }
    carteListe();
    carteStructure();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", demarrer);
  } else {
    demarrer();
  }
})();
