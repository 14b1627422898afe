"""A délégation's perimeter can be whole régions."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('territoires', '0002_arrondissements'),
    ]

    operations = [
        migrations.AddField(
            model_name='perimetreagent',
            name='regions',
            field=models.ManyToManyField(blank=True, db_table='territoires_perimetreagent_regions', help_text="Pour une délégation à l'échelle d'une région : tous ses départements, en plus de ceux choisis ci-dessus.", related_name='agents', to='territoires.region'),
        ),
    ]
