// The guided simulator (« Mes aides ») without reloading the page. Each answer asks the server for the next step
// (the same URL with partiel=1: the HTML the page shows without JavaScript) and swaps it in, so the results update as
// she answers; the address follows (back and forward work). Without this script every step is its own page.
// Nothing from the answers is written into the page here: the server renders and escapes every string, the fragment
// is parsed as a separate document and its node moved in; announcements are set as text.
(function () {
  "use strict";
  var conteneur = document.getElementById("simulateur");
  if (!conteneur || !window.fetch || !window.DOMParser || !window.URL) { return; }
  var annonce = document.getElementById("simulateur-annonce");
  var requete = null;

  function sansPartiel(url) {
    var adresse = new URL(url, window.location.href);
    adresse.searchParams.delete("partiel");
    return adresse.toString();
  }

  function annoncer() {
    if (annonce) { annonce.textContent = conteneur.getAttribute("data-annonce") || ""; }
  }

  // Focus on the step's title, keeping the summary in view on a phone (it comes first there).
  function focaliser() {
    var titre = document.getElementById("question-titre");
    if (titre) { titre.focus({ preventScroll: true }); }
    if (conteneur.getBoundingClientRect().top < 0) { conteneur.scrollIntoView({ block: "start" }); }
  }

  function charger(url, empiler) {
    var cible = new URL(url, window.location.href);
    cible.searchParams.set("partiel", "1");
    if (requete) { requete.abort(); }
    requete = new AbortController();
    conteneur.setAttribute("aria-busy", "true");
    fetch(cible.toString(), { headers: { Accept: "text/html" }, signal: requete.signal })
      .then(function (reponse) {
        // A 400 (an answer out of bounds) carries the question again with its error: shown like any step.
        return reponse.text().then(function (texte) { return { texte: texte, url: reponse.url }; });
      })
      .then(function (resultat) {
        var nouveau = new DOMParser().parseFromString(resultat.texte, "text/html").getElementById("simulateur");
        if (!nouveau) { window.location.assign(sansPartiel(resultat.url)); return; }
        conteneur.replaceWith(document.adoptNode(nouveau));
        conteneur = nouveau;
        var adresse = sansPartiel(resultat.url);
        if (empiler) {
          window.history.pushState({ simulateur: true }, "", adresse);
        } else {
          window.history.replaceState({ simulateur: true }, "", adresse);
        }
        brancher();
        annoncer();
        focaliser();
      })
      .catch(function (erreur) {
        if (erreur.name !== "AbortError") { window.location.assign(sansPartiel(cible.toString())); }
      });
  }

  function envoyer(formulaire, bouton) {
    var donnees = new FormData(formulaire);
    if (bouton && bouton.name) { donnees.append(bouton.name, bouton.value); }
    var parametres = new URLSearchParams();
    donnees.forEach(function (valeur, cle) { if (valeur !== "") { parametres.append(cle, valeur); } });
    charger(formulaire.action + "?" + parametres.toString(), true);
  }

  function brancher() {
    conteneur.querySelectorAll("form[data-simulateur-formulaire]").forEach(function (formulaire) {
      var bouton = null;
      formulaire.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.addEventListener("click", function () { bouton = b; });
      });
      formulaire.addEventListener("submit", function (evenement) {
        evenement.preventDefault();
        envoyer(formulaire, bouton);
        bouton = null;
      });
      // A choice made with the pointer is sent at once; from the keyboard (arrows browse the options), with Enter
      // or the button, as without this script.
      if (formulaire.hasAttribute("data-simulateur-auto")) {
        formulaire.querySelectorAll("input[type=radio]").forEach(function (option) {
          option.addEventListener("click", function (evenement) {
            if (evenement.detail > 0) { envoyer(formulaire, null); }
          });
        });
        var aide = formulaire.querySelector("[data-simulateur-aide]");
        if (aide) { aide.hidden = false; }
      }
    });
    conteneur.querySelectorAll("a[data-simulateur-lien]").forEach(function (lien) {
      lien.addEventListener("click", function (evenement) {
        if (evenement.ctrlKey || evenement.metaKey || evenement.shiftKey || evenement.button !== 0) { return; }
        evenement.preventDefault();
        charger(lien.href, true);
      });
    });
    conteneur.querySelectorAll("input[data-autocompletion]").forEach(function (champ) {
      if (window.RechercheCommune) { window.RechercheCommune.initialiser(champ); }
    });
  }

  window.addEventListener("popstate", function () { charger(window.location.href, false); });
  document.querySelectorAll("[data-imprimer]").forEach(function (bouton) {
    bouton.hidden = false;
    bouton.addEventListener("click", function () { window.print(); });
  });
  brancher();
})();
