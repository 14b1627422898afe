"""Comparing two versions of one zonage kind: which communes change level, enter or leave the classification,
how many people live there, per département. Plain domain code (no HTTP): the admin and the exports call it.

Only the communes that differ are read from the database, in two queries (one when there is no "before" version).
"""
import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, F, OuterRef, Q, Subquery, Sum

from .consultation import en_vigueur
from .models import Classement, Zonage

UN_JOUR = datetime.timedelta(days=1)

ENTREE, SORTIE, CHANGEMENT = "entrée", "sortie", "changement de niveau"

# What each change row needs, read with the classement in the same query.
_CHAMPS = ("commune_id", "commune__nom", "commune__departement_id", "commune__departement__nom",
           "commune__population", "niveau")


@dataclass(frozen=True)
class Changement:
    """One commune whose level differs between the two versions (None: not classified in that version)."""

    code_insee: str
    nom: str
    departement: str
    departement_nom: str
    population: int | None
    niveau_avant: str | None
    niveau_apres: str | None

    @property
    def nature(self) -> str:
        if self.niveau_avant is None:
            return ENTREE
        if self.niveau_apres is None:
            return SORTIE
        return CHANGEMENT


@dataclass
class AgregatDepartement:
    code: str
    nom: str
    communes: int = 0
    entrees: int = 0
    sorties: int = 0
    population: int = 0


@dataclass(frozen=True)
class Transition:
    niveau_avant: str | None
    libelle_avant: str
    niveau_apres: str | None
    libelle_apres: str
    communes: int
    population: int


@dataclass
class Difference:
    avant: Zonage | None
    apres: Zonage
    changements: list[Changement] = field(default_factory=list)

    @property
    def type_zonage(self):
        return self.apres.type_zonage

    def libelle(self, code: str | None) -> str:
        """French label of a level code of this kind ("non classée" when absent)."""
        if code is None:
            return "non classée"
        niveau = self.type_zonage.niveau(code)
        return niveau.libelle if niveau else code

    @property
    def nb_communes(self) -> int:
        return len(self.changements)

    @property
    def population(self) -> int:
        """Population of the communes that change (unknown populations count as 0)."""
        return sum(c.population or 0 for c in self.changements)

    @property
    def nb_entrees(self) -> int:
        return sum(1 for c in self.changements if c.nature == ENTREE)

    @property
    def nb_sorties(self) -> int:
        return sum(1 for c in self.changements if c.nature == SORTIE)

    @cached_property
    def par_departement(self) -> list[AgregatDepartement]:
        agregats: dict[str, AgregatDepartement] = {}
        for c in self.changements:
            agregat = agregats.setdefault(c.departement, AgregatDepartement(c.departement, c.departement_nom))
            agregat.communes += 1
            agregat.population += c.population or 0
            agregat.entrees += c.nature == ENTREE
            agregat.sorties += c.nature == SORTIE
        return [agregats[code] for code in sorted(agregats)]

    @cached_property
    def par_transition(self) -> list[Transition]:
        """Changes grouped by (level before, level after), the most frequent first."""
        communes: Counter = Counter()
        population: Counter = Counter()
        for c in self.changements:
            cle = (c.niveau_avant, c.niveau_apres)
            communes[cle] += 1
            population[cle] += c.population or 0
        return [Transition(avant, self.libelle(avant), apres, self.libelle(apres), n, population[(avant, apres)])
                for (avant, apres), n in communes.most_common()]


def difference(avant: Zonage | None, apres: Zonage) -> Difference:
    """Per-commune changes from `avant` (None: no version before, every commune enters) to `apres`."""
    if avant is not None and avant.type != apres.type:
        raise ValueError(f"Les deux versions comparées doivent être du même type de zonage "
                         f"({avant.type_zonage.libelle} / {apres.type_zonage.libelle}).")
    if avant is not None and avant.pk == apres.pk:
        return Difference(avant, apres, [])
    lignes: list[tuple] = []
    if avant is None:
        for *commune, niveau in Classement.objects.filter(zonage=apres).values_list(*_CHAMPS):
            lignes.append((*commune, None, niveau))
    else:
        niveau_avant = Subquery(Classement.objects.filter(zonage=avant, commune=OuterRef("commune"))
                                .values("niveau")[:1])
        entrees_ou_changements = (Classement.objects.filter(zonage=apres).annotate(niveau_avant=niveau_avant)
                                  .filter(Q(niveau_avant__isnull=True) | ~Q(niveau_avant=F("niveau")))
                                  .values_list(*_CHAMPS, "niveau_avant"))
        for *commune, niveau, niveau_precedent in entrees_ou_changements:
            lignes.append((*commune, niveau_precedent, niveau))
        sorties = (Classement.objects.filter(zonage=avant)
                   .exclude(commune__in=Classement.objects.filter(zonage=apres).values("commune"))
                   .values_list(*_CHAMPS))
        for *commune, niveau in sorties:
            lignes.append((*commune, niveau, None))
    changements = sorted((Changement(*ligne) for ligne in lignes), key=lambda c: c.code_insee)
    return Difference(avant, apres, changements)


def version_de_reference(zonage: Zonage) -> Zonage | None:
    """The published version `zonage` is to be compared with: the one in force on its first day (what a draft
    would replace), or, for a version already published, the one in force the day before (the one it replaced)."""
    return version_remplacee(zonage.type, zonage.valid_from, exclue=zonage)


def version_remplacee(type_zonage: str, jour: datetime.date, exclue: Zonage | None = None) -> Zonage | None:
    """The published version of the kind that a version starting on `jour` replaces: the one in force that day, or
    else the one in force the day before."""
    autres = Zonage.objects.filter(type=type_zonage)
    if exclue is not None:
        autres = autres.exclude(pk=exclue.pk)
    return autres.filter(en_vigueur(jour)).first() or autres.filter(en_vigueur(jour - UN_JOUR)).first()


@dataclass(frozen=True)
class ResumeNiveau:
    code: str
    libelle: str
    communes: int
    population: int


def resume_par_niveau(zonage: Zonage) -> list[ResumeNiveau]:
    """Communes and population per level of one version, in the kind's level order (one query)."""
    comptes = {ligne["niveau"]: ligne for ligne in Classement.objects.filter(zonage=zonage).order_by()
               .values("niveau").annotate(communes=Count("pk"), population=Sum("commune__population"))}
    ordre = [n.code for n in zonage.type_zonage.niveaux]
    resume = []
    for code in ordre + sorted(set(comptes) - set(ordre)):
        if code in comptes:
            niveau = zonage.type_zonage.niveau(code)
            resume.append(ResumeNiveau(code, niveau.libelle if niveau else code, comptes[code]["communes"],
                                       comptes[code]["population"] or 0))
    return resume
