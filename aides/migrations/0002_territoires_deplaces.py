"""Contacts point to the territories' new app (same tables)."""
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('aides', '0001_dispositifs_contacts'),
        ('territoires', '0001_initial'),
    ]

    operations = [
        # The tables do not change (db_table): only Django's state of the models moves.
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='contact',
                name='departement',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contacts', to='territoires.departement'),
            ),
            migrations.AlterField(
                model_name='historicalcontact',
                name='departement',
                field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territoires.departement'),
            ),
        ]),
    ]
