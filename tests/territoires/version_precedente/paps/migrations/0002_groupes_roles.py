"""Role groups of the portal. Members also need is_staff to reach the admin; a délégation user needs a perimeter.

- "ARS — administrateur": every permission on the portal's data, accounts, API tokens and login lockouts.
- "ARS — éditeur zonages": created by zonages/0004 (versions, levels, imports, QPV, publication).
- "ARS — éditeur aides": the aids' rules and the contacts; reads territories and zonages.
- "ARS — délégation départementale": structures, offers, CPTS and contacts of its own départements
  (restricted by paps.habilitations); reads territories, zonages and aids.
- "Partenaire API": no admin rights; its members' API tokens get the higher "partenaire" quota.
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

ADMINISTRATEUR = "ARS — administrateur"
EDITEUR_AIDES = "ARS — éditeur aides"
DELEGATION = "ARS — délégation départementale"
PARTENAIRE = "Partenaire API"

APPLICATIONS_ADMINISTREES = ["zonages", "aides", "structures", "cpts", "paps", "auth", "authtoken", "axes"]
TERRITOIRES = ["region", "departement", "epci", "commune", "codepostal", "communerattachee"]
ZONAGES = ["zonage", "classement", "qpv"]


def creer_groupes(apps, schema_editor):
    for config in apps.get_app_configs():
        # Default permissions are normally created after all migrations (post_migrate): create them now.
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
        config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def permissions(app, actions, modeles):
        return list(Permission.objects.filter(content_type__app_label=app, content_type__model__in=modeles,
                                              codename__in=[f"{a}_{m}" for a in actions for m in modeles]))

    lecture_territoires = permissions("zonages", ["view"], TERRITOIRES + ZONAGES)

    administrateur, _ = Group.objects.get_or_create(name=ADMINISTRATEUR)
    administrateur.permissions.set(Permission.objects.filter(content_type__app_label__in=APPLICATIONS_ADMINISTREES))

    aides, _ = Group.objects.get_or_create(name=EDITEUR_AIDES)
    aides.permissions.set(permissions("aides", ["add", "change", "view"], ["dispositif", "contact"])
                          + lecture_territoires)

    delegation, _ = Group.objects.get_or_create(name=DELEGATION)
    delegation.permissions.set(
        permissions("structures", ["add", "change", "view"], ["structure", "offre"])
        + permissions("structures", ["add", "change", "delete", "view"], ["changementstatut", "effectifprofession"])
        + permissions("structures", ["delete"], ["offre"])
        + permissions("cpts", ["add", "change", "view"], ["cpts"])
        + permissions("cpts", ["add", "change", "delete", "view"], ["territoirecpts", "mission"])
        + permissions("aides", ["change", "view"], ["contact"]) + permissions("aides", ["view"], ["dispositif"])
        + lecture_territoires)

    Group.objects.get_or_create(name=PARTENAIRE)


def supprimer_groupes(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[ADMINISTRATEUR, EDITEUR_AIDES, DELEGATION, PARTENAIRE]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("paps", "0001_perimetre_agent"),
        ("zonages", "0005_libelles_import"),
        ("aides", "0001_dispositifs_contacts"),
        ("structures", "0002_offres"),
        ("cpts", "0001_initial"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(creer_groupes, supprimer_groupes)]
