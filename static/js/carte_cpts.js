// Coverage map of the CPTS list page (#carte-cpts): the region's communes (outlines from the zonage map,
// data-contours), those covered by a listed CPTS in blue with its name, the others in grey. Covered communes come
// from the page ({code INSEE: {cpts, url}} in #couverture-cpts). When done, the container gets data-pret="oui" and
// data-couvertes (the number of covered communes drawn).
(function () {
  "use strict";

  function demarrer() {
    var conteneur = document.getElementById("carte-cpts");
    var donnees = document.getElementById("couverture-cpts");
    if (typeof L === "undefined" || !conteneur || !donnees) { return; }
    var couverture = JSON.parse(donnees.textContent);
    var carte = conteneur.carteLeaflet = L.map(conteneur, { scrollWheelZoom: false });
    var centre = [parseFloat(conteneur.dataset.centreLat), parseFloat(conteneur.dataset.centreLon)];
    carte.setView(centre, parseInt(conteneur.dataset.zoom, 10) || 7);
    var tuiles = L.tileLayer(conteneur.dataset.tuiles, { maxZoom: 18, attribution: "© contributeurs d'OpenStreetMap" });
    tuiles.on("tileerror", function () { conteneur.classList.add("carte--sans-fond"); });
    tuiles.addTo(carte);

    function fin(nombre) {
      conteneur.setAttribute("data-couvertes", String(nombre));
      conteneur.setAttribute("data-pret", "oui");
    }

    if (!conteneur.dataset.contours || !window.fetch) { fin(0); return; }
    fetch(conteneur.dataset.contours, { headers: { Accept: "application/json" } })
      .then(function (reponse) { if (!reponse.ok) { throw new Error(String(reponse.status)); } return reponse.json(); })
      .then(function (geometrie) {
        var couvertes = 0;
        var couche = L.geoJSON(geometrie, {
          style: function (entite) {
            var c = couverture[entite.properties.code];
            return c ? { color: "#000091", weight: 1, fillColor: "#000091", fillOpacity: 0.5 }
                     : { color: "#929292", weight: 0.5, fillColor: "#e5e5e5", fillOpacity: 0.3 };
          },
          onEachFeature: function (entite, calque) {
            var c = couverture[entite.properties.code];
            if (c) { couvertes += 1; }
            var texte = entite.properties.nom + (c ? " — " + c.cpts : " — hors CPTS listée");
            calque.bindTooltip(texte, { sticky: true });
            if (c) {
              calque.on("click", function () { window.location.href = c.url; });
            }
          }
        }).addTo(carte);
        if (couche.getLayers().length) { carte.fitBounds(couche.getBounds(), { padding: [8, 8] }); }
        fin(couvertes);
      })
      .catch(function () { fin(0); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", demarrer);
  } else {
    demarrer();
  }
})();
