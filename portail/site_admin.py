"""The administration's home, grouped by the agents' tasks rather than by application; technical tools last."""
from django.contrib import admin

from territoires.regions_servies import nom_du_portail

# (title, [app label or "app_label.model"]) in the order of the home page; a model is placed by its first match.
TACHES = [
    ("Zonages", ["zonages"]),
    ("Aides", ["aides"]),
    ("Structures et CPTS", ["structures.structure", "structures.importstructures", "cpts"]),
    ("Offres d'emploi", ["structures.offre"]),
    ("Territoires et indicateurs", ["territoires", "indicateurs", "portail"]),
    ("Comptes et accès", ["auth", "authtoken"]),
]
TECHNIQUE = "Outils techniques"


class SiteAdmin(admin.AdminSite):
    # Named after the served regions when a page is drawn (PAPS_REGIONS), not when the site is built.
    @property
    def site_header(self) -> str:
        return f"{nom_du_portail()} — administration ARS"

    @property
    def site_title(self) -> str:
        return nom_du_portail()

    index_title = "Tâches des agents de l'ARS"

    def get_app_list(self, request, app_label=None):
        applications = super().get_app_list(request, app_label)
        if app_label is not None:
            return applications  # an application's own page keeps its models
        groupes = {titre: [] for titre, _ in TACHES} | {TECHNIQUE: []}
        for application in applications:
            for modele in application["models"]:
                cle = f"{application['app_label']}.{modele['object_name'].lower()}"
                titre = next((t for t, motifs in TACHES if cle in motifs or application["app_label"] in motifs),
                             TECHNIQUE)
                groupes[titre].append(modele)
        return [{"name": titre, "app_label": _label(titre), "app_url": "", "has_module_perms": True,
                 "models": sorted(modeles, key=lambda m: str(m["name"]))}
                for titre, modeles in groupes.items() if modeles]


def _label(titre: str) -> str:
    return "tache-" + "".join(c if c.isalnum() else "-" for c in titre.lower())
