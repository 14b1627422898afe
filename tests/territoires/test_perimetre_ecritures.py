"""The délégation perimeter on every write (issue 18, item 2): every admin form and inline, and every API write, of
every model a délégation may add or change, refuses a foreign id outside its départements, in French, and writes
nothing.

The forms and fields are found by walking the admin site and the API router, not listed by hand: a new model, inline
or foreign key reaches this test by itself. What the test needs per form (a valid submission inside the perimeter)
is below, and a form without one fails the test. Records are test-only, in Lozère (48, the agent's perimeter) and
Haute-Garonne (31).
"""
import datetime
import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.db import transaction
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.relations import ManyRelatedField, RelatedField
from rest_framework.test import APIClient

from aides.models import Contact
from cpts.models import Cpts, Mission, TerritoireCpts
from portail.urls_api import routeur
from structures.models import ChangementStatut, EffectifProfession, Offre, Structure
from territoires import habilitations
from territoires.models import Commune, Departement, PerimetreAgent

pytestmark = pytest.mark.django_db

DANS, HORS = "48", "31"
COMMUNE_DANS, AUTRE_COMMUNE_DANS, COMMUNE_HORS = "48095", "48166", "31555"  # Mende, Saint-Chély-d'Apcher, Toulouse
AUJOURDHUI = datetime.date(2026, 1, 15)


@pytest.fixture
def agent_48():
    utilisateur = User.objects.create_user("test-delegation-48", password="mot-de-passe-de-test-123", is_staff=True)
    utilisateur.groups.add(Group.objects.get(name=habilitations.DELEGATION))
    PerimetreAgent.objects.create(utilisateur=utilisateur).departements.add(DANS)
    return utilisateur


@pytest.fixture
def enregistrements():
    """One record of each territorial model in the perimeter, one outside it."""
    def structure(code, commune):
        return Structure.objects.create(identifiant=f"TEST-PERIMETRE-{code}", nom=f"MSP de test {code}", type="msp",
                                        commune_id=commune)

    def cpts(code):
        objet = Cpts.objects.create(nom=f"CPTS de test {code}")
        objet.departements.add(code)
        return objet

    dans, hors = {}, {}
    dans[Structure], hors[Structure] = structure(DANS, COMMUNE_DANS), structure(HORS, COMMUNE_HORS)
    dans[Cpts], hors[Cpts] = cpts(DANS), cpts(HORS)
    hors[Commune], hors[Departement] = Commune.objects.get(pk=COMMUNE_HORS), Departement.objects.get(pk=HORS)
    dans[Offre] = Offre.objects.create(titre="Offre de test 48", profession="infirmier", type="remplacement",
                                       employeur="Cabinet de test", commune_id=COMMUNE_DANS, contact_nom="Contact de test",
                                       publiee_le=AUJOURDHUI, expire_le=AUJOURDHUI)
    dans[Contact] = Contact.objects.create(departement_id=DANS, type="ars", nom="Contact de test 48")
    dans[TerritoireCpts] = TerritoireCpts.objects.create(cpts=dans[Cpts], commune_id=AUTRE_COMMUNE_DANS)
    return {"dans": dans, "hors": hors}


def chemin_vers_departement(modele, profondeur=3) -> bool:
    """Whether the model reaches Departement through its own foreign keys (so that a record of it has a
    territory)."""
    if modele is Departement:
        return True
    if profondeur == 0:
        return False
    return any(chemin_vers_departement(champ.related_model, profondeur - 1) for champ in modele._meta.get_fields()
               if (champ.many_to_one or champ.many_to_many) and not champ.auto_created and champ.related_model)


# --- Admin ------------------------------------------------------------------------------------------------------------

def gestion(prefixe, total=0, initial=0) -> dict:
    return {f"{prefixe}-TOTAL_FORMS": total, f"{prefixe}-INITIAL_FORMS": initial}


# A valid submission inside the perimeter, per model with an admin form (inline rows: per inline model).
SOUMISSIONS = {
    Structure: lambda e: {"identifiant": "TEST-PERIMETRE-NOUVELLE", "nom": "MSP de test ajoutée", "type": "msp",
                          "commune": COMMUNE_DANS, "communes": AUTRE_COMMUNE_DANS},
    Offre: lambda e: {"titre": "Offre de test ajoutée", "profession": "infirmier", "type": "remplacement",
                      "structure": e["dans"][Structure].pk, "commune": COMMUNE_DANS, "quotite": 100,
                      "publiee_le": "2026-01-15", "expire_le": "2026-02-15", "contact_nom": "Contact de test"},
    Cpts: lambda e: {"nom": "CPTS de test ajoutée", "stade": "projet", "departements": [DANS]},
    TerritoireCpts: lambda e: {"cpts": e["dans"][Cpts].pk, "commune": COMMUNE_DANS, "valid_from": "2026-01-01"},
    Contact: lambda e: {"departement": DANS, "type": "cpam", "nom": "Contact de test modifié"},
}
LIGNES_INLINE = {
    TerritoireCpts: lambda e: {"commune": COMMUNE_DANS, "valid_from": "2026-01-01"},
    Mission: lambda e: {"code": "prevention", "etat": "a_definir"},
    ChangementStatut: lambda e: {"statut": "ouverte", "date": "2026-01-01"},
    EffectifProfession: lambda e: {"profession": "infirmier", "nombre": 2},
}


def requete(utilisateur):
    demande = RequestFactory().get("/admin/")
    demande.user = utilisateur
    return demande


def formulaires_admin(utilisateur):
    """(model admin, inline or None, field name, related model) for every foreign key and many-to-many field of a
    form or inline the user may submit, on every model admin of the site."""
    demande = requete(utilisateur)
    for modele, modele_admin in admin.site._registry.items():
        if not (modele_admin.has_add_permission(demande) or modele_admin.has_change_permission(demande)):
            continue
        for nom, champ in modele_admin.get_form(demande).base_fields.items():
            if isinstance(champ, (ModelChoiceField, ModelMultipleChoiceField)):
                yield modele_admin, None, nom, champ.queryset.model
        for inline in modele_admin.get_inline_instances(demande):
            if not (inline.has_add_permission(demande, None) or inline.has_change_permission(demande)):
                continue
            formset = inline.get_formset(demande)
            for nom, champ in formset.form.base_fields.items():
                # The key to the parent is not the submission's: the formset sets it to the parent record.
                if nom != formset.fk.name and isinstance(champ, (ModelChoiceField, ModelMultipleChoiceField)):
                    yield modele_admin, inline, nom, champ.queryset.model


def donnees_formulaire(modele_admin, utilisateur, e, inline=None, ligne=None) -> dict:
    """The model's valid submission, the management forms of its inlines (no row, or `ligne` in `inline`)."""
    donnees = SOUMISSIONS[modele_admin.model](e)
    for autre in modele_admin.get_inline_instances(requete(utilisateur)):
        prefixe = autre.get_formset(requete(utilisateur)).get_default_prefix()
        if autre is inline or (inline is not None and type(autre) is type(inline)):
            donnees.update(gestion(prefixe, total=1))
            donnees.update({f"{prefixe}-0-{cle}": valeur for cle, valeur in ligne.items()})
        else:
            donnees.update(gestion(prefixe))
    return donnees


def valeur_formulaire(objet):
    return objet.pk


def erreurs_du_champ(reponse, inline, nom) -> list[str]:
    if inline is None:
        return reponse.context["adminform"].form.errors.get(nom, [])
    for inline_formset in reponse.context["inline_admin_formsets"]:
        if type(inline_formset.opts) is type(inline):
            return inline_formset.formset.forms[0].errors.get(nom, [])
    raise AssertionError(f"inline {type(inline).__name__} absent de la page")


def instantane():
    modeles = {*SOUMISSIONS, *LIGNES_INLINE}
    return {m.__name__: sorted(json.dumps(list(ligne.values()), default=str)
                               for ligne in m.objects.values()) for m in modeles}


def envoyer(client, url, donnees, attendu_valide: bool):
    """Posts `donnees`; a valid submission is rolled back (it only proves the form's other fields are right)."""
    with transaction.atomic():
        reponse = client.post(url, donnees)
        if attendu_valide:
            assert reponse.status_code == 302, (url, reponse.context and [
                reponse.context["adminform"].form.errors,
                [f.errors for f in reponse.context["inline_admin_formsets"]]])
            transaction.set_rollback(True)
    return reponse


def test_chaque_formulaire_d_administration_refuse_un_identifiant_hors_perimetre(client, agent_48, enregistrements):
    client.force_login(agent_48)
    e = enregistrements
    couverts = set()
    for modele_admin, inline, nom, modele_lie in formulaires_admin(agent_48):
        if modele_lie not in e["hors"]:
            assert not chemin_vers_departement(modele_lie), (
                f"{modele_admin.model.__name__}.{nom} : ajouter au test un enregistrement {modele_lie.__name__} hors "
                "du périmètre")
            continue
        assert modele_admin.model in SOUMISSIONS, f"soumission valide à définir pour {modele_admin.model.__name__}"
        demande = requete(agent_48)
        modele = modele_admin.model
        hors = e["hors"][modele_lie]
        urls = []
        if modele_admin.has_add_permission(demande):
            urls.append(reverse(f"admin:{modele._meta.app_label}_{modele._meta.model_name}_add"))
        existant = e["dans"].get(modele)
        if existant is not None and modele_admin.has_change_permission(demande, existant):
            urls.append(reverse(f"admin:{modele._meta.app_label}_{modele._meta.model_name}_change",
                                args=[existant.pk]))
        assert urls, f"{modele.__name__} : ni ajout ni modification à tester"
        for url in urls:
            ligne = LIGNES_INLINE[inline.model](e) if inline else None
            valide = donnees_formulaire(modele_admin, agent_48, e, inline, ligne)
            envoyer(client, url, valide, attendu_valide=True)
            if inline is None:
                fautif = {**valide, nom: [hors.pk] if isinstance(valide.get(nom), list) else hors.pk}
            else:
                fautif = donnees_formulaire(modele_admin, agent_48, e, inline, {**ligne, nom: hors.pk})
            avant = instantane()
            reponse = envoyer(client, url, fautif, attendu_valide=False)
            assert reponse.status_code == 200, (url, nom)
            assert erreurs_du_champ(reponse, inline, nom) == [habilitations.MESSAGE_CHOIX_HORS_PERIMETRE], (url, nom)
            assert instantane() == avant, (url, nom)
            couverts.add((modele.__name__, inline.model.__name__ if inline else None, nom))
    # The walk reached the fields of the finding and of every territorial model the délégation edits.
    assert {("TerritoireCpts", None, "cpts"), ("TerritoireCpts", None, "commune"), ("Cpts", None, "departements"),
            ("Cpts", "TerritoireCpts", "commune"), ("Structure", None, "commune"), ("Structure", None, "communes"),
            ("Offre", None, "commune"), ("Offre", None, "structure"), ("Contact", None, "departement")} <= couverts


def test_la_cpts_d_un_autre_departement_garde_sa_commune(client, agent_48, enregistrements):
    """The finding itself: a Lozère agent cannot attach a Lozère commune to a Haute-Garonne CPTS, which would then
    be refused the commune."""
    client.force_login(agent_48)
    reponse = client.post(reverse("admin:cpts_territoirecpts_add"), {
        "cpts": enregistrements["hors"][Cpts].pk, "commune": COMMUNE_DANS, "valid_from": "2026-01-01"})
    assert reponse.status_code == 200
    assert reponse.context["adminform"].form.errors["cpts"] == [habilitations.MESSAGE_CHOIX_HORS_PERIMETRE]
    assert not TerritoireCpts.objects.filter(commune_id=COMMUNE_DANS).exists()


# --- API ----------------------------------------------------------------------------------------------------------------

CORPS_API = {
    Structure: lambda e: {"identifiant": "TEST-PERIMETRE-API", "nom": "ESP de test", "type": "esp",
                          "commune": COMMUNE_DANS, "communes": [AUTRE_COMMUNE_DANS]},
    Offre: lambda e: {"titre": "Remplacement de test", "profession": "infirmier", "type": "remplacement",
                      "structure": e["dans"][Structure].pk, "commune": COMMUNE_DANS, "publiee_le": "2026-01-15",
                      "expire_le": "2026-02-15", "contact_nom": "Contact de test"},
}


def ecritures_api():
    """(prefix, model, field, related model, slug field or None) for every related field of every write
    serializer of the API router."""
    for prefixe, classe, _ in routeur.registry:
        if not hasattr(classe, "create"):
            continue
        vue = classe(action="create", request=None, format_kwarg=None, kwargs={})
        serializer = vue.get_serializer_class()()
        for nom, champ in serializer.fields.items():
            if champ.read_only or not isinstance(champ, (RelatedField, ManyRelatedField)):
                continue
            relation = champ.child_relation if isinstance(champ, ManyRelatedField) else champ
            yield prefixe, serializer.Meta.model, nom, relation.queryset.model, getattr(relation, "slug_field", None)


def test_chaque_ecriture_de_l_api_refuse_un_identifiant_hors_perimetre(agent_48, enregistrements):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=agent_48).key}")
    e = enregistrements
    couverts = set()
    for prefixe, modele, nom, modele_lie, slug in ecritures_api():
        if modele_lie not in e["hors"]:
            assert not chemin_vers_departement(modele_lie), f"{prefixe}.{nom} : enregistrement hors périmètre à ajouter"
            continue
        hors = e["hors"][modele_lie]
        valeur = getattr(hors, slug) if slug else hors.pk
        corps = CORPS_API[modele](e)
        fautif = {nom: [valeur] if isinstance(corps.get(nom), list) else valeur}
        with transaction.atomic():
            assert client.post(f"/api/v1/{prefixe}/", corps, format="json").status_code == 201
            transaction.set_rollback(True)
        existant = e["dans"][modele]
        for methode, url, donnees in [("post", f"/api/v1/{prefixe}/", {**corps, **fautif}),
                                      ("patch", f"/api/v1/{prefixe}/{existant.pk}/", fautif),
                                      ("put", f"/api/v1/{prefixe}/{existant.pk}/", {**corps, **fautif})]:
            avant = instantane()
            reponse = getattr(client, methode)(url, donnees, format="json")
            assert reponse.status_code in (400, 403), (methode, url, nom, reponse.content)
            assert habilitations.MESSAGE_HORS_PERIMETRE in json.dumps(reponse.json(), ensure_ascii=False), reponse.json()
            assert instantane() == avant, (methode, url, nom)
        couverts.add((prefixe, nom))
    assert {("structures", "commune"), ("structures", "communes"), ("offres", "commune"), ("offres", "structure")} \
        <= couverts
