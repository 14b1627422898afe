// Shared set-up of the portal's Leaflet maps (commune, CPTS, structures, zonages), as window.CartePaps.
// Every map is drawn from data in the page or from the portal's own files, so it stays useful when the tile server
// is unreachable: tiles then stay blank and the container gets the class "carte--sans-fond".
// Text from the data (names of communes, structures, CPTS) only ever reaches the page as text: `creer` and
// `infobulle` set textContent, never HTML (Leaflet renders a string tooltip or popup as HTML).
// Loaded after leaflet.js and before the map's own script (plain scripts, deferred, in that order).
(function () {
  "use strict";

  var ATTRIBUTION = "© contributeurs d'OpenStreetMap";

  // Runs `demarrer` once the page is parsed, if Leaflet is there (without it the page keeps its text alternative).
  function quandPret(demarrer) {
    function lancer() { if (typeof L !== "undefined") { demarrer(); } }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", lancer);
    } else {
      lancer();
    }
  }

  // The data a page passed with json_script, or null when the page has none under that id.
  function lireDonnees(id) {
    var noeud = document.getElementById(id);
    return noeud ? JSON.parse(noeud.textContent) : null;
  }

  // An element with an optional class and text (set as text: markup in `texte` is shown, not parsed).
  function creer(balise, classe, texte) {
    var noeud = document.createElement(balise);
    if (classe) { noeud.className = classe; }
    if (texte !== undefined && texte !== null) { noeud.textContent = texte; }
    return noeud;
  }

  // A Leaflet map on `conteneur` with the portal's defaults: the wheel scrolls the page rather than zooming (the
  // +/- buttons and the keyboard zoom), the attribution is shown, the zoom buttons are named in French. The map is
  // left on its container as `carteLeaflet`, for other scripts and the tests.
  function creerCarte(conteneur, options) {
    var carte = L.map(conteneur, L.Util.extend({ scrollWheelZoom: false, attributionControl: true, zoomControl: false },
                                               options || {}));
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(carte);
    conteneur.carteLeaflet = carte;
    return carte;
  }

  // The OpenStreetMap tiles of `url` (from the page); when one fails, the container is marked as having no
  // background, so that the drawn outlines are styled to be read alone.
  function ajouterFond(carte, conteneur, url) {
    if (!url) { conteneur.classList.add("carte--sans-fond"); return; }
    var tuiles = L.tileLayer(url, { maxZoom: 18, attribution: ATTRIBUTION });
    tuiles.on("tileerror", function () { conteneur.classList.add("carte--sans-fond"); });
    tuiles.addTo(carte);
  }

  // The initial view: the served regions' extent, [[south, west], [north, east]] computed by the server from their
  // data (territoires/etendue.py) and given by the page in #etendue-servie; the whole world if a page has none.
  // At most zoom 11: an extent reduced to a point (a single commune loaded) would otherwise open on a street.
  function cadrerSurEtendue(carte) {
    var etendue = lireDonnees("etendue-servie");
    var bornes = etendue ? L.latLngBounds(etendue) : null;
    if (!bornes || !bornes.isValid()) { carte.fitWorld(); return; }
    carte.fitBounds(bornes, { padding: [8, 8], maxZoom: 11, animate: false });
  }

  // Frames `bornes` (with a margin) when they are valid; says whether it did.
  function cadrer(carte, bornes, options) {
    if (!bornes || !bornes.isValid()) { return false; }
    carte.fitBounds(bornes, L.Util.extend({ padding: [16, 16] }, options || {}));
    return true;
  }

  // A tooltip showing `texte` as text. Built when first shown, so thousands of communes cost no element up front.
  function infobulle(calque, texte, options) {
    return calque.bindTooltip(function () { return creer("span", null, texte); }, options);
  }

  // JSON of `url`; an error response rejects with the server's French message (`erreur`) or its status. A plain
  // GET, so that it matches the page's <link rel="preload" as="fetch"> of the same URL.
  function chargerJson(url) {
    return fetch(url).then(function (reponse) {
      return reponse.json().catch(function () { return {}; }).then(function (corps) {
        if (!reponse.ok) { throw new Error(corps.erreur || "Le serveur a répondu « " + reponse.status + " »."); }
        return corps;
      });
    });
  }

  // Publishes the map's state for scripts and tests: the given data-* attributes, then data-pret="oui".
  function signalerPret(conteneur, attributs) {
    Object.keys(attributs || {}).forEach(function (nom) { conteneur.setAttribute("data-" + nom, String(attributs[nom])); });
    conteneur.setAttribute("data-pret", "oui");
  }

  window.CartePaps = {
    quandPret: quandPret, lireDonnees: lireDonnees, creer: creer, creerCarte: creerCarte, ajouterFond: ajouterFond,
    cadrerSurEtendue: cadrerSurEtendue, cadrer: cadrer, infobulle: infobulle, chargerJson: chargerJson,
    signalerPret: signalerPret
  };
})();
