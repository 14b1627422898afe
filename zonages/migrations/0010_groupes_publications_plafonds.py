"""The ARS groups see the record of publications; the editors enter the regional caps of population per level."""
from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITEUR = "ARS — éditeur zonages"
LECTURE = "ARS — lecture"


def _permissions(apps, codes):
    config = apps.get_app_config("zonages")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    return list(apps.get_model("auth", "Permission").objects.filter(content_type__app_label="zonages",
                                                                    codename__in=codes))


def ajouter(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    editeur = Group.objects.filter(name=EDITEUR).first()
    lecture = Group.objects.filter(name=LECTURE).first()
    if editeur:
        editeur.permissions.add(*_permissions(apps, ["view_publication", "add_plafondregional",
                                                     "change_plafondregional", "view_plafondregional"]))
    if lecture:
        lecture.permissions.add(*_permissions(apps, ["view_publication", "view_plafondregional"]))


def retirer(apps, schema_editor):
    pass  # the permissions go with their models


class Migration(migrations.Migration):
    dependencies = [("zonages", "0009_publications_plafonds"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(ajouter, retirer)]
