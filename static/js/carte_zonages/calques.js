// Zonage map (4/7): the overlays, as zonages/carte.py defines them (config.calques): a "classement" overlay hatches
// the communes at some levels of the first of its kinds in force on the date, a "qpv" overlay draws the priority
// neighbourhoods. The hatches are the page's SVG patterns (the legend uses them as they are), copied on canvas for
// the map. Each overlay's state is written under its checkbox, worded by its definition.
(function () {
  "use strict";
  var base = window.CartePaps;
  var Z = base.zonages;

  // A canvas pattern drawn like the page's SVG <pattern id=…>: one line, rotated ±45°, maybe dashed.
  function copieSurCanvas(id) {
    var motif = document.getElementById(id);
    var ligne = motif && motif.querySelector("line");
    if (!ligne) { return null; }
    var pas = parseFloat(motif.getAttribute("width")) || 7;
    var rotation = /rotate\((-?[\d.]+)/.exec(motif.getAttribute("patternTransform") || "");
    var montante = !rotation || parseFloat(rotation[1]) >= 0;  // rotate(45) turns the vertical line into "/"
    var tuile = document.createElement("canvas");
    tuile.width = pas;
    tuile.height = pas;
    var ctx = tuile.getContext("2d");
    ctx.strokeStyle = ligne.getAttribute("stroke") || "#161616";
    ctx.lineWidth = parseFloat(ligne.getAttribute("stroke-width")) || 1;
    var tirets = ligne.getAttribute("stroke-dasharray");
    if (tirets) { ctx.setLineDash(tirets.split(/[\s,]+/).map(parseFloat)); }
    [-pas, 0, pas].forEach(function (decalage) {
      ctx.beginPath();
      ctx.moveTo(decalage, montante ? pas : 0);
      ctx.lineTo(decalage + pas, montante ? 0 : pas);
      ctx.stroke();
    });
    return ctx.createPattern(tuile, "repeat");
  }

  function ecrireEtat(cle, texte) {
    var noeud = document.getElementById("calque-" + cle + "-etat");
    if (noeud) { noeud.textContent = texte; }
  }

  // `definitions`: config.calques; `rendu`: the canvas renderer of the overlays' pane.
  Z.Calques = function (carte, donnees, definitions, rendu) {
    var couches = [];
    var motifs = {};  // SVG pattern id → canvas pattern

    function motif(id) {
      if (!(id in motifs)) { motifs[id] = copieSurCanvas(id); }
      return motifs[id];
    }

    // What the overlay needs on `date`: the classification of each of its kinds, or the QPV polygons.
    function chargerUn(definition, date) {
      if (definition.source === "qpv") { return donnees.qpv(date); }
      return Promise.all(definition.types.map(function (type) { return donnees.classement(type, date); }));
    }

    function hachurer(definition, classement, geometrie, entrees) {
      var montre = definition.montres[classement.type];
      var motifDuNiveau = {};
      montre.hachures.forEach(function (h) {
        motifDuNiveau[h.niveau] = motif(h.motif);
        entrees.push({ remplissage: "url(#" + h.motif + ")", libelle: h.legende });
      });
      function motifDe(feature) { return motifDuNiveau[classement.niveaux[feature.properties.code]] || null; }
      couches.push(L.geoJSON(geometrie, {
        renderer: rendu, interactive: false,
        filter: function (feature) { return Boolean(motifDe(feature)); },
        style: function (feature) { return { stroke: false, fill: true, fillColor: motifDe(feature), fillOpacity: 1 }; }
      }).addTo(carte));
      ecrireEtat(definition.cle, montre.etat);
    }

    function dessinerQpv(definition, qpv, date, entrees) {
      var nombre = qpv.features.length;
      if (!nombre) {
        ecrireEtat(definition.cle, definition.etat_absent);
        entrees.push({ message: definition.legende_absent.replace("{date}", Z.dateFr(date)) });
        return;
      }
      couches.push(L.geoJSON(qpv, {
        renderer: rendu, interactive: false,
        style: { color: Z.COULEURS.selection, weight: 2, fillColor: Z.COULEURS.selection, fillOpacity: 0.4 }
      }).addTo(carte));
      entrees.push({ remplissage: Z.COULEURS.selection, libelle: definition.legende, bordure: Z.COULEURS.selection });
      ecrireEtat(definition.cle, (nombre === 1 ? definition.etat_un : definition.etat).replace("{nombre}", String(nombre)));
    }

    return {
      // The data of the overlays `cles` on `date`: a promise of {cle: data}.
      charger: function (cles, date) {
        var choisies = definitions.filter(function (d) { return cles.indexOf(d.cle) >= 0; });
        return Promise.all(choisies.map(function (d) { return chargerUn(d, date); })).then(function (valeurs) {
          var resultat = {};
          choisies.forEach(function (d, i) { resultat[d.cle] = valeurs[i]; });
          return resultat;
        });
      },
      // Replaces the overlays drawn by those of `donneesCalques` (from `charger`) over the communes `geometrie`;
      // returns their legend entries ({remplissage, libelle, bordure} or {message}), in the definitions' order.
      dessiner: function (donneesCalques, date, geometrie) {
        couches.forEach(function (couche) { carte.removeLayer(couche); });
        couches = [];
        var entrees = [];
        definitions.forEach(function (definition) {
          var valeur = donneesCalques[definition.cle];
          if (!valeur) { return; }
          if (definition.source === "qpv") { dessinerQpv(definition, valeur, date, entrees); return; }
          var enVigueur = valeur.filter(function (classement) { return classement.version; })[0];
          if (enVigueur) {
            hachurer(definition, enVigueur, geometrie, entrees);
          } else {
            ecrireEtat(definition.cle, definition.etat_absent);
          }
        });
        return entrees;
      }
    };
  };
})();
