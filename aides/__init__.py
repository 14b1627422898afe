"""Aids: the dated rules of every scheme (regles/*.yaml), the pure eligibility engine (eligibilite/), the catalogue,
the simulation of a case and its pages and API.

May import: zonages, territoires, noyau."""
