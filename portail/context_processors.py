from django.urls import reverse

from territoires.etendue import etendue_servie
from territoires.exemples import exemples_du_perimetre
from territoires.regions_servies import (
    ars_du_perimetre,
    du_perimetre,
    en_perimetre,
    nom_du_perimetre,
    nom_du_portail,
    sites_ars_du_perimetre,
)

NAVIGATION = [
    ("mes_aides", "Mes aides"),
    ("je_m_installe", "Je m'installe"),
    ("ou_m_installer", "Où m'installer ?"),
    ("zonages", "Zonages"),
    ("aides", "Aides"),
    ("structures", "Structures"),
    ("cpts", "CPTS"),
]


def portail(request):
    """Main navigation, with the current section marked for aria-current; the portal's name and wording from the
    served regions (PAPS_REGIONS): « PAPS Occitanie », « en Occitanie », « d'Occitanie », « l'ARS Occitanie » and
    its site for 76. `etendue_servie` and `exemples` are the functions themselves: the template calls them only on a
    page with a map, which then opens on the served regions' extent (json_script "etendue-servie"), or with example
    searches (a query)."""
    chemin = request.path
    liens = [{"url": reverse(nom), "libelle": libelle} for nom, libelle in NAVIGATION]
    liens.append({"url": reverse("api"), "libelle": "API"})
    for lien in liens:
        lien["actif"] = chemin.startswith(lien["url"])
    return {"navigation": liens, "nom_portail": nom_du_portail(), "nom_region": nom_du_perimetre(),
            "en_region": en_perimetre(), "de_region": du_perimetre(), "ars_region": ars_du_perimetre(),
            "sites_ars": sites_ars_du_perimetre(), "exemples": exemples_du_perimetre, "etendue_servie": etendue_servie,
            "devise_portail": "Portail d'accompagnement des professionnels de santé"}
