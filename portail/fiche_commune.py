"""What the commune page says when a zonage is not known for the commune on the chosen date: no version loaded, a
version that gives the commune no level (a commune created since, former communes of different levels…), or a
version no longer in force. Unknown is said as unknown, with where the official classification is: never "no"."""
import datetime
from dataclasses import dataclass

from django.utils import formats

from zonages.carte import versions_en_vigueur
from zonages.consultation import ZonageCommune
from zonages.models import Zonage
from zonages.niveaux import TYPES, TypeZonage


@dataclass(frozen=True)
class ZonageInconnu:
    type_zonage: TypeZonage
    nom_commune: str
    jour: datetime.date
    version: Zonage | None = None  # in force, but without a level for the commune
    terminee: Zonage | None = None  # the latest version, ended before the date

    @property
    def detail(self) -> str:
        """Why the level is not known, without the kind's name (the page's table row already names it)."""
        if self.version:  # its note, shown with it, often says why (a commune created since the file…)
            return f"La version en vigueur ({self.version.reference}) ne donne pas de niveau pour {self.nom_commune}."
        if self.terminee:
            fin = formats.date_format(self.terminee.valid_to, "j F Y")
            return f"Dernière version en vigueur jusqu'au {fin} ; aucune le {formats.date_format(self.jour, 'j F Y')}."
        return f"Aucune version n'est chargée dans le portail pour le {formats.date_format(self.jour, 'j F Y')}."

    @property
    def message(self) -> str:
        return f"{self.type_zonage.libelle} : {self.detail[0].lower()}{self.detail[1:]}"

    @property
    def a_verifier(self) -> bool:
        """Whether the classification exists and is only unknown here (an ended kind is not)."""
        return self.terminee is None

    @property
    def ou_verifier(self) -> str:
        return self.type_zonage.ou_verifier


def zonages_inconnus(nom_commune: str, zonages: dict[str, ZonageCommune],
                     jour: datetime.date) -> dict[str, ZonageInconnu]:
    """{kind: ZonageInconnu} for each kind without a level for the commune on `jour` (two queries at most)."""
    manquants = [code for code, z in zonages.items() if z.niveau is None]
    if not manquants:
        return {}
    en_vigueur = versions_en_vigueur(jour, manquants)
    terminees: dict[str, Zonage] = {}
    for version in (Zonage.objects.filter(type__in=[c for c in manquants if c not in en_vigueur],
                                          statut=Zonage.Statut.PUBLIE, valid_to__lt=jour).order_by("type", "-valid_to")):
        terminees.setdefault(version.type, version)
    return {code: ZonageInconnu(TYPES[code], nom_commune, jour, en_vigueur.get(code), terminees.get(code))
            for code in manquants}
