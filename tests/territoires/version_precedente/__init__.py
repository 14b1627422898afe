"""What a database made by the release before the layers were separated looks like: the same migrations of every
app, plus those of the former `paps` app (copied unchanged in paps/migrations/), which created the délégation
perimeter's tables and the role groups. Used by tests/territoires/test_migration_depuis_version_precedente.py."""
