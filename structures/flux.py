"""Atom feed of the job offers in force (/offres/flux.atom). Its texts are what agents type: they are sent as text,
never as markup that a feed reader would render."""
import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from territoires.regions_servies import en_perimetre, nom_du_portail

from .consultation import offres_visibles


class AtomEnTexte(Atom1Feed):
    """Atom whose entries' summaries are text (`type="text"`, RFC 4287 §3.1.1), like their titles: Django writes
    them `type="html"`, so that a reader renders the markup an offer's description may hold (links, images…)."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class FluxOffres(Feed):
    feed_type = AtomEnTexte
    def title(self):
        return f"{nom_du_portail()} — offres d'emploi en cours"

    def subtitle(self):
        return f"Postes pour les professionnels de santé {en_perimetre()} (salariat, exercice partagé, remplacements…)."

    def link(self):
        return reverse("offres")

    def items(self):
        return offres_visibles()[:100]

    def item_title(self, offre):
        return f"{offre.titre} — {offre.commune.nom}"

    def item_description(self, offre):
        return f"{offre.get_type_display()}, {offre.get_profession_display()}, {offre.nom_employeur}. {offre.description}"

    def item_link(self, offre):
        return reverse("offre", args=[offre.pk])

    def item_pubdate(self, offre):
        return timezone.make_aware(datetime.datetime.combine(offre.publiee_le, datetime.time()))
