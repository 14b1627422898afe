"""The shape of the eligibility API's answer (built by aides/simulation.py), documented in the OpenAPI schema. The
API test checks real answers against it, so it cannot drift from what is served."""
from rest_framework import serializers

from .eligibilite.moteur import A_PRECISER, AU_CHOIX, ELIGIBLE, NON_ELIGIBLE
from .eligibilite.regles import FINANCEURS, NATURES, UNITES
from .simulation import COMMUNE_ABSENTE, CONNU, NON_CHARGEE, STATUTS_OBLIGATION

AIDE_FINANCEUR = ("Qui finance, en clair : « Assurance Maladie », « État »… ; une ARS ou une Région est nommée "
                  "d'après la région de la commune (« ARS » suivi du nom de la région).")
AIDE_FINANCEUR_TYPE = "Le type de financeur, le même dans toutes les régions."


class CommuneEligibiliteSerializer(serializers.Serializer):
    code_insee = serializers.CharField()
    nom = serializers.CharField()


class MontantAideSerializer(serializers.Serializer):
    valeur = serializers.FloatField(allow_null=True, help_text="null : montant à préciser (le libellé dit pourquoi).")
    unite = serializers.ChoiceField(choices=list(UNITES))
    unite_libelle = serializers.CharField()
    duree = serializers.CharField(allow_null=True)
    libelle = serializers.CharField(allow_null=True)
    verifie = serializers.BooleanField(help_text="false : montant que les sources n'ont pas permis de confirmer.")
    texte = serializers.CharField(help_text="Le montant en clair, ex. « 10 000 € (versement unique) ».")


class RaisonAideSerializer(serializers.Serializer):
    critere = serializers.CharField()
    statut = serializers.ChoiceField(choices=["rempli", "non_rempli", "inconnu"])
    message = serializers.CharField()
    alternative = serializers.BooleanField(
        help_text="true : raison d'une possibilité écartée alors qu'une autre reste à préciser (« l'une ou "
        "l'autre »), qui ne fait pas à elle seule la réponse.")


class ChoixQuestionSerializer(serializers.Serializer):
    valeur = serializers.CharField()
    libelle = serializers.CharField()


class QuestionAideSerializer(serializers.Serializer):
    champ = serializers.CharField(help_text="Le paramètre qui y répond.")
    texte = serializers.CharField()
    choix = ChoixQuestionSerializer(many=True, allow_null=True)


class NonCumulAideSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField()
    motif = serializers.CharField(help_text="Pourquoi les deux dispositifs s'excluent.")
    statut = serializers.CharField(allow_null=True, help_text="Statut de l'autre dispositif à la date (null : pas "
                                   "en vigueur ; ferme : fermé aux nouvelles demandes).")


class VersionRegleSerializer(serializers.Serializer):
    valid_from = serializers.DateField(allow_null=True, help_text="null : date de début non connue.")
    valid_to = serializers.DateField(allow_null=True)
    note = serializers.CharField(allow_blank=True)
    annonce = serializers.BooleanField(help_text="true : dispositif annoncé par un texte dont l'application n'est "
                                       "pas vérifiée (montant à préciser).")


class SourceAideSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="La citation entière : « titre — éditeur, date ».")
    titre = serializers.CharField()
    editeur = serializers.CharField()
    date = serializers.CharField(help_text="Date de publication, de mise à jour ou de consultation.")
    lien = serializers.URLField(allow_null=True)
    officielle = serializers.BooleanField(help_text="Source officielle (PAPS, ARS, Assurance Maladie, Légifrance…) : "
                                          "listée en premier.")


class LienContactSerializer(serializers.Serializer):
    titre = serializers.CharField()
    url = serializers.URLField()


class ContactAideSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Le type d'interlocuteur du dispositif (cpam, ars-dd, impots…).")
    libelle = serializers.CharField()
    nom = serializers.CharField(help_text="L'interlocuteur pour ce lieu, ex. « CPAM de la Lozère ».")
    demarche = serializers.CharField(help_text="Comment demander le dispositif.")
    decide = serializers.CharField(help_text="Qui décide.")
    liens = LienContactSerializer(many=True, help_text="Pages officielles, vérifiées ; la première est celle de "
                                  "l'interlocuteur.")
    note = serializers.CharField(allow_blank=True, help_text="Ce que le portail n'a pas pu vérifier (ex. une page "
                                 "départementale : le lien va alors à la page d'accueil officielle).")
    adresse = serializers.CharField(allow_blank=True, help_text="Renseignée par l'ARS pour le département, sinon vide.")
    telephone = serializers.CharField(allow_blank=True)
    courriel = serializers.CharField(allow_blank=True)
    site = serializers.CharField(allow_blank=True, help_text="Le premier des liens.")


class _ResultatSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField()
    nom_court = serializers.CharField()
    nature = serializers.ChoiceField(choices=list(NATURES))
    nature_libelle = serializers.CharField()
    financeur = serializers.CharField(help_text=AIDE_FINANCEUR)
    financeur_type = serializers.ChoiceField(choices=list(FINANCEURS), help_text=AIDE_FINANCEUR_TYPE)
    montant = MontantAideSerializer(allow_null=True)
    montants_possibles = MontantAideSerializer(many=True, help_text="Quand le montant dépend d'une réponse manquante.")
    raisons = RaisonAideSerializer(many=True)
    questions = QuestionAideSerializer(many=True)
    non_cumulable_avec = NonCumulAideSerializer(many=True, help_text="Dispositifs non cumulables avec celui-ci.")
    comparaison = serializers.CharField(allow_null=True, help_text="Quand un dispositif non cumulable est aussi "
                                        "possible : lequel vaut le plus, ou pourquoi on ne peut pas le dire.")
    version = VersionRegleSerializer()
    sources = SourceAideSerializer(many=True)
    contact = ContactAideSerializer()


class AideSerializer(_ResultatSerializer):
    statut = serializers.ChoiceField(
        choices=[ELIGIBLE, AU_CHOIX, A_PRECISER, NON_ELIGIBLE],
        help_text="au_choix : éligible, mais non cumulable avec un autre dispositif éligible (voir "
        "non_cumulable_avec et comparaison) : l'un ou l'autre.")


class ObligationSerializer(_ResultatSerializer):
    statut = serializers.ChoiceField(choices=list(STATUTS_OBLIGATION.values()))


class RemplacantSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField()


class DispositifFermeSerializer(serializers.Serializer):
    code = serializers.CharField()
    nom = serializers.CharField()
    nom_court = serializers.CharField()
    financeur = serializers.CharField(help_text=AIDE_FINANCEUR)
    financeur_type = serializers.ChoiceField(choices=list(FINANCEURS), help_text=AIDE_FINANCEUR_TYPE)
    ferme_depuis = serializers.DateField()
    remplace_par = RemplacantSerializer(many=True)
    message = serializers.CharField()
    sources = SourceAideSerializer(many=True)


class ZonageProfessionSerializer(serializers.Serializer):
    type = serializers.CharField()
    libelle = serializers.CharField()
    niveau = serializers.CharField(allow_null=True)
    etat = serializers.ChoiceField(choices=[CONNU, NON_CHARGEE, COMMUNE_ABSENTE],
                                   help_text="non_chargee : aucune version en vigueur dans le portail ; "
                                   "commune_absente : la version en vigueur ne classe pas la commune.")
    message = serializers.CharField()


class AvertissementDonneesSerializer(serializers.Serializer):
    couche = serializers.CharField(help_text="Type de zonage, ou qpv.")
    etat = serializers.ChoiceField(choices=[NON_CHARGEE, COMMUNE_ABSENTE])
    message = serializers.CharField()


class ReponseEligibiliteSerializer(serializers.Serializer):
    commune = CommuneEligibiliteSerializer()
    profession = serializers.CharField()
    date = serializers.DateField()
    zonages = serializers.DictField(child=serializers.CharField(allow_null=True),
                                    help_text="Niveau de la commune par type de zonage ; null : inconnu.")
    qpv = serializers.BooleanField(allow_null=True, help_text="Lieu d'exercice en QPV ; null : inconnu.")
    couches_en_vigueur = serializers.ListField(
        child=serializers.CharField(), help_text="Couches chargées et en vigueur à la date (types de zonage, qpv) ; "
        "une couche absente rend inconnues, jamais fausses, les conditions qui la lisent.")
    zonage_profession = ZonageProfessionSerializer(allow_null=True, help_text="Le zonage de la profession choisie ; "
                                                   "null pour une profession sans zonage.")
    avertissements = AvertissementDonneesSerializer(many=True, help_text="Données manquantes pour ce cas.")
    aides = AideSerializer(many=True, help_text="Aides ouvertes à la date ; éligibles d'abord.")
    obligations = ObligationSerializer(many=True, help_text="Contraintes d'installation du lieu (conventionnement "
                                       "régulé), qui ne sont pas des aides.")
    dispositifs_fermes = DispositifFermeSerializer(many=True, help_text="Dispositifs de la profession fermés aux nouvelles "
                                         "demandes à la date, avec ce qui les a remplacés.")
