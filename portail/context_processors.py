from django.urls import reverse

NAVIGATION = [
    ("je_m_installe", "Je m'installe"),
    ("ou_m_installer", "Où m'installer ?"),
    ("zonages", "Zonages"),
    ("aides", "Aides"),
    ("structures", "Structures"),
    ("cpts", "CPTS"),
]


def portail(request):
    """Main navigation, with the current section marked for aria-current."""
    chemin = request.path
    liens = [{"url": reverse(nom), "libelle": libelle} for nom, libelle in NAVIGATION]
    liens.append({"url": reverse("swagger-ui"), "libelle": "API"})
    for lien in liens:
        lien["actif"] = chemin.startswith(lien["url"])
    return {"navigation": liens, "nom_portail": "PAPS Occitanie",
            "devise_portail": "Portail d'accompagnement des professionnels de santé"}
