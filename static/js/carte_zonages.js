// Zonage map (7/7, /zonages/): the controls and the start. Reads the form (kind, date, département, overlays), fetches
// what the choice needs (outlines once, then a small classification: changing the kind or the date only recolours),
// draws it, and keeps the address and the table's links in step. The outlines make the map: it stays readable when
// the tile server is unreachable. Configuration from the page (#configuration-carte, built by zonages/views.py);
// the other files of the map are in carte_zonages/, loaded before this one.
// When the map shows a choice, the container gets data-pret="oui", data-communes, data-classement ("type|date") and
// data-departement.
(function () {
  "use strict";
  var base = window.CartePaps;
  var Z = base.zonages;

  function el(id) { return document.getElementById(id); }

  base.quandPret(function () {
    var conteneur = el("carte-zonages");
    var config = base.lireDonnees("configuration-carte");
    var formulaire = el("choix-zonage");
    if (!conteneur || !config || !formulaire) { return; }

    var carte = base.creerCarte(conteneur, { preferCanvas: true, zoomSnap: 0.25 });
    base.cadrerSurEtendue(carte);  // until the outlines are drawn (and framed)
    // Overlays and the départements' limits over the communes, on their own canvases, letting clicks through.
    var rendus = {};
    ["calques", "limites"].forEach(function (nom, i) {
      var panneau = carte.createPane(nom);
      panneau.style.zIndex = String(450 + 10 * i);
      panneau.style.pointerEvents = "none";
      rendus[nom] = L.canvas({ pane: nom });
    });
    base.ajouterFond(carte, conteneur, config.urls.tuiles);

    var donnees = Z.Donnees(config);
    var affiche = null;     // the choice shown: {type, date, departement, calques}
    var numeroDemande = 0;  // only the latest request may draw
    var popup;
    var communes = Z.Communes(carte, config.types, function (feature, calque, position) {
      popup.ouvrir(feature, calque, position, affiche.date);
    });
    popup = Z.Popup(carte, donnees, communes);
    var calques = Z.Calques(carte, donnees, config.calques, rendus.calques);

    donnees.limites().then(function (limites) {
      L.geoJSON(limites, {
        renderer: rendus.limites, interactive: false, style: { color: "#161616", weight: 1.5, opacity: 0.8, fill: false }
      }).addTo(carte);
    }).catch(function () { /* the communes alone still make the map */ });

    function lireFormulaire() {
      var coches = config.calques.map(function (c) { return c.cle; }).filter(function (cle) {
        var caseACocher = el("calque-" + cle);
        return caseACocher && caseACocher.checked;
      });
      return {
        type: el("choix-type").value,
        date: el("choix-date").value || (affiche ? affiche.date : config.initial.date),
        departement: el("choix-departement").value,
        calques: coches
      };
    }

    function parametresDe(voulu) {
      return { type: voulu.type, date: voulu.date, departement: voulu.departement, calques: voulu.calques.join(",") };
    }

    function majLiens(voulu) {
      // The address keeps the choice; today's date is left out, so that a bookmark always shows the zonage in force.
      var adresse = parametresDe(voulu);
      if (adresse.date === config.aujourdhui) { delete adresse.date; }
      history.replaceState(null, "", Z.avecParametres(window.location.pathname, adresse));
      el("lien-tableau").href = Z.avecParametres(config.urls.tableau, parametresDe(voulu));
      el("lien-csv").href = Z.avecParametres(config.urls.tableau_csv,
        { type: voulu.type, date: voulu.date, departement: voulu.departement });
    }

    function afficher(voulu, geometrie, classement, donneesCalques) {
      carte.closePopup();
      communes.afficher(geometrie, classement);
      var comptes = Z.legende.niveaux(config.types, geometrie, classement);
      Z.legende.calques(calques.dessiner(donneesCalques, voulu.date, geometrie));
      var libelle = config.types[voulu.type].libelle;
      Z.legende.source(classement.version, libelle, voulu.date);
      var zone = voulu.departement ? "département " + voulu.departement : "toute la région";
      var pluriel = comptes.classees > 1 ? "s" : "";
      Z.legende.annoncer(classement.version
        ? libelle + " au " + Z.dateFr(voulu.date) + " (" + zone + ") : " + Z.nombreFr(comptes.classees) + " commune" +
          pluriel + " classée" + pluriel + " sur " + Z.nombreFr(comptes.total) + "."
        : "Aucune version du zonage « " + libelle + " » n'est publiée en vigueur au " + Z.dateFr(voulu.date) +
          " : les communes sont en gris.");
      affiche = voulu;
      majLiens(voulu);
      // The canvas repaints at the next frame: the state is published once what it describes is on screen.
      L.Util.requestAnimFrame(function () {
        conteneur.removeAttribute("aria-busy");
        base.signalerPret(conteneur, { communes: geometrie.features.length, classement: voulu.type + "|" + voulu.date,
                                       departement: voulu.departement });
      });
    }

    function appliquer() {
      var voulu = lireFormulaire();
      var numero = ++numeroDemande;
      conteneur.setAttribute("aria-busy", "true");
      Promise.all([donnees.geometrie(voulu.departement), donnees.classement(voulu.type, voulu.date),
                   calques.charger(voulu.calques, voulu.date)])
        .then(function (r) {
          if (numero === numeroDemande) { afficher(voulu, r[0], r[1], r[2]); }
        })
        .catch(function (erreur) {
          if (numero !== numeroDemande) { return; }
          conteneur.removeAttribute("aria-busy");
          Z.legende.annoncer(erreur.message, true);
        });
    }

    formulaire.addEventListener("submit", function (e) { e.preventDefault(); appliquer(); });
    ["choix-type", "choix-departement"].forEach(function (id) { el(id).addEventListener("change", appliquer); });
    el("choix-date").addEventListener("change", function () { if (el("choix-date").value) { appliquer(); } });
    config.calques.forEach(function (c) {
      var caseACocher = el("calque-" + c.cle);
      if (caseACocher) { caseACocher.addEventListener("change", appliquer); }
    });
    appliquer();
  });
})();
