// Zonage map (6/7): a commune's popup, opened by a click — its name at once, then its levels of every kind on the
// date shown, its QPV and a link to its page, once fetched. Built from elements and text only: the names in it
// (commune, QPV) are data.
(function () {
  "use strict";
  var base = window.CartePaps;
  var Z = base.zonages;
  var creer = base.creer;

  function remplir(contenu, donnees) {
    contenu.textContent = "";
    contenu.appendChild(creer("h3", null, donnees.nom + " (" + donnees.departement.code + ")"));
    contenu.appendChild(creer("p", null, "Zonages au " + Z.dateFr(donnees.date) + " :"));
    var liste = creer("ul");
    var absents = [];
    donnees.niveaux.forEach(function (n) {
      if (!n.niveau) { absents.push(n.type_libelle); return; }
      var ligne = creer("li");
      ligne.setAttribute("data-type", n.type);
      ligne.appendChild(Z.pastille(n.couleur || Z.COULEURS.sansNiveau));
      ligne.appendChild(document.createTextNode(n.type_libelle + " : " + n.libelle));
      liste.appendChild(ligne);
    });
    if (!liste.childNodes.length) { liste.appendChild(creer("li", null, "Aucun zonage publié en vigueur à cette date.")); }
    contenu.appendChild(liste);
    if (donnees.qpv.length) {
      contenu.appendChild(creer("p", null, "Quartiers prioritaires (QPV) : " + donnees.qpv.map(function (q) {
        return q.nom + " (" + q.code + ")";
      }).join(", ") + "."));
    }
    if (absents.length) {
      contenu.appendChild(creer("p", "fr-text--xs", "Pas de zonage publié à cette date : " + absents.join(", ") + "."));
    }
    var lien = creer("a", "fr-link", "Fiche de la commune");
    lien.href = donnees.url;
    contenu.appendChild(lien);
  }

  // `communes`: the layer of Z.Communes (the commune clicked is outlined while its popup is open).
  Z.Popup = function (carte, donnees, communes) {
    carte.on("popupclose", function () { communes.deselectionner(); });
    return {
      ouvrir: function (feature, calque, position, date) {
        var p = feature.properties;
        var contenu = creer("div", "popup-zonages");
        contenu.appendChild(creer("h3", null, p.nom + " (" + p.departement + ")"));
        contenu.appendChild(creer("p", null, "Chargement des zonages…"));
        // At most 340 px, and narrow enough to fit in a phone's map with its margins (Leaflet then pans it in view).
        var largeur = Math.max(160, Math.min(340, carte.getSize().x - 70));
        // The top padding keeps the popup's title clear of the zoom buttons when Leaflet pans it into view.
        var popup = L.popup({ maxWidth: largeur, minWidth: Math.min(240, largeur), autoPanPaddingTopLeft: L.point(10, 80) })
          .setLatLng(position).setContent(contenu).openOn(carte);
        communes.selectionner(calque);  // after openOn: closing the previous popup deselects its commune
        donnees.commune(p.code, date)
          .then(function (d) { remplir(contenu, d); popup.update(); })
          .catch(function (erreur) {
            contenu.lastChild.textContent = erreur.message;
            popup.update();
          });
      }
    };
  };
})();
