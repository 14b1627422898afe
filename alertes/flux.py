"""Atom feed of what changes in one commune (/communes/<code>/flux.atom): every recorded change that changes an
answer there, for some profession, with what and from which date."""
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from aides.eligibilite.predicats import date_en_francais
from noyau.cache_generations import en_cache
from territoires.models import Commune
from territoires.regions_servies import nom_du_portail

from .changements import Analyse
from .models import Evenement

CHANGEMENTS_LUS = 60  # the latest changes looked at for a commune


def entrees(code_insee: str) -> list[dict]:
    """The feed's entries for the commune, latest change first; cached until a change, a zonage, a rule or a
    territory changes."""
    def construire():
        resultat = []
        for evenement in Evenement.objects.select_related("zonage").order_by("-cree_le", "-pk")[:CHANGEMENTS_LUS]:
            changements = Analyse(evenement).changements(code_insee)
            if changements:
                resultat.append({"pk": evenement.pk, "description": evenement.description, "date": evenement.cree_le,
                                 "date_effet": evenement.date_effet,
                                 "changements": [(c.libelle_profession, c.lignes) for c in changements]})
        return resultat
    return en_cache(f"alertes:flux:{code_insee}", ("alertes", "zonages", "qpv", "aides", "territoires"), construire)


class FluxCommune(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, code_insee: str):
        commune = (Commune.objects.servies().filter(code_insee=code_insee.upper())
                   .only("code_insee", "nom").first())
        if commune is None:
            raise Http404(f"Aucune commune servie par ce portail n'a le code INSEE « {code_insee[:10]} ».")
        return commune

    def title(self, commune):
        return f"{nom_du_portail()} — ce qui change à {commune.nom}"

    def subtitle(self, commune):
        return (f"Zonages, aides et contraintes d'installation à {commune.nom} ({commune.code_insee}) : chaque "
                "changement publié qui change une réponse, pour quelle profession, et à partir de quelle date.")

    def link(self, commune):
        return reverse("commune", args=[commune.code_insee])

    def items(self, commune):
        return [{**entree, "commune": commune} for entree in entrees(commune.code_insee)]

    def item_title(self, entree):
        return f"{entree['commune'].nom} : à partir du {date_en_francais(entree['date_effet'])}, " + ", ".join(
            profession.lower() for profession, _ in entree["changements"])

    def item_description(self, entree):
        lignes = [entree["description"]]
        for profession, changements in entree["changements"]:
            lignes += [f"{profession} :", *(f"- {ligne}" for ligne in changements)]
        return "\n".join(lignes)

    def item_link(self, entree):
        return f"{reverse('commune', args=[entree['commune'].code_insee])}?date={entree['date_effet'].isoformat()}"

    def item_guid(self, entree):
        return f"paps-occitanie:changement:{entree['pk']}:{entree['commune'].code_insee}"

    item_guid_is_permalink = False

    def item_pubdate(self, entree):
        return entree["date"]

    def item_updateddate(self, entree):
        return entree["date"]

