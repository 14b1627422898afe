// Zonage map (3/7): the communes' layer, coloured by the level of the classification shown, each named in a
// tooltip (as text), the selected one outlined. Polygons are drawn on canvas (SVG takes ten times longer to paint
// 4,400 communes).
(function () {
  "use strict";
  var base = window.CartePaps;
  var Z = base.zonages;

  // `surClic(feature, couche, latlng)`: a click on a commune.
  Z.Communes = function (carte, types, surClic) {
    var couche = null;
    var geometrie = null;
    var classement = null;
    var selection = null;

    function couleur(code) {
      if (!classement || !classement.version) { return Z.COULEURS.sansVersion; }
      var niveau = Z.niveau(types, classement.type, classement.niveaux[code]);
      return niveau ? niveau.couleur : Z.COULEURS.sansNiveau;
    }

    function style(feature) {
      return { fillColor: couleur(feature.properties.code), fillOpacity: 0.8, color: "#3a3a3a", opacity: 0.45, weight: 0.5 };
    }

    function mettreEnEvidence(calque) {
      calque.setStyle({ color: Z.COULEURS.selection, opacity: 1, weight: 3 });
      calque.bringToFront();
    }

    function dessiner() {
      if (couche) { carte.removeLayer(couche); }
      selection = null;
      couche = L.geoJSON(geometrie, {
        style: style,
        onEachFeature: function (feature, calque) {
          calque.on("click", function (e) { surClic(feature, calque, e.latlng); });
          base.infobulle(calque, feature.properties.nom, { sticky: true, direction: "top", opacity: 0.9 });
        }
      }).addTo(carte);
      base.cadrer(carte, couche.getBounds(), { padding: [8, 8], animate: false });
    }

    function recolorer() {
      couche.eachLayer(function (calque) { calque.setStyle(style(calque.feature)); });
      if (selection) { mettreEnEvidence(selection); }
    }

    return {
      // Shows `nouveauClassement` on the outlines `nouvelleGeometrie`: drawn (and framed) anew when the outlines
      // changed, recoloured otherwise.
      afficher: function (nouvelleGeometrie, nouveauClassement) {
        classement = nouveauClassement;
        if (nouvelleGeometrie !== geometrie) {
          geometrie = nouvelleGeometrie;
          dessiner();
        } else {
          recolorer();
        }
      },
      selectionner: function (calque) {
        if (selection && selection !== calque) { selection.setStyle(style(selection.feature)); }
        selection = calque;
        mettreEnEvidence(calque);
      },
      deselectionner: function () {
        if (selection) { selection.setStyle(style(selection.feature)); selection = null; }
      }
    };
  };
})();
