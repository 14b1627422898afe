"""Arrondissements municipaux (Paris, Lyon, Marseille) kept as codes of their commune."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('territoires', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='communerattachee',
            name='type',
            field=models.CharField(choices=[('deleguee', 'commune déléguée'), ('associee', 'commune associée'), ('ancienne', 'ancienne commune (fusionnée)'), ('arrondissement', 'arrondissement municipal')], max_length=14),
        ),
    ]
