"""The alerts' messages: the confirmation of a subscription, and what changed. Plain text, in French, every one
with the link that ends the subscription (also in the List-Unsubscribe headers, for one-click unsubscribing)."""
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.http import urlencode

from aides.eligibilite.faits import PROFESSIONS
from aides.eligibilite.predicats import date_en_francais
from territoires.regions_servies import nom_du_portail

from .models import Abonnement, Evenement

COMMUNES_NOMMEES = 12  # per group of communes that change alike, in a département's message


def adresse(chemin: str) -> str:
    """The portal's public address for a path (messages are read outside the site)."""
    return settings.PAPS_URL_PUBLIQUE.rstrip("/") + chemin


def _desabonnement(abonnement: Abonnement) -> str:
    return adresse(reverse("alertes_desabonner", args=[abonnement.jeton]))


def _message(abonnement: Abonnement, sujet: str, corps: str) -> EmailMessage:
    lien = _desabonnement(abonnement)
    pied = (f"\n\nVous recevez ce message parce que cette adresse s'est abonnée aux alertes de {nom_du_portail()} pour "
            f"{abonnement.lieu_libelle} ({PROFESSIONS[abonnement.profession].lower()}).\n"
            f"Se désabonner : {lien}\n")
    return EmailMessage(subject=f"{nom_du_portail()} — {sujet}", body=corps + pied, to=[abonnement.courriel],
                        headers={"List-Unsubscribe": f"<{lien}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def confirmation(abonnement: Abonnement) -> EmailMessage:
    lien = adresse(reverse("alertes_confirmer", args=[abonnement.jeton]))
    corps = (f"Bonjour,\n\nUne demande d'alertes a été faite avec cette adresse pour {abonnement.lieu_libelle}, "
             f"profession « {PROFESSIONS[abonnement.profession].lower()} » : un message quand un zonage, une aide ou "
             f"une contrainte d'installation y change.\n\nPour la confirmer, ouvrez ce lien et validez : {lien}\n\n"
             "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : rien ne vous sera envoyé.")
    return _message(abonnement, f"confirmez votre abonnement aux alertes pour {abonnement.lieu_libelle}", corps)


def changement(abonnement: Abonnement, evenement: Evenement, par_commune: dict[str, tuple[str, tuple[str, ...]]]
               ) -> EmailMessage:
    """`par_commune`: {code INSEE: (name, lines)} of the communes where something changes for the profession."""
    profession = PROFESSIONS[abonnement.profession].lower()
    jour = date_en_francais(evenement.date_effet)
    corps = [f"Bonjour,\n\n{evenement.description}\n"]
    if abonnement.commune_id:
        (nom, lignes), = par_commune.values()
        corps.append(f"À {nom}, pour les {_pluriel(profession)}, à partir du {jour} :")
        corps += [f"- {ligne}" for ligne in lignes]
        parametres = {"commune": abonnement.commune_id, "profession": abonnement.profession,
                      "date": evenement.date_effet.isoformat()}
        corps.append(f"\nLes aides pour votre situation : {adresse(reverse('mes_aides'))}?{urlencode(parametres)}")
        corps.append(f"La fiche de la commune : {adresse(reverse('commune', args=[abonnement.commune_id]))}")
        sujet = f"ce qui change à {nom} pour les {_pluriel(profession)}"
    else:
        groupes: dict[tuple[str, ...], list[str]] = {}
        for nom, lignes in par_commune.values():
            groupes.setdefault(lignes, []).append(nom)
        corps.append(f"Dans le {abonnement.lieu_libelle}, pour les {_pluriel(profession)}, à partir du {jour}, "
                     f"{len(par_commune)} commune{'s' if len(par_commune) > 1 else ''} :")
        for lignes, noms in sorted(groupes.items(), key=lambda g: -len(g[1])):
            cites = ", ".join(noms[:COMMUNES_NOMMEES]) + (f" et {len(noms) - COMMUNES_NOMMEES} autres"
                                                          if len(noms) > COMMUNES_NOMMEES else "")
            corps.append(f"\n{cites} :")
            corps += [f"- {ligne}" for ligne in lignes]
        parametres = {"profession": abonnement.profession, "departement": abonnement.departement_id,
                      "date": evenement.date_effet.isoformat()}
        corps.append(f"\nToutes les communes du département : {adresse(reverse('ou_m_installer'))}?"
                     f"{urlencode(parametres)}")
        sujet = f"ce qui change dans le {abonnement.lieu_libelle} pour les {_pluriel(profession)}"
    corps.append("\nCes informations ne remplacent pas les textes officiels ni l'instruction de votre dossier.")
    return _message(abonnement, sujet, "\n".join(corps))


def _pluriel(profession: str) -> str:
    """ "médecin généraliste" → "médecins généralistes"."""
    return " ".join(mot if mot.endswith("s") else mot + "s" for mot in profession.split(" "))
