"""Zonages: dated versions of the classification of communes per profession (médecins ZIP/ZAC/ZAR, the paramedical
levels) and the overlays (montagne, ZRR, FRR, QPV); strict recorded imports, publication, reading at a date, the map.

May import: territoires, noyau."""
