"""The territories leave the zonages app for their own (territoires): their tables stay as they are."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('aides', '0002_territoires_deplaces'),
        ('cpts', '0002_territoires_deplaces'),
        ('structures', '0003_territoires_deplaces'),
        ('territoires', '0001_initial'),
        ('zonages', '0006_import_signe_de_vie'),
    ]

    operations = [
        # The tables do not change (db_table): only Django's state of the models moves.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='commune',
                name='departement',
            ),
            migrations.RemoveField(
                model_name='commune',
                name='epci',
            ),
            migrations.AlterField(
                model_name='historicalclassement',
                name='commune',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territoires.commune'),
            ),
            migrations.AlterField(
                model_name='historicalqpv_communes',
                name='commune',
                field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territoires.commune'),
            ),
            migrations.AlterField(
                model_name='classement',
                name='commune',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='classements', to='territoires.commune'),
            ),
            migrations.RemoveField(
                model_name='communerattachee',
                name='commune',
            ),
            migrations.RemoveField(
                model_name='departement',
                name='region',
            ),
            migrations.AlterField(
                model_name='qpv',
                name='communes',
                field=models.ManyToManyField(blank=True, related_name='qpv', to='territoires.commune'),
            ),
            migrations.DeleteModel(
                name='CodePostal',
            ),
            migrations.DeleteModel(
                name='EPCI',
            ),
            migrations.DeleteModel(
                name='Commune',
            ),
            migrations.DeleteModel(
                name='CommuneRattachee',
            ),
            migrations.DeleteModel(
                name='Departement',
            ),
            migrations.DeleteModel(
                name='Region',
            ),
        ]),
    ]
