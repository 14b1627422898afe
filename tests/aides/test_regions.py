"""Regional schemes (of an ARS, a Région) carry the regions where they apply; national ones apply everywhere."""
import datetime

import pytest
import yaml
from django.test import override_settings

from aides import catalogue
from aides.catalogue import charger_regles
from aides.eligibilite.faits import Faits
from aides.eligibilite.moteur import evaluer_dispositif
from aides.eligibilite.regles import DOSSIER_REGLES, lire_dossier, valider

JOUR = datetime.date(2026, 3, 1)
# The schemes whose funder is the ARS Occitanie or the Région Occitanie (their `nom` says so).
REGIONAUX_OCCITANIE = {"ARS-MONTAGNE", "CDS-DEMARRAGE", "INTERNE-MONTAGNE", "IPA", "MSP-DEMARRAGE", "MSU-MONTAGNE",
                       "REGION-CDS", "REGION-MSP"}


def faits(region: str | None) -> Faits:
    return Faits(code_insee="00001", nom_commune="Commune fictive de test", departement="00", population=500,
                 profession="medecin-generaliste", date=JOUR, zonages={"montagne": "C"}, region=region)


def test_les_dispositifs_d_occitanie_portent_leur_region_et_eux_seuls():
    dispositifs = lire_dossier(DOSSIER_REGLES)
    assert {d.code: d.regions for d in dispositifs if d.regions} == {code: ("76",) for code in REGIONAUX_OCCITANIE}
    # Nothing outside Occitanie's schemes is named after Occitanie.
    assert [d.code for d in dispositifs if "Occitanie" in d.nom and not d.regions] == []


def test_un_dispositif_regional_n_est_pas_evalue_ailleurs():
    montagne = next(d for d in lire_dossier(DOSSIER_REGLES) if d.code == "ARS-MONTAGNE")
    assert evaluer_dispositif(montagne, faits("76")) is not None
    assert evaluer_dispositif(montagne, faits("84")) is None
    assert evaluer_dispositif(montagne, faits(None)) is not None  # region not told: the pure engine's cases
    national = next(d for d in lire_dossier(DOSSIER_REGLES) if d.code == "AM-AIDE-INSTALLATION")
    assert not national.regions and evaluer_dispositif(national, faits("84")) is not None


@pytest.mark.parametrize("regions", ["76", [], ["99"], [76]])
def test_schema_refuse_des_regions_fautives(regions):
    donnees = yaml.safe_load((DOSSIER_REGLES / "ARS-MONTAGNE.yaml").read_text(encoding="utf-8"))
    donnees["regions"] = regions
    assert any(p.startswith("regions : liste non vide de codes INSEE") for p in valider(donnees))


@pytest.mark.django_db
def test_le_catalogue_ne_garde_que_les_dispositifs_des_regions_servies():
    charger_regles()
    assert REGIONAUX_OCCITANIE <= {d.code for d in catalogue.dispositifs()}
    with override_settings(PAPS_REGIONS="84"):
        codes = {d.code for d in catalogue.dispositifs()}
        assert not REGIONAUX_OCCITANIE & codes and "AM-AIDE-INSTALLATION" in codes
    with override_settings(PAPS_REGIONS="toutes"):
        assert REGIONAUX_OCCITANIE <= {d.code for d in catalogue.dispositifs()}
