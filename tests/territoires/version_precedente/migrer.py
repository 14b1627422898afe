"""Two steps on one database (DATABASE_URL), each in its own process, as an upgrade happens:

    # the previous release: its migrations (with the former paps app), then test-only records through its models
    DJANGO_SETTINGS_MODULE=tests.territoires.version_precedente.reglages python -m tests.territoires.version_precedente.migrer precedente
    # today's code (no paps app): migrate forward, then print as JSON what today's models read back
    DJANGO_SETTINGS_MODULE=paps.settings python -m tests.territoires.version_precedente.migrer actuelle
"""
import datetime
import json
import sys
from pathlib import Path

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402

# The leaf migrations of the project's apps in the previous release (commit a789595).
VERSION_PRECEDENTE = {"zonages": "0006_import_signe_de_vie", "paps": "0002_groupes_roles",
                      "aides": "0001_dispositifs_contacts", "structures": "0002_offres", "cpts": "0001_initial"}


def cibles_precedentes(executeur) -> list[tuple[str, str]]:
    """The previous release's migrations: those above for the project's apps (an app of the project made since has
    none), the latest ones for Django's and the libraries' apps, which have not changed."""
    from django.apps import apps
    from django.conf import settings

    du_projet = {a.label for a in apps.get_app_configs() if Path(a.path).is_relative_to(settings.BASE_DIR)}
    autres = [noeud for noeud in executeur.loader.graph.leaf_nodes() if noeud[0] not in du_projet]
    return [*VERSION_PRECEDENTE.items(), *autres]


def ecrire_donnees(apps) -> dict:
    """Test-only records (codes starting with 00, which no INSEE code does), through the previous release's models."""
    get = apps.get_model
    region = get("zonages", "Region").objects.create(code="00", nom="Région fictive de test")
    dep = get("zonages", "Departement").objects.create(code="00", nom="Département fictif de test", region=region)
    epci = get("zonages", "EPCI").objects.create(code="000000001", nom="EPCI fictif de test", type="CC")
    commune = get("zonages", "Commune").objects.create(code_insee="00001", nom="Commune fictive de test",
                                                       nom_normalise="commune fictive de test", departement=dep,
                                                       epci=epci, population=1234)
    get("zonages", "CodePostal").objects.create(code="00100", commune=commune)
    get("zonages", "CommuneRattachee").objects.create(code="00002", nom="Ancienne commune fictive", type="ancienne",
                                                      commune=commune)
    zonage = get("zonages", "Zonage").objects.create(type="medecin", reference="Arrêté fictif de test",
                                                     valid_from=datetime.date(2022, 5, 7), statut="publie")
    get("zonages", "Classement").objects.create(zonage=zonage, commune=commune, niveau="ZIP")
    qpv = get("zonages", "QPV").objects.create(code="QN00001T", nom="Quartier fictif de test",
                                               geometrie={"type": "Polygon", "coordinates": []},
                                               valid_from=datetime.date(2024, 1, 1))
    qpv.communes.add(commune)
    structure = get("structures", "Structure").objects.create(identifiant="TEST-1", nom="MSP fictive de test",
                                                              type="msp", commune=commune)
    structure.communes.add(commune)
    cpts = get("cpts", "Cpts").objects.create(nom="CPTS fictive de test")
    cpts.departements.add(dep)
    get("cpts", "TerritoireCpts").objects.create(cpts=cpts, commune=commune, valid_from=datetime.date(2020, 1, 1))
    get("aides", "Contact").objects.create(departement=dep, type="cpam", nom="Contact fictif de test")
    Utilisateur = get("auth", "User")
    agent = Utilisateur.objects.create(username="agent-de-test", is_staff=True)
    agent.groups.add(get("auth", "Group").objects.get(name="ARS — délégation départementale"))
    lecteur = Utilisateur.objects.create(username="lecteur-de-test", is_staff=True)
    lecteur.groups.add(get("auth", "Group").objects.get(name="ARS — lecture"))
    get("paps", "PerimetreAgent").objects.create(utilisateur=agent).departements.add(dep)
    return {"zonage": zonage.pk, "structure": structure.pk, "cpts": cpts.pk}


def relire(cles: dict) -> dict:
    """What today's models read from the migrated database."""
    from django.contrib.contenttypes.models import ContentType

    from aides.models import Contact
    from cpts.models import Cpts
    from structures.models import Structure
    from territoires.models import Commune, CommuneRattachee, PerimetreAgent
    from zonages.models import QPV, Zonage

    commune = Commune.objects.select_related("departement__region", "epci").get(code_insee="00001")
    agent, lecteur = User.objects.get(username="agent-de-test"), User.objects.get(username="lecteur-de-test")
    return {
        "commune": [commune.nom, commune.departement.nom, commune.departement.region.nom, commune.epci.nom,
                    commune.population],
        "codes_postaux": commune.codes_postaux_liste,
        "rattachee": CommuneRattachee.objects.get(code="00002").commune_id,
        "classement": list(Zonage.objects.get(pk=cles["zonage"]).classements.values_list("commune__nom", "niveau")),
        "qpv": list(QPV.objects.get(code="QN00001T").communes.values_list("code_insee", flat=True)),
        "structure": [Structure.objects.get(pk=cles["structure"]).commune.nom,
                      list(Structure.objects.get(pk=cles["structure"]).communes.values_list("code_insee", flat=True))],
        "cpts": [list(Cpts.objects.get(pk=cles["cpts"]).departements.values_list("code", flat=True)),
                 list(Cpts.objects.get(pk=cles["cpts"]).territoires.values_list("commune__nom", flat=True))],
        "contact": Contact.objects.get(nom="Contact fictif de test").departement.nom,
        "perimetre": list(PerimetreAgent.objects.get(utilisateur=agent).departements.values_list("code", flat=True)),
        "droits_agent": sorted(p for p in agent.get_all_permissions() if p.endswith(("_structure", "_commune"))),
        "droits_lecteur": sorted(p for p in lecteur.get_all_permissions() if p.endswith("_commune")),
        "types_de_contenu_restes": sorted(f"{c.app_label}.{c.model}" for c in ContentType.objects.filter(
            app_label__in=["zonages", "paps"], model__in=["region", "departement", "epci", "commune", "codepostal",
                                                          "communerattachee", "perimetreagent"])),
    }


def main(etape: str):
    executeur = MigrationExecutor(connection)
    if etape == "precedente":
        precedentes = cibles_precedentes(executeur)
        executeur.migrate(precedentes)
        cles = ecrire_donnees(MigrationExecutor(connection).loader.project_state(precedentes).apps)
        print(json.dumps(cles))
        return
    cles = json.loads(sys.argv[2])
    executeur.migrate(executeur.loader.graph.leaf_nodes())
    restantes = MigrationExecutor(connection)
    plan = restantes.migration_plan(restantes.loader.graph.leaf_nodes())
    print(json.dumps({"donnees": relire(cles), "migrations_restantes": [str(m) for m, _ in plan]}))


if __name__ == "__main__":
    main(sys.argv[1])
