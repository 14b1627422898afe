"""Indicators of the supply of care per commune, as published: the DREES accessibilité potentielle localisée (APL) to
médecins généralistes, by year, with its loader and readings (a commune, a département's distribution).

May import: territoires, noyau."""
