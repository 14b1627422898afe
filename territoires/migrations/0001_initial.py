"""The territories' own app. Their tables were created by the zonages app (zonages_region, zonages_commune…) and the
délégation perimeter's by the former paps app (paps_perimetreagent): the models move, the tables and their data stay.

- State: the models are declared here, on their existing tables (db_table).
- Database: nothing changes for a database created before the move. A new database has no paps app any more, so the
  perimeter's tables are created here when they are missing.
- Content types (and so permissions, group rights and admin history) follow the models to their new app label.
"""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TERRITOIRES = ["region", "departement", "epci", "commune", "codepostal", "communerattachee"]


def creer_perimetre_si_absent(apps, schema_editor):
    if "paps_perimetreagent" not in schema_editor.connection.introspection.table_names():
        schema_editor.create_model(apps.get_model("territoires", "PerimetreAgent"))  # with its many-to-many table


def _deplacer_types_de_contenu(apps, deplacements):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for ancien, nouveau, modele in deplacements:
        source = ContentType.objects.filter(app_label=ancien, model=modele).first()
        if source is None:
            continue
        # A content type already made under the new label (by a post_migrate of this code) holds no assignment yet.
        ContentType.objects.filter(app_label=nouveau, model=modele).delete()
        source.app_label = nouveau
        source.save(update_fields=["app_label"])


def deplacer_types_de_contenu(apps, schema_editor):
    _deplacer_types_de_contenu(apps, [("zonages", "territoires", m) for m in TERRITOIRES]
                               + [("paps", "territoires", "perimetreagent")])


def remettre_types_de_contenu(apps, schema_editor):
    _deplacer_types_de_contenu(apps, [("territoires", "zonages", m) for m in TERRITOIRES]
                               + [("territoires", "paps", "perimetreagent")])


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("zonages", "0006_import_signe_de_vie"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Commune',
                fields=[
                    ('code_insee', models.CharField(max_length=5, primary_key=True, serialize=False, verbose_name='code INSEE')),
                    ('nom', models.CharField(max_length=200)),
                    ('nom_normalise', models.CharField(db_index=True, editable=False, max_length=200)),
                    ('population', models.PositiveIntegerField(blank=True, null=True)),
                    ('contour', models.JSONField(blank=True, null=True, verbose_name='contour (GeoJSON)')),
                    ('longitude', models.FloatField(blank=True, help_text='Point représentatif, toujours dans le contour.', null=True)),
                    ('latitude', models.FloatField(blank=True, null=True)),
                ],
                options={
                    'db_table': 'zonages_commune',
                    'ordering': ['nom'],
                },
            ),
            migrations.CreateModel(
                name='Departement',
                fields=[
                    ('code', models.CharField(max_length=3, primary_key=True, serialize=False, verbose_name='code INSEE')),
                    ('nom', models.CharField(max_length=100)),
                    ('chef_lieu', models.CharField(blank=True, max_length=5, verbose_name='chef-lieu (code INSEE)')),
                    ('contour', models.JSONField(blank=True, null=True, verbose_name='contour (GeoJSON)')),
                ],
                options={
                    'verbose_name': 'département',
                    'db_table': 'zonages_departement',
                    'ordering': ['code'],
                },
            ),
            migrations.CreateModel(
                name='EPCI',
                fields=[
                    ('code', models.CharField(max_length=9, primary_key=True, serialize=False, verbose_name='SIREN')),
                    ('nom', models.CharField(max_length=200)),
                    ('type', models.CharField(help_text='CC, CA, CU, METRO', max_length=10)),
                    ('mode_financement', models.CharField(blank=True, max_length=10)),
                    ('population', models.PositiveIntegerField(blank=True, null=True)),
                ],
                options={
                    'verbose_name': 'EPCI',
                    'verbose_name_plural': 'EPCI',
                    'db_table': 'zonages_epci',
                    'ordering': ['nom'],
                },
            ),
            migrations.CreateModel(
                name='Region',
                fields=[
                    ('code', models.CharField(max_length=3, primary_key=True, serialize=False, verbose_name='code INSEE')),
                    ('nom', models.CharField(max_length=100)),
                    ('contour', models.JSONField(blank=True, null=True, verbose_name='contour (GeoJSON)')),
                ],
                options={
                    'verbose_name': 'région',
                    'db_table': 'zonages_region',
                    'ordering': ['code'],
                },
            ),
            migrations.CreateModel(
                name='CommuneRattachee',
                fields=[
                    ('code', models.CharField(max_length=5, primary_key=True, serialize=False, verbose_name='code INSEE')),
                    ('nom', models.CharField(blank=True, max_length=200)),
                    ('type', models.CharField(choices=[('deleguee', 'commune déléguée'), ('associee', 'commune associée'), ('ancienne', 'ancienne commune (fusionnée)')], max_length=10)),
                    ('commune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='communes_rattachees', to='territoires.commune', verbose_name='commune actuelle')),
                ],
                options={
                    'verbose_name': 'commune rattachée',
                    'verbose_name_plural': 'communes rattachées (anciens codes)',
                    'db_table': 'zonages_communerattachee',
                    'ordering': ['code'],
                },
            ),
            migrations.AddField(
                model_name='commune',
                name='departement',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='communes', to='territoires.departement'),
            ),
            migrations.AddField(
                model_name='commune',
                name='epci',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='communes', to='territoires.epci'),
            ),
            migrations.CreateModel(
                name='PerimetreAgent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('departements', models.ManyToManyField(blank=True, db_table='paps_perimetreagent_departements', help_text="Pour le groupe « ARS — délégation départementale » : les seuls départements dont l'agent peut modifier les structures, CPTS, offres et contacts.", related_name='agents', to='territoires.departement')),
                    ('utilisateur', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='perimetre', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': "périmètre de l'agent",
                    'verbose_name_plural': 'périmètres des agents',
                    'db_table': 'paps_perimetreagent',
                },
            ),
            migrations.AddField(
                model_name='departement',
                name='region',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='departements', to='territoires.region'),
            ),
            migrations.CreateModel(
                name='CodePostal',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('code', models.CharField(db_index=True, max_length=5)),
                    ('commune', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='codes_postaux', to='territoires.commune')),
                ],
                options={
                    'verbose_name': 'code postal',
                    'verbose_name_plural': 'codes postaux',
                    'db_table': 'zonages_codepostal',
                    'ordering': ['code'],
                    'constraints': [models.UniqueConstraint(fields=('code', 'commune'), name='code_postal_unique_par_commune')],
                },
            ),
            migrations.AddIndex(
                model_name='commune',
                index=models.Index(fields=['-population'], name='commune_population_idx'),
            ),
        ]),
        migrations.RunPython(creer_perimetre_si_absent, migrations.RunPython.noop),
        migrations.RunPython(deplacer_types_de_contenu, remettre_types_de_contenu),
    ]
