"""The kernel: what every app shares and nothing of ours underneath — strict file reading and import reports, the
vocabulary of professions, the cache and its generations, the API conventions, the health check.

May import: Django and third-party libraries only, never another app of the project."""
