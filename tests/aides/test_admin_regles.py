"""A scheme's rule edited in form fields (issue 15): amounts, dates, sources and simple conditions, with French
messages next to each field; YAML stays for the advanced, and one schema validates both. The values written here
are test edits of the real rule of the 2026 installation aid, never saved to its file."""
import datetime
from html import unescape

import pytest
import yaml

from aides import catalogue
from aides.catalogue import charger_regles
from aides.models import Dispositif

pytestmark = pytest.mark.django_db
URL = "/admin/aides/dispositif/AM-AIDE-INSTALLATION/change/"


@pytest.fixture
def regle():
    charger_regles()
    return Dispositif.objects.get(code="AM-AIDE-INSTALLATION")


def formulaire(client):
    reponse = client.get(URL)
    assert reponse.status_code == 200
    return reponse.context["adminform"].form


def donnees(form, **changements) -> dict:
    """What the browser would send for the form as shown, with `changements` ({field: value}, None to leave out)."""
    sortie = {}
    for nom, champ in form.fields.items():
        if champ.disabled:
            continue
        valeur = form.initial.get(nom, champ.initial)
        if isinstance(valeur, bool):
            valeur = "on" if valeur else None
        elif isinstance(valeur, datetime.date):
            valeur = valeur.isoformat()
        if valeur not in (None, ""):
            sortie[nom] = valeur
    for nom, valeur in changements.items():
        if valeur is None:
            sortie.pop(nom, None)
        else:
            sortie[nom] = valeur
    return sortie


def erreurs(reponse) -> dict:
    return {nom: list(messages) for nom, messages in reponse.context["adminform"].form.errors.items()}


def test_le_formulaire_montre_montants_dates_sources_et_conditions(admin_client, regle):
    form = formulaire(admin_client)
    assert form.initial["v0_m0_valeur"] == 10000 and form.initial["v0_m1_valeur"] == 5000
    assert form.initial["v0_valid_from"] == datetime.date(2026, 1, 1)
    assert form.initial["v0_m0_zonage"] == ["ZIP"]
    libelles = {nom: str(champ.label) for nom, champ in form.fields.items()}
    oui_non = next(nom for nom, libelle in libelles.items() if "Première installation" in libelle)
    assert form.initial[oui_non] == "oui"
    html = unescape(admin_client.get(URL).content.decode())
    assert "Modifier en YAML (avancé)" in html and "Version 1 — à partir du 01/01/2026 : montants" in html


def test_rien_de_change_rien_de_different(admin_client, regle):
    avant = catalogue.dispositif("AM-AIDE-INSTALLATION")
    reponse = admin_client.post(URL, donnees(formulaire(admin_client)))
    assert reponse.status_code == 302, erreurs(reponse)
    apres = catalogue.dispositif("AM-AIDE-INSTALLATION")
    assert apres.versions == avant.versions and apres.sources == avant.sources and apres.resume == avant.resume


def test_un_montant_modifie_dans_le_formulaire_est_applique_et_historise(admin_client, admin_user, regle):
    form = formulaire(admin_client)
    reponse = admin_client.post(URL, donnees(form, v0_m0_valeur="12000"))
    assert reponse.status_code == 302, erreurs(reponse)
    regle.refresh_from_db()
    assert regle.modifie_dans_l_admin and regle.regle["versions"][0]["montants"][0]["valeur"] == 12000
    assert catalogue.dispositif("AM-AIDE-INSTALLATION").versions[0].montants[0].valeur == 12000
    historique = unescape(admin_client.get(URL.replace("change/", "history/")).content.decode())
    assert "version 1 (à partir du 01/01/2026), montant 1, valeur : 10000 → 12000" in historique
    assert admin_user.username in historique and "None" not in historique


def test_messages_en_francais_a_cote_des_champs(admin_client, regle):
    form = formulaire(admin_client)
    oui_non = next(nom for nom, champ in form.fields.items() if "Première installation" in str(champ.label))
    reponse = admin_client.post(URL, donnees(form, v0_m0_valeur="dix mille", v0_m1_valeur="-5",
                                             v0_valid_to="2025-01-01", v0_sources=None, **{oui_non: "peut-être"}))
    assert reponse.status_code == 200
    e = erreurs(reponse)
    assert e["v0_m0_valeur"] == ["Saisissez un nombre."]
    assert e["v0_m1_valeur"] == ["Assurez-vous que cette valeur est supérieure ou égale à 0."]
    assert e["v0_sources"] == ["Ce champ est obligatoire."]
    assert e[oui_non][0].startswith("Sélectionnez un choix valide")
    reponse = admin_client.post(URL, donnees(form, v0_valid_to="2025-01-01"))
    assert erreurs(reponse) == {"v0_valid_to": ["La fin est antérieure au début."]}
    regle.refresh_from_db()
    assert not regle.modifie_dans_l_admin


def test_le_schema_des_regles_parle_a_cote_du_champ(admin_client, regle):
    """An amount to be specified must say why: the schema's rule, said next to the amount's value."""
    reponse = admin_client.post(URL, donnees(formulaire(admin_client), v0_m0_valeur=None, v0_m0_libelle=None))
    assert erreurs(reponse) == {"v0_m0_valeur": ["un montant à préciser (valeur null) dit pourquoi dans son libellé"]}


def test_retirer_et_ajouter_une_condition(admin_client, regle):
    form = formulaire(admin_client)
    cabinet = next(nom for nom, champ in form.fields.items() if str(champ.label).endswith("Cabinet secondaire"))
    reponse = admin_client.post(URL, donnees(form, **{f"{cabinet}_supprimer": "on", "v0_ajout": "pdsa",
                                                      "v0_ajout_valeur": "oui"}))
    assert reponse.status_code == 302, erreurs(reponse)
    feuilles = Dispositif.objects.get(code="AM-AIDE-INSTALLATION").regle["versions"][0]["conditions"]["all"]
    assert {"cabinet_secondaire": False} not in feuilles and feuilles[-1] == {"pdsa": True}
    assert {"zonage": {"type": "medecin", "niveaux": ["ZIP", "ZAC"]}} in feuilles


def test_en_yaml_le_meme_schema_dit_le_chemin_en_mots(admin_client, regle):
    document = yaml.safe_load(admin_client.get(URL + "?mode=yaml").context["adminform"].form.initial["regle_yaml"])
    document["versions"][0]["conditions"]["all"].append({"pdsa": "oui"})
    reponse = admin_client.post(URL + "?mode=yaml", {"regle_yaml": yaml.safe_dump(document, allow_unicode=True)})
    assert erreurs(reponse)["regle_yaml"] == [
        "version 1 (à partir du 01/01/2026), condition 9, « Participation à la permanence des soins (PDSA) » : "
        "oui ou non est attendu (en YAML : true ou false)"]


def test_sans_droit_de_modifier_la_regle_se_lit(client, regle):
    from django.contrib.auth.models import Permission, User

    lecteur = User.objects.create_user("lecteur.regles", password="x" * 16, is_staff=True)
    lecteur.user_permissions.add(Permission.objects.get(codename="view_dispositif"))
    client.force_login(lecteur)
    html = unescape(client.get(URL).content.decode())
    assert "valeur: 10000" in html and "Modifier en YAML" not in html
    assert client.post(URL, {"nom": "Autre"}).status_code == 403


def test_chaque_regle_du_catalogue_se_relit_a_l_identique(admin_client, regle):
    """Every real rule (closed versions, alternatives, exceptions, thresholds…) shown in the form and sent back
    unchanged is the same rule: the form loses nothing it does not edit."""
    for dispositif in Dispositif.objects.order_by("code"):
        avant = catalogue.dispositif(dispositif.code)
        url = f"/admin/aides/dispositif/{dispositif.code}/change/"
        form = admin_client.get(url).context["adminform"].form
        reponse = admin_client.post(url, donnees(form))
        assert reponse.status_code == 302, (dispositif.code, erreurs(reponse))
        apres = catalogue.dispositif(dispositif.code)
        assert (apres.versions, apres.sources, apres.exclusions, apres.professions, apres.etapes, apres.resume) == (
            avant.versions, avant.sources, avant.exclusions, avant.professions, avant.etapes, avant.resume), \
            dispositif.code
