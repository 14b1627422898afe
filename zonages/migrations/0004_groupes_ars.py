"""Groups of ARS staff for the zonages administration, and the permission to publish a version.

- "ARS — éditeur zonages": add/change/view versions, communes' levels, imports and QPV, publish versions;
  view the territories.
- "ARS — lecture": view territories and zonages, nothing else.

The custom permission zonages.publier_zonage is created here (models.py declares no Meta permission).
"""
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITEUR = "ARS — éditeur zonages"
LECTURE = "ARS — lecture"
TERRITOIRES = ["region", "departement", "epci", "commune", "codepostal", "communerattachee"]
ZONAGES = ["zonage", "classement", "importzonage", "qpv"]
PUBLIER = ("publier_zonage", "Peut publier une version de zonage")


def _creer_permissions_standard(apps):
    # Default permissions are normally created after all migrations (post_migrate): create them now.
    config = apps.get_app_config("zonages")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None


def creer_groupes(apps, schema_editor):
    _creer_permissions_standard(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    type_zonage = ContentType.objects.get_or_create(app_label="zonages", model="zonage")[0]
    publier, _ = Permission.objects.get_or_create(content_type=type_zonage, codename=PUBLIER[0],
                                                  defaults={"name": PUBLIER[1]})

    def permissions(actions, modeles):
        return list(Permission.objects.filter(content_type__app_label="zonages", content_type__model__in=modeles,
                                              codename__in=[f"{a}_{m}" for a in actions for m in modeles]))

    lecture, _ = Group.objects.get_or_create(name=LECTURE)
    lecture.permissions.add(*permissions(["view"], TERRITOIRES + ZONAGES))
    editeur, _ = Group.objects.get_or_create(name=EDITEUR)
    editeur.permissions.add(*permissions(["add", "change", "view"], ZONAGES), *permissions(["view"], TERRITOIRES),
                            publier)


def supprimer_groupes(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITEUR, LECTURE]).delete()
    apps.get_model("auth", "Permission").objects.filter(content_type__app_label="zonages",
                                                        codename=PUBLIER[0]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("zonages", "0003_zonages_versions_imports_qpv"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(creer_groupes, supprimer_groupes)]
