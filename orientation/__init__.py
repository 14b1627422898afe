"""« Où m'installer ? » (issue 16): every commune of the region evaluated for one profile, around a town, and
communes compared side by side. A portal-level app: it combines aides, zonages, territoires, indicateurs,
structures and cpts, which never import it."""
