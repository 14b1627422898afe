"""Writing a valid structures file: every structure it creates or changes, with its communes, dated statuses and
professionals replaced by the file's, in one transaction."""
from django.db import transaction

from ..models import ChangementStatut, EffectifProfession, ImportStructures, Structure
from .validation import RapportStructures, StructureLue, existantes


def ecrire(rapport: RapportStructures, enregistrement: ImportStructures):
    """Creates and updates the structures the report found new or changed, in one transaction, in the name of the
    import's user (history)."""
    a_ecrire = set(rapport.creees) | set(rapport.modifiees)
    with transaction.atomic():
        stockees = existantes(a_ecrire)
        for lue in rapport.structures:
            if lue.identifiant not in a_ecrire:
                continue
            structure = stockees.get(lue.identifiant) or Structure(identifiant=lue.identifiant)
            for champ in StructureLue.CHAMPS:
                setattr(structure, champ, getattr(lue, champ))
            structure.commune_id = lue.commune
            structure.import_source = enregistrement
            structure._history_user = enregistrement.utilisateur
            structure.full_clean(exclude=["communes", "commune", "import_source"], validate_unique=False)
            structure.save()
            structure.communes.set(lue.communes)
            _remplacer_statuts(structure, lue, enregistrement.utilisateur)
            _remplacer_effectifs(structure, lue, enregistrement.utilisateur)


def _remplacer_statuts(structure: Structure, lue: StructureLue, utilisateur):
    voulus = set(lue.statuts)
    presents = {(c.statut, c.date): c for c in structure.changements_statut.all()}
    for cle, changement in presents.items():
        if cle not in voulus:
            changement._history_user = utilisateur
            changement.delete()
    for statut, jour in lue.statuts:
        if (statut, jour) not in presents:
            changement = ChangementStatut(structure=structure, statut=statut, date=jour)
            changement._history_user = utilisateur
            changement.save()


def _remplacer_effectifs(structure: Structure, lue: StructureLue, utilisateur):
    presents = {e.profession: e for e in structure.effectifs.all()}
    for profession, effectif in presents.items():
        if profession not in lue.effectifs:
            effectif._history_user = utilisateur
            effectif.delete()
    for profession, nombre in lue.effectifs.items():
        effectif = presents.get(profession)
        if effectif is not None and effectif.nombre == nombre:
            continue
        effectif = effectif or EffectifProfession(structure=structure, profession=profession)
        effectif.nombre = nombre
        effectif._history_user = utilisateur
        effectif.save()
