// Zonage map (1/7): what the other files share — the colours of communes without a level, the lookup of a level in
// the kinds' vocabulary (config.types, from zonages/carte.py), French dates and numbers, and the legend's swatches.
(function () {
  "use strict";
  var Z = window.CartePaps.zonages = {};

  Z.COULEURS = { sansNiveau: "#ffffff", sansVersion: "#e5e5e5", selection: "#000091" };

  // The level `code` of the kind `type` in the vocabulary `types`, or null when the vocabulary has no such level.
  Z.niveau = function (types, type, code) {
    var niveaux = types[type].niveaux;
    for (var i = 0; i < niveaux.length; i++) {
      if (niveaux[i].code === code) { return niveaux[i]; }
    }
    return null;
  };

  // "2025-01-31" → "31/01/2025".
  Z.dateFr = function (iso) {
    var p = (iso || "").split("-");
    return p.length === 3 ? p[2] + "/" + p[1] + "/" + p[0] : iso;
  };

  Z.nombreFr = function (n) { return n.toLocaleString("fr-FR"); };

  // A small swatch: a plain colour, or one of the overlays' hatch patterns ("url(#motif-…)", defined in the page).
  Z.pastille = function (remplissage, bordure) {
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
  };
})();
