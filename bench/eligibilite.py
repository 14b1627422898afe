"""Engine throughput: every commune of the region × every profession, for one situation.

    .venv/bin/python bench/eligibilite.py

Loads the real territories, the manifest zonages and the rule files into a throwaway database, reads every
commune's levels on the date in one query, then times the pure engine alone (no database while it evaluates). The
machine's load average is printed with the figures (other processes share its cores).
"""
import datetime
import os
import time

from _base import RACINE, base_jetable

DONNEES = RACINE / "donnees"
JOUR = datetime.date(2026, 3, 1)


def main():
    with base_jetable():
        from aides import catalogue
        from aides.eligibilite.faits import PROFESSIONS, Faits, Situation
        from aides.eligibilite.moteur import evaluer
        from territoires.models import Commune
        from territoires.referentiels.chargement import charger_territoires
        from zonages.consultation import en_vigueur
        from zonages.manifeste import charger_zonages_du_manifeste
        from zonages.models import Classement

        charger_territoires(DONNEES)
        charger_zonages_du_manifeste(DONNEES)
        catalogue.charger_regles()
        dispositifs = catalogue.dispositifs()
        niveaux: dict[str, dict[str, str]] = {}
        for commune, type_, niveau in (Classement.objects.filter(en_vigueur(JOUR, "zonage__"))
                                       .values_list("commune_id", "zonage__type", "niveau")):
            niveaux.setdefault(commune, {})[type_] = niveau
        communes = list(Commune.objects.values_list("code_insee", "nom", "departement_id", "population"))
        situation = Situation(etape="installation", mode="liberal", exercice_coordonne="msp", secteur="1",
                              premiere_installation=True, demi_journees=8, pdsa=True)
        debut = time.perf_counter()
        resultats = statuts = 0
        for code, nom, departement, population in communes:
            for profession in PROFESSIONS:
                faits = Faits(code, nom, departement, population, profession, JOUR, niveaux.get(code, {}), None, situation)
                evaluation = evaluer(dispositifs, faits)
                resultats += 1
                statuts += len(evaluation)
        duree = time.perf_counter() - debut
        print(f"{len(dispositifs)} dispositifs ; {len(communes)} communes × {len(PROFESSIONS)} professions = "
              f"{resultats} simulations ({statuts} évaluations de dispositif) en {duree:.1f} s : "
              f"{resultats / duree:.0f} simulations/s, {statuts / duree:.0f} dispositifs évalués/s, "
              f"{duree / resultats * 1000:.2f} ms par simulation (charge moyenne de la machine : {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
