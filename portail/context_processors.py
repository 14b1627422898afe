from django.urls import reverse

from territoires.etendue import etendue_servie
from territoires.regions_servies import nom_du_perimetre

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
    """Main navigation, with the current section marked for aria-current; the portal's name from the served regions
    (PAPS_REGIONS): « PAPS Occitanie » for 76. `etendue_servie` is the function itself: the template calls it only
    on a page with a map, which then opens on the served regions' extent (json_script "etendue-servie")."""
    chemin = request.path
    liens = [{"url": reverse(nom), "libelle": libelle} for nom, libelle in NAVIGATION]
    liens.append({"url": reverse("api"), "libelle": "API"})
    for lien in liens:
        lien["actif"] = chemin.startswith(lien["url"])
    return {"navigation": liens, "nom_portail": f"PAPS {nom_du_perimetre()}", "nom_region": nom_du_perimetre(),
            "devise_portail": "Portail d'accompagnement des professionnels de santé", "etendue_servie": etendue_servie}
