// Progress of a zonage import in the administration: polls the JSON state endpoint, updates the <progress> bar,
// and reloads the page once the import is finished so that the server renders its report.
(function () {
  "use strict";

  var conteneur = document.getElementById("suivi-import");
  if (!conteneur || conteneur.dataset.termine === "1") {
    return;
  }
  var url = conteneur.dataset.urlEtat;
  var barre = document.getElementById("suivi-import-barre");
  var pourcentage = document.getElementById("suivi-import-pourcentage");
  var statut = document.getElementById("suivi-import-statut");
  var attente = document.getElementById("suivi-import-attente");
  var erreur = document.getElementById("suivi-import-erreur");
  var delai = 1000;
  var DELAI_MAX = 10000;

  function afficher(etat) {
    var valeur = Math.max(0, Math.min(100, Number(etat.progression) || 0));
    barre.value = valeur;
    barre.textContent = valeur + " %";
    pourcentage.textContent = valeur + " %";
    statut.textContent = etat.libelle;
    statut.className = "statut-import statut-" + etat.statut;
    if (attente) {
      attente.hidden = etat.statut !== "en_attente";
    }
    if (erreur) {
      erreur.hidden = true;
    }
  }

  function interroger() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (reponse) {
        if (!reponse.ok) {
          throw new Error("HTTP " + reponse.status);
        }
        return reponse.json();
      })
      .then(function (etat) {
        afficher(etat);
        if (etat.termine) {
          window.location.reload();
          return;
        }
        delai = 1000;
        window.setTimeout(interroger, delai);
      })
      .catch(function () {
        // Network or server hiccup: keep the page usable and try again, less often.
        if (erreur) {
          erreur.textContent = "État de l'import momentanément indisponible ; nouvel essai dans quelques secondes…";
          erreur.hidden = false;
        }
        delai = Math.min(delai * 2, DELAI_MAX);
        window.setTimeout(interroger, delai);
      });
  }

  window.setTimeout(interroger, delai);
})();
