// A map whose communes take the colour of their level in a profession's zonage: the département page
// (#carte-departement, outlines and classification fetched from the zonage map's files) and the commune page
// (#carte-commune, the commune and its neighbours given in the page). Names reach the map as text only
// (CartePaps.creer), never as HTML; each commune's popup links to its page.
(function () {
  "use strict";
  var base = window.CartePaps;
  var GRIS = "#929292";

  function donnee(valeur) {
    return typeof valeur === "string" ? base.chargerJson(valeur) : Promise.resolve(valeur);
  }

  function popup(proprietes, libelle, donnees) {
    var boite = base.creer("div", "popup-zonages");
    boite.appendChild(base.creer("h3", null, proprietes.nom));
    boite.appendChild(base.creer("p", null, libelle));
    if (proprietes.distance_km) { boite.appendChild(base.creer("p", null, "À " + proprietes.distance_km + " km")); }
    var lien = base.creer("a", null, "Ouvrir la fiche de la commune");
    var adresse = donnees.commune.replace("CODE", encodeURIComponent(proprietes.code));
    lien.setAttribute("href", adresse + (donnees.profession ? "?profession=" + encodeURIComponent(donnees.profession) : ""));
    boite.appendChild(lien);
    return boite;
  }

  function dessiner(conteneur, donnees) {
    Promise.all([donnee(donnees.contours), donnee(donnees.classement)]).then(function (resultats) {
      var contours = resultats[0];
      var niveaux = resultats[1].niveaux || {};
      var carte = base.creerCarte(conteneur, { zoomSnap: 0.25 });
      // The popup fits the screen: narrower than the map, panned into view with a margin.
      var largeur = Math.max(160, Math.min(280, conteneur.clientWidth - 60));
      var couche = L.geoJSON(contours, {
        style: function (entite) {
          var niveau = donnees.legende[niveaux[entite.properties.code]];
          var centre = entite.properties.code === donnees.surbrillance;
          return { color: centre ? "#000091" : "#3a3a3a", weight: centre ? 3 : 0.6,
                   fillColor: niveau ? niveau.couleur : GRIS, fillOpacity: centre ? 0.8 : 0.6 };
        },
        onEachFeature: function (entite, calque) {
          var niveau = donnees.legende[niveaux[entite.properties.code]];
          var libelle = niveau ? niveau.libelle : "Non classée par la version en vigueur";
          base.infobulle(calque, entite.properties.nom + " : " + libelle, { sticky: true });
          calque.bindPopup(function () { return popup(entite.properties, libelle, donnees); },
                           { maxWidth: largeur, minWidth: Math.min(160, largeur), autoPanPadding: [12, 12] });
        }
      }).addTo(carte);
      // No outline loaded: the served regions' extent, given by the page.
      if (!base.cadrer(carte, couche.getBounds())) { base.cadrerSurEtendue(carte); }
      base.ajouterFond(carte, conteneur, conteneur.dataset.tuiles);
      base.signalerPret(conteneur, { communes: contours.features.length });
    }).catch(function (erreur) {
      conteneur.textContent = "";
      conteneur.appendChild(base.creer("p", "fr-p-2w", "La carte n'a pas pu être chargée : " + erreur.message +
                                       " Le tableau donne les mêmes niveaux."));
      base.signalerPret(conteneur, { erreur: "oui" });
    });
  }

  base.quandPret(function () {
    [["carte-departement", "carte-departement-donnees"], ["carte-commune", "carte-commune-donnees"]]
      .forEach(function (paire) {
        var conteneur = document.getElementById(paire[0]);
        var donnees = base.lireDonnees(paire[1]);
        if (conteneur && donnees) { dessiner(conteneur, donnees); }
      });
  });
})();
