"""Issue 18, item 8: a rule stored from the administration has no YAML anchors or aliases (they expanded a 3 kB
document to 3.9 MB and slowed every eligibility request), has a size limit, and `charger_aides --forcer` really
puts the file back over an administration edit."""
import json

import pytest
import yaml
from django.core.management import call_command

from aides import catalogue
from aides.catalogue import TAILLE_MAX_REGLE, charger_regles
from aides.models import Dispositif

pytestmark = pytest.mark.django_db
URL = "/admin/aides/dispositif/AM-AIDE-INSTALLATION/change/?mode=yaml"


@pytest.fixture
def regle():
    charger_regles()
    return Dispositif.objects.get(code="AM-AIDE-INSTALLATION")


def yaml_de(regle) -> str:
    return yaml.safe_dump(regle.regle, allow_unicode=True, sort_keys=False)


def test_ancres_et_alias_refuses(admin_client, regle):
    """The real rule, its short name written as an alias of its name: valid YAML, refused for the alias alone. (Built
    from the stored document, whose key order PostgreSQL's jsonb does not keep: `nom` comes before `nom_court`.)"""
    document = {**regle.regle, "nom_court": "ALIAS"}
    texte = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    texte = texte.replace("\nnom: ", "\nnom: &nom ", 1) if not texte.startswith("nom: ") else "nom: &nom " + texte[5:]
    texte = texte.replace("nom_court: ALIAS\n", "nom_court: *nom\n", 1)
    assert "&nom" in texte and "*nom" in texte and yaml.safe_load(texte)["nom_court"] == regle.regle["nom"]
    reponse = admin_client.post(URL, {"regle_yaml": texte})
    assert reponse.status_code == 200
    assert "ancres et alias YAML" in str(reponse.context["adminform"].form.errors)
    regle.refresh_from_db()
    assert regle.modifie_dans_l_admin is False


def test_un_document_qui_explose_par_alias_est_refuse_sans_etre_developpe(admin_client, regle):
    """The "billion laughs" shape: a few lines of aliases that would expand enormously."""
    bombe = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(6))
    reponse = admin_client.post(URL, {"regle_yaml": bombe})
    assert reponse.status_code == 200
    assert "ancres et alias YAML" in str(reponse.context["adminform"].form.errors)


def test_taille_limitee(admin_client, regle):
    document = json.loads(json.dumps(regle.regle))
    document["versions"][0]["note"] = "Note de test. " * (TAILLE_MAX_REGLE // 14 + 1)
    reponse = admin_client.post(URL, {"regle_yaml": yaml.safe_dump(document, allow_unicode=True)})
    assert reponse.status_code == 200
    assert "trop long" in str(reponse.context["adminform"].form.errors)
    regle.refresh_from_db()
    assert regle.modifie_dans_l_admin is False


def test_forcer_reprend_vraiment_le_fichier(admin_client, regle):
    document = json.loads(json.dumps(regle.regle))
    document["versions"][0]["montants"][0]["valeur"] = 12000  # an administration edit (test value)
    reponse = admin_client.post(URL, {"regle_yaml": yaml.safe_dump(document, allow_unicode=True)})
    assert reponse.status_code == 302
    regle.refresh_from_db()
    assert regle.modifie_dans_l_admin and regle.regle["versions"][0]["montants"][0]["valeur"] == 12000
    # Without --forcer, the edit stays (the file did not change since the last load).
    call_command("charger_aides")
    regle.refresh_from_db()
    assert regle.regle["versions"][0]["montants"][0]["valeur"] == 12000
    # --forcer: the file's content again, the edit's mark removed, reported, and the engine sees it.
    rapport = charger_regles(forcer=True)
    assert rapport.modifies == ["AM-AIDE-INSTALLATION"]
    regle.refresh_from_db()
    assert regle.regle["versions"][0]["montants"][0]["valeur"] == 10000 and regle.modifie_dans_l_admin is False
    assert catalogue.dispositif("AM-AIDE-INSTALLATION").versions[0].montants[0].valeur == 10000
    assert charger_regles(forcer=True).modifies == []  # nothing left to force
