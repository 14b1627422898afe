from django.db import migrations, models


class Migration(migrations.Migration):
    """Imports of structures take the statuses shared with zonage imports (noyau.importation.Statut): the values
    stored so far (en_cours, valide, importe, rejete, echoue) are the same, so no stored value changes; the
    vocabulary adds en_attente, the new default (a record is created waiting, then run)."""

    dependencies = [
        ("structures", "0003_territoires_deplaces"),
    ]

    operations = [
        migrations.AlterField(
            model_name="importstructures",
            name="statut",
            field=models.CharField(
                choices=[("en_attente", "en attente"), ("en_cours", "en cours"),
                         ("valide", "validé (essai à blanc, rien d'écrit)"), ("importe", "importé"),
                         ("rejete", "rejeté (fichier invalide, rien d'écrit)"),
                         ("echoue", "échoué (erreur technique, rien d'écrit)")],
                default="en_attente", max_length=12),
        ),
    ]
