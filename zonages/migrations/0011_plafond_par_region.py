"""Regional caps per region (issue 17): one portal may serve several regions, each with its own caps. The caps
entered before were Occitanie's (the only region served then): they get its code, 76."""
from django.db import migrations, models

from noyau.regions import REGIONS_INSEE


def region():
    return models.CharField(choices=sorted(REGIONS_INSEE.items()), default="76", max_length=3, verbose_name="région",
                            help_text="La région (code INSEE) dont la population est plafonnée.")


class Migration(migrations.Migration):

    dependencies = [
        ("zonages", "0010_groupes_publications_plafonds"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="plafondregional", name="plafond_unique_par_niveau"),
        migrations.AddField(model_name="historicalplafondregional", name="region", field=region(),
                            preserve_default=False),
        migrations.AddField(model_name="plafondregional", name="region", field=region(), preserve_default=False),
        migrations.AlterModelOptions(
            name="plafondregional",
            options={"ordering": ["region", "type", "niveau"], "verbose_name": "plafond régional de population",
                     "verbose_name_plural": "plafonds régionaux de population"},
        ),
        migrations.AddConstraint(
            model_name="plafondregional",
            constraint=models.UniqueConstraint(
                fields=("region", "type", "niveau"), name="plafond_unique_par_region_et_niveau",
                violation_error_message="Un plafond est déjà saisi pour ce niveau dans cette région : modifiez-le."),
        ),
    ]
