"""Coordinated practice structures (MSP, centres de santé, ESP, PTA, réseaux) and job offers: models, strict
recorded CSV import, pages, map and API.

May import: territoires, noyau."""
