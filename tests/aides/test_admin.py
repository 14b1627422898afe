"""ARS staff edit a scheme's rules in the admin as YAML (the advanced mode, ?mode=yaml) with the same schema
validation, and the change is in history. The form fields: test_admin_regles.py."""
import pytest
import yaml

from aides import catalogue
from aides.catalogue import charger_regles
from aides.eligibilite.regles import DOSSIER_REGLES
from aides.models import Dispositif

pytestmark = pytest.mark.django_db


@pytest.fixture
def regles():
    charger_regles()
    return Dispositif.objects.get(code="AM-AIDE-INSTALLATION")


def formulaire(client, code):
    reponse = client.get(f"/admin/aides/dispositif/{code}/change/?mode=yaml")
    assert reponse.status_code == 200
    return reponse.context["adminform"].form.initial["regle_yaml"]


def test_modification_valide_enregistree_historisee_et_appliquee(admin_client, admin_user, regles, tmp_path):
    document = yaml.safe_load(formulaire(admin_client, regles.code))
    document["versions"][0]["montants"][0]["valeur"] = 12000  # a test change
    reponse = admin_client.post(f"/admin/aides/dispositif/{regles.code}/change/?mode=yaml",
                                {"regle_yaml": yaml.safe_dump(document, allow_unicode=True)})
    assert reponse.status_code == 302
    regles.refresh_from_db()
    assert regles.modifie_dans_l_admin is True
    assert regles.regle["versions"][0]["montants"][0]["valeur"] == 12000
    assert regles.history.first().history_user == admin_user
    assert catalogue.dispositif("AM-AIDE-INSTALLATION").versions[0].montants[0].valeur == 12000
    # Reloading unchanged files keeps the staff's change; a changed file is a conflict, not an overwrite.
    charger_regles()
    regles.refresh_from_db()
    assert regles.regle["versions"][0]["montants"][0]["valeur"] == 12000
    copie = tmp_path / "regles"
    copie.mkdir()
    for fichier in DOSSIER_REGLES.glob("*.yaml"):
        (copie / fichier.name).write_text(fichier.read_text(encoding="utf-8"), encoding="utf-8")
    cible = copie / "AM-AIDE-INSTALLATION.yaml"
    cible.write_text(cible.read_text(encoding="utf-8") + "\n# changed in git\n", encoding="utf-8")
    assert charger_regles(copie).conflits == ["AM-AIDE-INSTALLATION"]
    assert charger_regles(copie, forcer=True).modifies == ["AM-AIDE-INSTALLATION"]


@pytest.mark.parametrize("alteration, message", [
    (lambda d: d.update(financeur="banque"), "financeur"),
    (lambda d: d["versions"][0]["conditions"]["all"].append({"horoscope": True}), "prédicat inconnu"),
    (lambda d: d.update(code="AUTRE"), "doit être"),
])
def test_modification_invalide_refusee(admin_client, regles, alteration, message):
    document = yaml.safe_load(formulaire(admin_client, regles.code))
    alteration(document)
    reponse = admin_client.post(f"/admin/aides/dispositif/{regles.code}/change/?mode=yaml",
                                {"regle_yaml": yaml.safe_dump(document, allow_unicode=True)})
    assert reponse.status_code == 200
    assert message in str(reponse.context["adminform"].form.errors)
    regles.refresh_from_db()
    assert regles.modifie_dans_l_admin is False


def test_yaml_illisible_refuse_avec_sa_ligne(admin_client, regles):
    reponse = admin_client.post(f"/admin/aides/dispositif/{regles.code}/change/?mode=yaml", {"regle_yaml": "code: X\nnom: [a\n"})
    assert "YAML invalide" in str(reponse.context["adminform"].form.errors)
