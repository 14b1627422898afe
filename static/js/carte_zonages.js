// Public zonage map (/zonages/). Geometry and classification are fetched apart: the commune outlines (a static,
// long-cached GeoJSON, for the region or one département) once, then the classification of the chosen kind on the
// chosen date (a small JSON); changing the kind or the date only fetches a classification and recolours.
// The outlines make the map: it stays readable when the tile server is unreachable (tiles then stay blank).
// Polygons are drawn on canvas (SVG takes ten times longer to paint 4,400 communes).
(function () {
  "use strict";

  var COULEUR_SANS_NIVEAU = "#ffffff";
  var COULEUR_SANS_VERSION = "#e5e5e5";
  var COULEUR_SELECTION = "#000091";
  // Overlay hatches: the legend uses the page's SVG patterns, the canvas the same drawn as canvas patterns.
  var MOTIFS_LEGENDE = { montagne: "url(#motif-montagne)", zrrC: "url(#motif-zrr)", zrrPC: "url(#motif-zrr-partiel)" };
  var MOTIFS = {};

  var config, carte, conteneur, formulaire;
  var affiche = null;        // what the map shows: {type, date, departement, calques}
  var geometrieAffichee = null;
  var classementAffiche = null;
  var couches = { communes: null, limites: null, montagne: null, zrr: null, qpv: null };
  var selection = null;
  var numeroDemande = 0;     // only the latest request may draw
  var memoire = {};          // url → promise of its JSON
  var rendus = {};           // canvas renderers of the overlay panes

  function el(id) { return document.getElementById(id); }

  // A repeating hatch of parallel lines, 45° (`sens` 1) or -45° (`sens` -1), dashed or not.
  function hachure(couleur, sens, tirets) {
    var pas = 7;
    var tuile = document.createElement("canvas");
    tuile.width = pas;
    tuile.height = pas;
    var ctx = tuile.getContext("2d");
    ctx.strokeStyle = couleur;
    ctx.lineWidth = 1.5;
    if (tirets) { ctx.setLineDash([2, 2]); }
    [-pas, 0, pas].forEach(function (decalage) {
      ctx.beginPath();
      if (sens > 0) {
        ctx.moveTo(decalage, pas);
        ctx.lineTo(decalage + pas, 0);
      } else {
        ctx.moveTo(decalage, 0);
        ctx.lineTo(decalage + pas, pas);
      }
      ctx.stroke();
    });
    return ctx.createPattern(tuile, "repeat");
  }

  function dateFr(iso) {
    var p = (iso || "").split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : iso;
  }

  function nombreFr(n) { return n.toLocaleString("fr-FR"); }

  function creer(balise, classe, texte) {
    var noeud = document.createElement(balise);
    if (classe) { noeud.className = classe; }
    if (texte !== undefined) { noeud.textContent = texte; }
    return noeud;
  }

  // A small swatch: a plain colour, or one of the overlays' hatch patterns (defined in the page).
  function pastille(remplissage, bordure) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "22");
    svg.setAttribute("height", "14");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", "0.5");
    rect.setAttribute("y", "0.5");
    rect.setAttribute("width", "21");
    rect.setAttribute("height", "13");
    rect.setAttribute("fill", remplissage);
    rect.setAttribute("stroke", bordure || "#666666");
    svg.appendChild(rect);
    return svg;
  }

  // JSON of `url`, fetched once; an error response rejects with the server's French message.
  function charger(url) {
    if (!memoire[url]) {
      memoire[url] = fetch(url).then(function (reponse) {
        return reponse.json().catch(function () { return {}; }).then(function (corps) {
          if (!reponse.ok) { throw new Error(corps.erreur || "Le serveur a répondu « " + reponse.status + " »."); }
          return corps;
        });
      });
      memoire[url].catch(function () { delete memoire[url]; });
    }
    return memoire[url];
  }

  function avecParametres(base, parametres) {
    var requete = new URLSearchParams();
    Object.keys(parametres).forEach(function (cle) {
      if (parametres[cle]) { requete.set(cle, parametres[cle]); }
    });
    var texte = requete.toString();
    return texte ? base + "?" + texte : base;
  }

  function urlGeometrie(departement) {
    var base = departement ? config.urls.contours_departement.replace("CODE", encodeURIComponent(departement))
      : config.urls.contours_region;
    return avecParametres(base, { v: config.version_contours });
  }

  function urlClassement(type, date) {
    return avecParametres(config.urls.classement, { type: type, date: date });
  }

  function niveauDuType(type, code) {
    var niveaux = config.types[type].niveaux;
    for (var i = 0; i < niveaux.length; i++) {
      if (niveaux[i].code === code) { return niveaux[i]; }
    }
    return null;
  }

  // --- Reading the form -------------------------------------------------------------------------------------------

  function lireFormulaire() {
    var calques = [];
    Object.keys(config.calques).forEach(function (cle) {
      var case_ = el("calque-" + cle);
      if (case_ && case_.checked) { calques.push(cle); }
    });
    return {
      type: el("choix-type").value,
      date: el("choix-date").value || (affiche ? affiche.date : config.initial.date),
      departement: el("choix-departement").value,
      calques: calques
    };
  }

  function parametresDe(voulu) {
    return { type: voulu.type, date: voulu.date, departement: voulu.departement, calques: voulu.calques.join(",") };
  }

  // --- Styles -----------------------------------------------------------------------------------------------------

  function couleurCommune(code) {
    if (!classementAffiche || !classementAffiche.version) { return COULEUR_SANS_VERSION; }
    var niveau = niveauDuType(classementAffiche.type, classementAffiche.niveaux[code]);
    return niveau ? niveau.couleur : COULEUR_SANS_NIVEAU;
  }

  function styleCommune(feature) {
    return { fillColor: couleurCommune(feature.properties.code), fillOpacity: 0.8,
             color: "#3a3a3a", opacity: 0.45, weight: 0.5 };
  }

  function recolorer() {
    couches.communes.eachLayer(function (couche) { couche.setStyle(styleCommune(couche.feature)); });
    if (selection) { mettreEnEvidence(selection); }
  }

  function mettreEnEvidence(couche) {
    couche.setStyle({ color: COULEUR_SELECTION, opacity: 1, weight: 3 });
    couche.bringToFront();
  }

  // --- Popup ------------------------------------------------------------------------------------------------------

  function remplirPopup(contenu, donnees) {
    contenu.textContent = "";
    contenu.appendChild(creer("h3", null, donnees.nom + " (" + donnees.departement.code + ")"));
    contenu.appendChild(creer("p", null, "Zonages au " + dateFr(donnees.date) + " :"));
    var liste = creer("ul");
    var absents = [];
    donnees.niveaux.forEach(function (n) {
      if (!n.niveau) { absents.push(n.type_libelle); return; }
      var ligne = creer("li");
      ligne.setAttribute("data-type", n.type);
      ligne.appendChild(pastille(n.couleur || COULEUR_SANS_NIVEAU));
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

  function ouvrirPopup(feature, couche, position) {
    if (selection && selection !== couche) { selection.setStyle(styleCommune(selection.feature)); }
    selection = couche;
    mettreEnEvidence(couche);
    var p = feature.properties;
    var contenu = creer("div", "popup-zonages");
    contenu.appendChild(creer("h3", null, p.nom + " (" + p.departement + ")"));
    contenu.appendChild(creer("p", null, "Chargement des zonages…"));
    var popup = L.popup({ maxWidth: 340, minWidth: 240 }).setLatLng(position).setContent(contenu).openOn(carte);
    var date = affiche.date;
    charger(avecParametres(config.urls.commune.replace("CODE", encodeURIComponent(p.code)), { date: date }))
      .then(function (donnees) { remplirPopup(contenu, donnees); popup.update(); })
      .catch(function (erreur) {
        contenu.lastChild.textContent = erreur.message;
        popup.update();
      });
  }

  // --- Layers -----------------------------------------------------------------------------------------------------

  function dessinerCommunes(geometrie) {
    if (couches.communes) { carte.removeLayer(couches.communes); }
    selection = null;
    couches.communes = L.geoJSON(geometrie, {
      style: styleCommune,
      onEachFeature: function (feature, couche) {
        couche.on("click", function (e) { ouvrirPopup(feature, couche, e.latlng); });
        couche.bindTooltip(feature.properties.nom, { sticky: true, direction: "top", opacity: 0.9 });
      }
    }).addTo(carte);
    carte.fitBounds(couches.communes.getBounds(), { padding: [8, 8], animate: false });
  }

  function retirer(nom) {
    if (couches[nom]) { carte.removeLayer(couches[nom]); couches[nom] = null; }
  }

  function calqueDeCommunes(nom, motifDe) {
    retirer(nom);
    couches[nom] = L.geoJSON(geometrieAffichee, {
      renderer: rendus.calques, interactive: false,
      filter: function (feature) { return Boolean(motifDe(feature.properties.code)); },
      style: function (feature) {
        return { stroke: false, fill: true, fillColor: motifDe(feature.properties.code), fillOpacity: 1 };
      }
    }).addTo(carte);
  }

  function donneesCalques(voulu) {
    var demandes = {};
    if (voulu.calques.indexOf("montagne") >= 0) { demandes.montagne = charger(urlClassement("montagne", voulu.date)); }
    if (voulu.calques.indexOf("zrr") >= 0) {
      demandes.frr = charger(urlClassement("frr", voulu.date));
      demandes.zrr = charger(urlClassement("zrr", voulu.date));
    }
    if (voulu.calques.indexOf("qpv") >= 0) { demandes.qpv = charger(avecParametres(config.urls.qpv, { date: voulu.date })); }
    var cles = Object.keys(demandes);
    return Promise.all(cles.map(function (cle) { return demandes[cle]; })).then(function (valeurs) {
      var resultat = {};
      cles.forEach(function (cle, i) { resultat[cle] = valeurs[i]; });
      return resultat;
    });
  }

  function etatCalque(cle, texte) {
    var noeud = el("calque-" + cle + "-etat");
    if (noeud) { noeud.textContent = texte; }
  }

  // Draws the chosen overlays and returns their legend entries.
  function dessinerCalques(voulu, donnees) {
    var entrees = [];
    ["montagne", "zrr", "qpv"].forEach(retirer);
    var montagne = donnees.montagne;
    if (montagne) {
      if (montagne.version) {
        calqueDeCommunes("montagne", function (code) { return montagne.niveaux[code] === "C" ? MOTIFS.montagne : null; });
        entrees.push({ remplissage: MOTIFS_LEGENDE.montagne, libelle: "Classée en zone de montagne" });
        etatCalque("montagne", "communes classées hachurées");
      } else {
        etatCalque("montagne", "aucune liste en vigueur à cette date");
      }
    }
    var zrr = donnees.frr && donnees.frr.version ? donnees.frr : donnees.zrr;
    if (zrr) {
      if (zrr.version) {
        var sigle = zrr.type === "frr" ? "FRR" : "ZRR";
        calqueDeCommunes("zrr", function (code) { return MOTIFS["zrr" + zrr.niveaux[code]] || null; });
        entrees.push({ remplissage: MOTIFS_LEGENDE.zrrC, libelle: "Classée en " + sigle });
        entrees.push({ remplissage: MOTIFS_LEGENDE.zrrPC, libelle: "Partiellement classée en " + sigle });
        etatCalque("zrr", config.types[zrr.type].libelle + " : communes classées hachurées");
      } else {
        etatCalque("zrr", "ni ZRR ni FRR en vigueur à cette date");
      }
    }
    var qpv = donnees.qpv;
    if (qpv) {
      var nombre = qpv.features.length;
      if (nombre) {
        couches.qpv = L.geoJSON(qpv, {
          renderer: rendus.calques, interactive: false,
          style: { color: COULEUR_SELECTION, weight: 2, fillColor: COULEUR_SELECTION, fillOpacity: 0.4 }
        }).addTo(carte);
        entrees.push({ remplissage: COULEUR_SELECTION, libelle: "Quartier prioritaire (QPV)", bordure: COULEUR_SELECTION });
        etatCalque("qpv", nombre + (nombre > 1 ? " quartiers en vigueur" : " quartier en vigueur"));
      } else {
        etatCalque("qpv", "aucun QPV en vigueur à cette date dans les données chargées");
        entrees.push({ message: "Aucun quartier prioritaire (QPV) n'est en vigueur au " + dateFr(voulu.date) +
                       " dans les données chargées." });
      }
    }
    return entrees;
  }

  // --- Legend, source, status -------------------------------------------------------------------------------------

  function majLegende(entreesCalques) {
    var liste = el("legende-carte");
    liste.textContent = "";
    var comptes = {}, sansNiveau = 0, total = 0;
    geometrieAffichee.features.forEach(function (f) {
      var code = classementAffiche.niveaux[f.properties.code];
      total += 1;
      if (code) { comptes[code] = (comptes[code] || 0) + 1; } else { sansNiveau += 1; }
    });
    function entree(remplissage, libelle, nombre, niveau) {
      var ligne = creer("li");
      ligne.setAttribute("data-niveau", niveau);
      ligne.appendChild(pastille(remplissage));
      ligne.appendChild(creer("span", "legende-carte__libelle", libelle));
      if (nombre !== null) { ligne.appendChild(creer("span", "legende-carte__nombre", nombreFr(nombre))); }
      liste.appendChild(ligne);
    }
    if (!classementAffiche.version) {
      entree(COULEUR_SANS_VERSION, "Aucune version en vigueur à cette date", total, "");
    } else {
      config.types[classementAffiche.type].niveaux.forEach(function (n) {
        if (comptes[n.code]) { entree(n.couleur, n.libelle, comptes[n.code], n.code); }
      });
      Object.keys(comptes).forEach(function (code) {  // a level outside the vocabulary: shown, never hidden
        if (!niveauDuType(classementAffiche.type, code)) { entree(COULEUR_SANS_NIVEAU, code, comptes[code], code); }
      });
      if (sansNiveau) { entree(COULEUR_SANS_NIVEAU, "Non classée dans cette version", sansNiveau, ""); }
    }
    var calques = el("legende-calques");
    calques.textContent = "";
    entreesCalques.forEach(function (e) {
      var ligne = creer("li");
      if (e.message) {
        ligne.appendChild(creer("span", "fr-text--xs", e.message));
      } else {
        ligne.appendChild(pastille(e.remplissage, e.bordure || "#3a3a3a"));
        ligne.appendChild(creer("span", null, e.libelle));
      }
      calques.appendChild(ligne);
    });
    return { total: total, classees: total - sansNiveau };
  }

  function majSource(voulu) {
    var version = classementAffiche.version;
    var libelle = config.types[voulu.type].libelle;
    if (version) {
      el("source-reference").textContent = version.reference + ", en vigueur du " + dateFr(version.valid_from) +
        (version.valid_to ? " au " + dateFr(version.valid_to) : "") + ".";
      el("source-note").textContent = version.note_source || "";
    } else {
      el("source-reference").textContent = "Aucune version du zonage « " + libelle +
        " » n'est publiée en vigueur au " + dateFr(voulu.date) + ".";
      el("source-note").textContent = "";
    }
  }

  function annoncer(texte, erreur) {
    var zone = el("etat-carte");
    zone.textContent = "";
    if (erreur) {
      var alerte = creer("div", "fr-alert fr-alert--error fr-alert--sm");
      alerte.appendChild(creer("p", null, texte));
      zone.appendChild(alerte);
    } else {
      zone.appendChild(creer("p", "fr-mb-2w", texte));
    }
  }

  function majLiens(voulu) {
    var parametres = parametresDe(voulu);
    // The address keeps the choice; today's date is left out, so that a bookmark always shows the zonage in force.
    var adresse = parametresDe(voulu);
    if (adresse.date === config.aujourdhui) { delete adresse.date; }
    history.replaceState(null, "", avecParametres(window.location.pathname, adresse));
    el("lien-tableau").href = avecParametres(config.urls.tableau, parametres);
    el("lien-csv").href = avecParametres(config.urls.tableau_csv,
      { type: voulu.type, date: voulu.date, departement: voulu.departement });
  }

  // --- Applying a choice ------------------------------------------------------------------------------------------

  function appliquer() {
    var voulu = lireFormulaire();
    var numero = ++numeroDemande;
    conteneur.setAttribute("aria-busy", "true");
    Promise.all([charger(urlGeometrie(voulu.departement)), charger(urlClassement(voulu.type, voulu.date)),
                 donneesCalques(voulu)])
      .then(function (resultats) {
        if (numero !== numeroDemande) { return; }
        afficher(voulu, resultats[0], resultats[1], resultats[2]);
      })
      .catch(function (erreur) {
        if (numero !== numeroDemande) { return; }
        conteneur.removeAttribute("aria-busy");
        annoncer(erreur.message, true);
      });
  }

  function afficher(voulu, geometrie, classement, calques) {
    carte.closePopup();
    classementAffiche = classement;
    if (geometrie !== geometrieAffichee) {
      geometrieAffichee = geometrie;
      dessinerCommunes(geometrie);
    } else {
      recolorer();
    }
    var comptes = majLegende(dessinerCalques(voulu, calques));
    majSource(voulu);
    var libelle = config.types[voulu.type].libelle;
    var zone = voulu.departement ? "département " + voulu.departement : "toute la région";
    annoncer(classement.version
      ? libelle + " au " + dateFr(voulu.date) + " (" + zone + ") : " + nombreFr(comptes.classees) + " commune" +
        (comptes.classees > 1 ? "s" : "") + " classée" + (comptes.classees > 1 ? "s" : "") + " sur " +
        nombreFr(comptes.total) + "."
      : "Aucune version du zonage « " + libelle + " » n'est publiée en vigueur au " + dateFr(voulu.date) +
        " : les communes sont en gris.");
    affiche = voulu;
    majLiens(voulu);
    // The canvas repaints at the next frame: the state is published once what it describes is on screen.
    L.Util.requestAnimFrame(function () {
      conteneur.removeAttribute("aria-busy");
      conteneur.setAttribute("data-communes", String(geometrieAffichee.features.length));
      conteneur.setAttribute("data-classement", voulu.type + "|" + voulu.date);
      conteneur.setAttribute("data-departement", voulu.departement);
      conteneur.setAttribute("data-pret", "oui");
    });
  }

  // --- Start (the Leaflet map is left on its container, as `carteLeaflet`, for scripts and tests) ------------------------------------------------------------------------------------------------------

  function demarrer() {
    conteneur = el("carte-zonages");
    var donnees = el("configuration-carte");
    formulaire = el("choix-zonage");
    if (!conteneur || !donnees || typeof L === "undefined") { return; }
    config = JSON.parse(donnees.textContent);
    carte = conteneur.carteLeaflet = L.map(conteneur, { preferCanvas: true, scrollWheelZoom: false, attributionControl: true, zoomSnap: 0.25 });
    ["calques", "limites"].forEach(function (nom, i) {
      var panneau = carte.createPane(nom);
      panneau.style.zIndex = String(450 + 10 * i);
      panneau.style.pointerEvents = "none";
      rendus[nom] = L.canvas({ pane: nom });
    });
    MOTIFS = { montagne: hachure("#3a3a3a", 1, false), zrrC: hachure("#161616", -1, false),
               zrrPC: hachure("#161616", -1, true) };
    var tuiles = L.tileLayer(config.urls.tuiles, { maxZoom: 18, attribution: "© contributeurs d'OpenStreetMap" });
    tuiles.on("tileerror", function () { conteneur.classList.add("carte--sans-fond"); });
    tuiles.addTo(carte);
    carte.on("popupclose", function () {
      if (selection) { selection.setStyle(styleCommune(selection.feature)); selection = null; }
    });
    charger(avecParametres(config.urls.limites, { v: config.version_contours })).then(function (limites) {
      couches.limites = L.geoJSON(limites, {
        renderer: rendus.limites, interactive: false, style: { color: "#161616", weight: 1.5, opacity: 0.8, fill: false }
      }).addTo(carte);
    }).catch(function () { /* the communes alone still make the map */ });

    formulaire.addEventListener("submit", function (e) { e.preventDefault(); appliquer(); });
    ["choix-type", "choix-departement"].forEach(function (id) { el(id).addEventListener("change", appliquer); });
    el("choix-date").addEventListener("change", function () { if (el("choix-date").value) { appliquer(); } });
    Object.keys(config.calques).forEach(function (cle) {
      var case_ = el("calque-" + cle);
      if (case_) { case_.addEventListener("change", appliquer); }
    });
    appliquer();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", demarrer);
  } else {
    demarrer();
  }
})();
