// Zonage map (5/7): the text around the map — the legend (one entry per level shown, with its number of communes,
// then the overlays' entries), the source of the version shown, and the status line read out to screen readers.
// Everything is written as text.
(function () {
  "use strict";
  var base = window.CartePaps;
  var Z = base.zonages;
  var creer = base.creer;

  function el(id) { return document.getElementById(id); }

  function entree(liste, remplissage, libelle, nombre, niveau) {
    var ligne = creer("li");
    ligne.setAttribute("data-niveau", niveau);
    ligne.appendChild(Z.pastille(remplissage));
    ligne.appendChild(creer("span", "legende-carte__libelle", libelle));
    if (nombre !== null) { ligne.appendChild(creer("span", "legende-carte__nombre", Z.nombreFr(nombre))); }
    liste.appendChild(ligne);
  }

  Z.legende = {
    // The levels of `classement` over the communes of `geometrie`, in the vocabulary's order (a level outside the
    // vocabulary is shown, never hidden); returns {total, classees}.
    niveaux: function (types, geometrie, classement) {
      var liste = el("legende-carte");
      liste.textContent = "";
      var comptes = {}, sansNiveau = 0, total = 0;
      geometrie.features.forEach(function (f) {
        var code = classement.niveaux[f.properties.code];
        total += 1;
        if (code) { comptes[code] = (comptes[code] || 0) + 1; } else { sansNiveau += 1; }
      });
      if (!classement.version) {
        entree(liste, Z.COULEURS.sansVersion, "Aucune version en vigueur à cette date", total, "");
      } else {
        types[classement.type].niveaux.forEach(function (n) {
          if (comptes[n.code]) { entree(liste, n.couleur, n.libelle, comptes[n.code], n.code); }
        });
        Object.keys(comptes).forEach(function (code) {
          if (!Z.niveau(types, classement.type, code)) { entree(liste, Z.COULEURS.sansNiveau, code, comptes[code], code); }
        });
        if (sansNiveau) { entree(liste, Z.COULEURS.sansNiveau, "Non classée dans cette version", sansNiveau, ""); }
      }
      return { total: total, classees: total - sansNiveau };
    },

    // The overlays' entries, from Z.Calques' dessiner.
    calques: function (entrees) {
      var liste = el("legende-calques");
      liste.textContent = "";
      entrees.forEach(function (e) {
        var ligne = creer("li");
        if (e.message) {
          ligne.appendChild(creer("span", "fr-text--xs", e.message));
        } else {
          ligne.appendChild(Z.pastille(e.remplissage, e.bordure || "#3a3a3a"));
          ligne.appendChild(creer("span", null, e.libelle));
        }
        liste.appendChild(ligne);
      });
    },

    // The version shown (reference, validity, note), or that the kind `libelle` has none in force on `date`.
    source: function (version, libelle, date) {
      if (version) {
        el("source-reference").textContent = version.reference + ", en vigueur du " + Z.dateFr(version.valid_from) +
          (version.valid_to ? " au " + Z.dateFr(version.valid_to) : "") + ".";
        el("source-note").textContent = version.note_source || "";
      } else {
        el("source-reference").textContent = "Aucune version du zonage « " + libelle +
          " » n'est publiée en vigueur au " + Z.dateFr(date) + ".";
        el("source-note").textContent = "";
      }
    },

    // The status line (role=status): what the map shows, or an error.
    annoncer: function (texte, erreur) {
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
  };
})();
