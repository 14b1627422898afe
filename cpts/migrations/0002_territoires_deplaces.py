"""CPTS point to the territories' new app (same tables)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cpts', '0001_initial'),
        ('territoires', '0001_initial'),
    ]

    operations = [
        # The tables do not change (db_table): only Django's state of the models moves.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='cpts',
                name='departements',
                field=models.ManyToManyField(blank=True, related_name='cpts', to='territoires.departement', verbose_name='départements'),
            ),
            migrations.AlterField(
                model_name='historicalcpts_departements',
                name='departement',
                field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territoires.departement'),
            ),
            migrations.AlterField(
                model_name='historicalterritoirecpts',
                name='commune',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territoires.commune'),
            ),
            migrations.AlterField(
                model_name='territoirecpts',
                name='commune',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='territoires_cpts', to='territoires.commune'),
            ),
        ]),
    ]
