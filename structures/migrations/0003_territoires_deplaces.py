"""Structures and offers point to the territories' new app (same tables)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('structures', '0002_offres'),
        ('territoires', '0001_initial'),
    ]

    operations = [
        # The tables do not change (db_table): only Django's state of the models moves.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='historicaloffre',
                name='commune',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territoires.commune'),
            ),
            migrations.AlterField(
                model_name='historicalstructure',
                name='commune',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territoires.commune', verbose_name='commune principale'),
            ),
            migrations.AlterField(
                model_name='historicalstructure_communes',
                name='commune',
                field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territoires.commune'),
            ),
            migrations.AlterField(
                model_name='offre',
                name='commune',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='offres', to='territoires.commune'),
            ),
            migrations.AlterField(
                model_name='structure',
                name='commune',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='structures_principales', to='territoires.commune', verbose_name='commune principale'),
            ),
            migrations.AlterField(
                model_name='structure',
                name='communes',
                field=models.ManyToManyField(blank=True, help_text='Toutes les communes de la structure, la principale comprise (une ESP ou une PTA peut en couvrir plusieurs).', related_name='structures', to='territoires.commune'),
            ),
        ]),
    ]
