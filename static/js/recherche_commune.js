// Accessible autocomplete for every commune search box (ARIA 1.2 combobox pattern).
// Without JavaScript the box is a plain GET form to the results page; this script only adds suggestions.
(function () {
  "use strict";
  var DELAI_MS = 150;

  // `champ` navigates to the chosen commune's page, or, with data-autocompletion="remplir", fills itself with
  // "Nom (code INSEE)" for the form it belongs to.
  function initialiser(champ) {
    if (champ.dataset.autocompletionPrete) { return; }
    champ.dataset.autocompletionPrete = "oui";
    var formulaire = champ.form;
    var url = champ.dataset.suggestions || (formulaire && formulaire.dataset.suggestions);
    if (!url) { return; }
    var remplir = champ.dataset.autocompletion === "remplir";
    var idListe = champ.id + "-suggestions";
    var liste = document.createElement("ul");
    liste.id = idListe;
    liste.className = "suggestions-communes";
    liste.setAttribute("role", "listbox");
    liste.setAttribute("aria-label", remplir ? "Communes suggérées" : "Communes et départements suggérés");
    liste.hidden = true;
    var statut = document.createElement("p");
    statut.className = "fr-sr-only";
    statut.setAttribute("role", "status");
    statut.setAttribute("aria-live", "polite");
    champ.parentNode.classList.add("autocompletion");
    champ.parentNode.appendChild(liste);
    champ.parentNode.appendChild(statut);
    champ.setAttribute("role", "combobox");
    champ.setAttribute("aria-autocomplete", "list");
    champ.setAttribute("aria-expanded", "false");
    champ.setAttribute("aria-controls", idListe);

    var resultats = [];
    var actif = -1;
    var minuteur = null;
    var derniereRequete = 0;

    function fermer() {
      liste.hidden = true;
      champ.setAttribute("aria-expanded", "false");
      champ.removeAttribute("aria-activedescendant");
      actif = -1;
    }

    function surligner(index) {
      var options = liste.querySelectorAll("[role=option]");
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      actif = index;
      if (index >= 0 && options[index]) {
        champ.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        champ.removeAttribute("aria-activedescendant");
      }
    }

    function afficher(donnees) {
      // A field that fills itself takes communes only; the search box also offers départements and "autour de".
      resultats = (donnees.resultats || []).filter(function (r) { return !remplir || !r.type || r.type === "commune"; });
      liste.textContent = "";
      resultats.forEach(function (commune, i) {
        var option = document.createElement("li");
        option.id = idListe + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var nom = document.createElement("span");
        nom.className = "suggestions-communes__nom";
        nom.textContent = commune.nom;
        var detail = document.createElement("span");
        detail.className = "suggestions-communes__detail";
        detail.textContent = [commune.departement, (commune.codes_postaux || []).join(", ")]
          .filter(function (partie) { return partie; }).join(" · ");
        option.appendChild(nom);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(detail);
        option.addEventListener("mousedown", function (evenement) { evenement.preventDefault(); });
        option.addEventListener("click", function () { choisir(i); });
        liste.appendChild(option);
      });
      if (resultats.length) {
        liste.hidden = false;
        champ.setAttribute("aria-expanded", "true");
        statut.textContent = resultats.length + (resultats.length > 1 ? " suggestions" : " suggestion");
      } else {
        fermer();
        statut.textContent = "Aucune commune ne correspond.";
      }
      actif = -1;
    }

    function choisir(index) {
      var commune = resultats[index];
      if (!commune) { return; }
      if (remplir) {
        champ.value = commune.nom + " (" + commune.code_insee + ")";
        fermer();
      } else {
        window.location.assign(commune.url);
      }
    }

    function chercher() {
      var texte = champ.value.trim();
      if (texte.length < 2) { fermer(); return; }
      var numero = ++derniereRequete;
      fetch(url + "?q=" + encodeURIComponent(texte), { headers: { "Accept": "application/json" } })
        .then(function (reponse) { return reponse.ok ? reponse.json() : { resultats: [] }; })
        .then(function (donnees) { if (numero === derniereRequete) { afficher(donnees); } })
        .catch(function () { fermer(); });
    }

    champ.addEventListener("input", function () {
      clearTimeout(minuteur);
      minuteur = setTimeout(chercher, DELAI_MS);
    });
    champ.addEventListener("keydown", function (evenement) {
      if (liste.hidden) { return; }
      if (evenement.key === "ArrowDown") {
        evenement.preventDefault();
        surligner(Math.min(actif + 1, resultats.length - 1));
      } else if (evenement.key === "ArrowUp") {
        evenement.preventDefault();
        surligner(Math.max(actif - 1, -1));
      } else if (evenement.key === "Enter" && actif >= 0) {
        evenement.preventDefault();
        choisir(actif);
      } else if (evenement.key === "Escape") {
        fermer();
      }
    });
    champ.addEventListener("blur", function () { setTimeout(fermer, 100); });
  }

  document.querySelectorAll("form.recherche-commune input[name=q], input[data-autocompletion]").forEach(initialiser);
  // For a field that arrives later (the simulator swaps its steps in).
  window.RechercheCommune = { initialiser: initialiser };
})();
