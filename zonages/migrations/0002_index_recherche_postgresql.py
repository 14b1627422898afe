"""Trigram index for name search on PostgreSQL.

Prefix searches use the `varchar_pattern_ops` index Django creates for `nom_normalise` (db_index=True);
word-inside-the-name searches (`LIKE '% jean%'`) need a trigram GIN index. SQLite has neither and needs neither
for the region's few thousand communes.
"""
from django.db import migrations

CREER = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS commune_nom_normalise_trgm ON zonages_commune USING gin (nom_normalise gin_trgm_ops)",
]
SUPPRIMER = ["DROP INDEX IF EXISTS commune_nom_normalise_trgm"]


def executer(requetes):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for requete in requetes:
                schema_editor.execute(requete)

    return operation


class Migration(migrations.Migration):
    dependencies = [("zonages", "0001_initial")]
    operations = [migrations.RunPython(executer(CREER), executer(SUPPRIMER))]
