"""Atom feed of the job offers in force (/offres/flux.atom)."""
import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from .consultation import offres_visibles


class FluxOffres(Feed):
    feed_type = Atom1Feed
    title = "PAPS Occitanie — offres d'emploi en cours"
    subtitle = "Postes pour les professionnels de santé en Occitanie (salariat, exercice partagé, remplacements…)."

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
