// Zonage map (2/7): loading the data. Geometry and classification are fetched apart: the commune outlines (a static,
// long-cached GeoJSON, for the region or one département) once, then the classification of a kind on a date (a
// small JSON). Each URL is fetched once per page; a failed one is fetched again when asked again.
(function () {
  "use strict";
  var base = window.CartePaps;
  var Z = base.zonages;

  // `adresse` with the non-empty `parametres` as its query string.
  Z.avecParametres = function (adresse, parametres) {
    var requete = new URLSearchParams();
    Object.keys(parametres).forEach(function (cle) {
      if (parametres[cle]) { requete.set(cle, parametres[cle]); }
    });
    var texte = requete.toString();
    return texte ? adresse + "?" + texte : adresse;
  };

  // The map's data sources, from the page's configuration (URLs and outlines' version).
  Z.Donnees = function (config) {
    var memoire = {};  // url → promise of its JSON

    function charger(url) {
      if (!memoire[url]) {
        memoire[url] = base.chargerJson(url);
        memoire[url].catch(function () { delete memoire[url]; });
      }
      return memoire[url];
    }

    function avecCode(modele, code) { return modele.replace("CODE", encodeURIComponent(code)); }

    return {
      // The commune outlines of a département, or of the region when `departement` is empty.
      geometrie: function (departement) {
        var adresse = departement ? avecCode(config.urls.contours_departement, departement) : config.urls.contours_region;
        return charger(Z.avecParametres(adresse, { v: config.version_contours }));
      },
      limites: function () { return charger(Z.avecParametres(config.urls.limites, { v: config.version_contours })); },
      // {type, date, version, niveaux: {code INSEE: level}}.
      classement: function (type, date) {
        return charger(Z.avecParametres(config.urls.classement, { type: type, date: date }));
      },
      qpv: function (date) { return charger(Z.avecParametres(config.urls.qpv, { date: date })); },
      // One commune's levels of every kind, and its QPV (the popup).
      commune: function (code, date) {
        return charger(Z.avecParametres(avecCode(config.urls.commune, code), { date: date }));
      }
    };
  };
})();
