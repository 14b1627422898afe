"""« Où m'installer ? » (issue 16): every commune of the region evaluated for one profile, around a town, and
communes compared side by side. Part of the portal because it combines aides, zonages, territoires, indicateurs,
structures and cpts."""
