"""Cached data are invalidated when the data change: the dashboard, a commune's zonages, the classification JSON,
the eligibility's contacts and rules. The generations live in the database, so another process sees the change
(with several processes for real: tests/resilience/test_multi_processus.py)."""
import datetime
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aides.catalogue import charger_regles
from aides.models import Contact, Dispositif
from cpts.models import Cpts
from noyau import cache_generations
from noyau.models import Generation
from portail.tableau_de_bord import indicateurs
from structures.models import ChangementStatut, Offre, Structure
from territoires.models import Commune
from tests.conftest import exiger_postgresql
from tests.factories import version
from zonages import carte
from zonages.consultation import qpv_de_la_commune, zonages_de
from zonages.models import Classement
from zonages.publication import publier

pytestmark = pytest.mark.django_db
AUJOURDHUI = timezone.localdate()


def tableau(donnees, titre):
    return dict(next(t for t in donnees.tableaux if t.titre == titre).lignes)


def msp(nom, commune="48095"):
    s = Structure.objects.create(identifiant=f"TEST-{nom}", nom=nom, type="msp", commune_id=commune)
    ChangementStatut.objects.create(structure=s, statut="ouverte", date=AUJOURDHUI - datetime.timedelta(days=3))
    return s


def autre_processus():
    """What another process sees without Redis: neither this process's memo nor its local-memory cache."""
    cache_generations.vider_memo()
    cache.clear()


def test_tableau_de_bord_suit_les_structures_offres_et_cpts():
    avant = indicateurs("48")
    assert tableau(avant, "Maisons de santé pluriprofessionnelles")["ouvertes ou labellisées"] == 0
    assert indicateurs("48") is not None  # read again: cached
    msp("MSP de test")
    apres = indicateurs("48")
    assert tableau(apres, "Maisons de santé pluriprofessionnelles")["ouvertes ou labellisées"] == 1
    Offre.objects.create(titre="Poste", profession="medecin-generaliste", type="salarie", employeur="Test",
                         commune_id="48095", publiee_le=AUJOURDHUI, expire_le=AUJOURDHUI, contact_nom="Test")
    assert tableau(indicateurs("48"), "Offres d'emploi en cours")["Salarié"] == 1
    cpts = Cpts.objects.create(nom="CPTS de test", stade="validee")
    assert tableau(indicateurs("48"), "CPTS par stade")["projet de santé validé"] == 0  # not in the département yet
    cpts.departements.add("48")  # many-to-many: m2m_changed
    assert tableau(indicateurs("48"), "CPTS par stade")["projet de santé validé"] == 1


def test_tableau_de_bord_suit_un_changement_de_statut_et_la_population():
    s = msp("MSP de test")
    assert tableau(indicateurs("48"), "Maisons de santé pluriprofessionnelles")["ouvertes ou labellisées"] == 1
    ChangementStatut.objects.create(structure=s, statut="fermee", date=AUJOURDHUI - datetime.timedelta(days=1))
    assert tableau(indicateurs("48"), "Maisons de santé pluriprofessionnelles")["ouvertes ou labellisées"] == 0
    population = indicateurs("48").population
    mende = Commune.objects.get(code_insee="48095")
    mende.population += 1000
    mende.save()
    assert indicateurs("48").population == population + 1000


def test_publier_un_zonage_change_la_commune_et_le_classement():
    assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau is None
    avant = json.loads(carte.fichier_classement("medecin", AUJOURDHUI).contenu)
    assert avant["version"] is None and avant["niveaux"] == {}
    v = version("ZIP", datetime.date(2022, 5, 7), communes=("34032", "31555"))
    assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau is None  # a draft shows nowhere
    publier(v)
    assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau == "ZIP"
    apres = json.loads(carte.fichier_classement("medecin", AUJOURDHUI).contenu)
    assert apres["version"]["id"] == v.pk and apres["niveaux"] == {"31555": "ZIP", "34032": "ZIP"}
    # The map's popup and the page read the same lookup.
    assert next(n for n in carte.niveaux_de_la_commune("34032", AUJOURDHUI)["niveaux"]
                if n["type"] == "medecin")["niveau"] == "ZIP"


def test_modifier_ou_supprimer_un_classement_se_voit_partout():
    v = version("ZIP", datetime.date(2022, 5, 7), communes=("34032", "31555"))
    publier(v)
    assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau == "ZIP"
    carte.fichier_classement("medecin", AUJOURDHUI)
    classement = Classement.objects.get(zonage=v, commune_id="34032")
    classement.niveau = "ZAC"
    classement.save()
    assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau == "ZAC"
    assert json.loads(carte.fichier_classement("medecin", AUJOURDHUI).contenu)["niveaux"]["34032"] == "ZAC"
    classement.delete()
    assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau is None
    assert "34032" not in json.loads(carte.fichier_classement("medecin", AUJOURDHUI).contenu)["niveaux"]


def test_la_generation_est_en_base_et_change_a_chaque_publication():
    v = version("ZIP", datetime.date(2022, 5, 7))
    premiere = cache_generations.generations("zonages")
    carte.fichier_classement("medecin", AUJOURDHUI)  # kept in this process's memo
    publier(v)
    seconde = cache_generations.generations("zonages")
    assert seconde != premiere and Generation.objects.get(domaine="zonages").valeur == int(seconde)
    autre_processus()
    assert json.loads(carte.fichier_classement("medecin", AUJOURDHUI).contenu)["niveaux"] == {"34032": "ZIP"}


def test_une_grande_valeur_remplace_celle_des_generations_passees():
    """A process's large values (a whole region's facts) are kept once per key: built again under newer generations,
    the new value replaces the old one, which is not kept beside it until pushed out."""
    memoire = cache_generations.MemoireLocale(4)
    construites = []

    def construire(valeur):
        return lambda: construites.append(valeur) or valeur

    assert memoire.obtenir("region", ("zonages",), construire("avant")) == "avant"
    assert memoire.obtenir("region", ("zonages",), construire("jamais")) == "avant"
    assert memoire.obtenir("autre", ("aides",), construire("autre")) == "autre"
    cache_generations.invalider("zonages")
    assert memoire.obtenir("region", ("zonages",), construire("apres")) == "apres"
    assert construites == ["avant", "autre", "apres"]
    assert [cle for cle in memoire.valeurs] == ["autre", "region"]
    assert memoire.obtenir("autre", ("aides",), construire("jamais")) == "autre"  # its generations did not change
    for i in range(4):
        memoire.obtenir(f"cle-{i}", ("aides",), construire(i))
    assert list(memoire.valeurs) == ["cle-0", "cle-1", "cle-2", "cle-3"]  # the least recently used pushed out


def test_une_generation_changee_par_un_autre_processus_se_voit_aussitot():
    """Another process (a command, a worker) commits its data and its generation: this process, whose cache and memo
    still hold the old value, reads the new generation at once, without Redis."""
    publier(version("ZIP", datetime.date(2022, 5, 7)))
    assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau == "ZIP"
    Classement.objects.filter(commune_id="34032").update(niveau="ZAC")  # (no signal: as seen from here)
    assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau == "ZIP"  # cached
    Generation.objects.filter(domaine="zonages").update(valeur=F("valeur") + 1)  # the other process's invalider()
    assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau == "ZAC"


def test_une_requete_lit_les_generations_une_fois(client):
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7)))
    url = "/api/v1/eligibilite/?commune=34032&profession=medecin-generaliste"
    for _ in range(2):  # cold, then warm
        with CaptureQueriesContext(connection) as requetes:
            assert client.get(url).status_code == 200
        assert sum("noyau_generation" in r["sql"] for r in requetes.captured_queries) == 1


def test_dans_une_requete_une_modification_se_voit_aussitot():
    with cache_generations.portee():
        assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau is None
        publier(version("ZIP", datetime.date(2022, 5, 7)))
        assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau == "ZIP"


def test_une_table_videe_ne_redonne_jamais_une_ancienne_generation():
    avant = cache_generations.generations("zonages", "qpv")
    Generation.objects.all().delete()  # a restored backup, an emptied test database
    apres = cache_generations.generations("zonages", "qpv")
    assert apres.split(".")[0] != avant.split(".")[0] and apres.split(".")[1] != avant.split(".")[1]
    cache_generations.invalider("zonages")
    assert cache_generations.generations("zonages") != apres.split(".")[0]


def test_contacts_et_regles_de_l_eligibilite(client):
    charger_regles()
    publier(version("ZIP", datetime.date(2022, 5, 7)))
    url = "/api/v1/eligibilite/?commune=34032&profession=medecin-generaliste"

    def contact_cpam():
        return next(a["contact"] for a in client.get(url).json()["aides"] if a["contact"]["type"] == "cpam")

    assert contact_cpam()["nom"] == "CPAM de l'Hérault"  # the annuaire's, until ARS staff enter theirs
    Contact.objects.create(departement_id="34", type="cpam", nom="CPAM de l'Hérault (test)", telephone="3646")
    assert (contact_cpam()["nom"], contact_cpam()["telephone"]) == ("CPAM de l'Hérault (test)", "3646")
    dispositif = Dispositif.objects.get(code="AM-AIDE-INSTALLATION")
    dispositif.regle = {**dispositif.regle, "nom": "Aide à l'installation (nom de test)"}
    dispositif.nom = dispositif.regle["nom"]
    dispositif.save()
    noms = {a["code"]: a["nom"] for a in client.get(url).json()["aides"]}
    assert noms["AM-AIDE-INSTALLATION"] == "Aide à l'installation (nom de test)"


def test_qpv_de_la_commune_suit_les_qpv():
    from zonages.models import QPV

    assert qpv_de_la_commune("34032", AUJOURDHUI) == []
    qpv = QPV.objects.create(code="QN03400T", nom="Quartier de test", valid_from=datetime.date(2024, 1, 1),
                             geometrie={"type": "Polygon", "coordinates": [[[3.2, 43.3], [3.3, 43.3], [3.3, 43.4],
                                                                            [3.2, 43.3]]]})
    qpv.communes.add("34032")
    assert [q.code for q in qpv_de_la_commune("34032", AUJOURDHUI)] == ["QN03400T"]


def test_cache_injoignable_les_valeurs_sont_reconstruites(monkeypatch):
    """A cache that fails (Redis down) costs the rebuild, never a stale or missing value."""
    def panne(*args, **kwargs):
        raise ConnectionError("cache en panne")

    monkeypatch.setattr(cache, "get", panne)
    monkeypatch.setattr(cache, "set", panne)
    assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau is None
    publier(version("ZIP", datetime.date(2022, 5, 7)))
    assert zonages_de("34032", AUJOURDHUI)["medecin"].niveau == "ZIP"


def test_aides_de_la_page_commune_suivent_zonages_et_regles():
    """Kept per process (partage=False), yet a publication or a rule change anywhere is seen at once."""
    from aides.simulation import aides_par_profession

    charger_regles()
    beziers = Commune.objects.get(code_insee="34032")

    def zonage_medecin_pour_l_aide():
        aides = next(a for a in aides_par_profession(beziers, AUJOURDHUI) if a.profession == "medecin-generaliste")
        resultat = next((r for r in aides.possibles if r.dispositif.code == "AM-AIDE-INSTALLATION"), None)
        return resultat and next(r.en_dict()["statut"] for r in resultat.raisons if r.critere == "zonage:medecin")

    avant = zonage_medecin_pour_l_aide()
    assert aides_par_profession(beziers, AUJOURDHUI) is aides_par_profession(beziers, AUJOURDHUI)
    publier(version("ZIP", datetime.date(2022, 5, 7), communes=("34032",)))  # test version, not the real zonage
    assert zonage_medecin_pour_l_aide() == "rempli" != avant
    Dispositif.objects.filter(code="AM-AIDE-INSTALLATION").delete()
    assert zonage_medecin_pour_l_aide() is None


@pytest.mark.django_db(transaction=True)
def test_la_nouvelle_generation_se_voit_avec_les_donnees_au_commit():
    """Replaced in the writer's transaction: another connection reads the old one until the commit, then the new one
    (never a new generation with the old data). PostgreSQL: two connections at once."""
    exiger_postgresql("deux connexions simultanées à la base de test")
    import threading

    from django.db import connections, transaction

    def vue_d_une_autre_connexion():
        vu = {}

        def lire():
            try:
                vu["generation"] = cache_generations.generations("zonages")
            finally:
                connections.close_all()
        fil = threading.Thread(target=lire)
        fil.start()
        fil.join(30)
        return vu["generation"]

    avant = cache_generations.generations("zonages")
    with transaction.atomic():
        cache_generations.invalider("zonages")
        pendant = cache_generations.generations("zonages")
        assert pendant != avant
        assert vue_d_une_autre_connexion() == avant
    assert vue_d_une_autre_connexion() == pendant
