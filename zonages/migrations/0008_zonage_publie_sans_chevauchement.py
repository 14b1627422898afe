"""Published versions of one type never overlap: a PostgreSQL exclusion constraint on the (inclusive) date range of
the published versions of each type, whatever writes them. It needs btree_gist (equality on `type` in a GiST index).
SQLite has no exclusion constraints: there, the check of zonages.publication.publier() is the only guard.

Versions that already overlap (published at the same moment before this constraint) stop the migration with the list
of them: an agent decides which one ends, then the migration is run again.
"""
from django.db import migrations

CONTRAINTE = "zonage_publie_sans_chevauchement"
PLAGE = "daterange(valid_from, valid_to, '[]')"  # valid_to NULL: no end

CHEVAUCHEMENTS = """
SELECT a.type, a.id, a.reference, b.id, b.reference FROM zonages_zonage a JOIN zonages_zonage b
  ON a.type = b.type AND a.id < b.id AND a.statut = 'publie' AND b.statut = 'publie'
 AND daterange(a.valid_from, a.valid_to, '[]') && daterange(b.valid_from, b.valid_to, '[]')
ORDER BY a.type, a.id, b.id
"""


def creer(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as curseur:
        curseur.execute(CHEVAUCHEMENTS)
        chevauchements = curseur.fetchall()
    if chevauchements:
        lignes = "\n".join(f"  - {type_} : version n° {a} ({ref_a}) et version n° {b} ({ref_b})"
                           for type_, a, ref_a, b, ref_b in chevauchements)
        raise RuntimeError("Des versions publiées d'un même type se chevauchent ; terminez l'une de chaque paire "
                           f"(date de fin) puis relancez la migration :\n{lignes}")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(f"ALTER TABLE zonages_zonage ADD CONSTRAINT {CONTRAINTE} "
                          f"EXCLUDE USING gist (type WITH =, {PLAGE} WITH &&) WHERE (statut = 'publie')")


def supprimer(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE zonages_zonage DROP CONSTRAINT IF EXISTS {CONTRAINTE}")


class Migration(migrations.Migration):
    dependencies = [("zonages", "0007_territoires_deplaces")]
    operations = [migrations.RunPython(creer, supprimer)]
