"""The record of each reference file loaded by charger_referentiels (territories, APL, CPTS), read only in the admin:
the administrators and the zonage editors may read it (they follow what is loaded)."""
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

LECTEURS = ["ARS — administrateur", "ARS — éditeur zonages"]


def donner_la_lecture(apps, schema_editor):
    config = apps.get_app_config("portail")
    config.models_module = True  # default permissions are normally created after all migrations (post_migrate)
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    lecture = apps.get_model("auth", "Permission").objects.get(content_type__app_label="portail",
                                                                codename="view_chargementreferentiel")
    for groupe in apps.get_model("auth", "Group").objects.filter(name__in=LECTEURS):
        groupe.permissions.add(lecture)


class Migration(migrations.Migration):

    dependencies = [
        ("portail", "0001_groupes_roles"),
        ("zonages", "0007_territoires_deplaces"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChargementReferentiel",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("fichier_nom", models.CharField(max_length=255, verbose_name="fichier")),
                ("sha256", models.CharField(max_length=64, verbose_name="empreinte SHA-256")),
                ("cree_le", models.DateTimeField(auto_now_add=True, verbose_name="créé le")),
                ("termine_le", models.DateTimeField(blank=True, null=True, verbose_name="terminé le")),
                ("essai", models.BooleanField(default=False, verbose_name="essai à blanc")),
                ("statut", models.CharField(choices=[
                    ("en_attente", "en attente"), ("en_cours", "en cours"),
                    ("valide", "validé (essai à blanc, rien d'écrit)"), ("importe", "importé"),
                    ("rejete", "rejeté (fichier invalide, rien d'écrit)"),
                    ("echoue", "échoué (erreur technique, rien d'écrit)")], default="en_attente", max_length=12)),
                ("lignes_lues", models.PositiveIntegerField(default=0)),
                ("nb_avertissements", models.PositiveIntegerField(default=0, verbose_name="avertissements")),
                ("nb_erreurs", models.PositiveIntegerField(default=0, verbose_name="erreurs")),
                ("rapport", models.JSONField(blank=True, default=dict)),
                ("nature", models.CharField(choices=[
                    ("territoires", "territoires (régions, départements, EPCI, communes, contours, anciens codes)"),
                    ("apl", "accessibilité potentielle localisée (APL, DREES)"),
                    ("cpts", "CPTS des documents de référence"), ("cpts-echantillon", "échantillon des CPTS")],
                    max_length=20)),
                ("origine", models.CharField(blank=True, max_length=200, verbose_name="lancé depuis")),
                ("fichiers", models.JSONField(blank=True, default=list, verbose_name="fichiers lus",
                                              help_text="Chaque fichier lu, avec son empreinte SHA-256.")),
                ("comptes", models.JSONField(blank=True, default=dict, verbose_name="comptes",
                                             help_text="Ce que le chargement a créé, modifié ou laissé inchangé.")),
            ],
            options={
                "verbose_name": "chargement de référentiel",
                "verbose_name_plural": "chargements de référentiels",
                "ordering": ["-cree_le"],
            },
        ),
        migrations.RunPython(donner_la_lecture, migrations.RunPython.noop),
    ]
