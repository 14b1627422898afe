"""Territories: régions, départements, EPCI, communes (with postal codes and former codes), their reference load,
commune search, the commune API, and the délégation perimeter of ARS staff (who may edit which départements).

May import: noyau."""
