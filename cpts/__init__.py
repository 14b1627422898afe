"""CPTS: their territories (a commune belongs to at most one), missions and ACI funding bracket (computed by the
aids engine from the shared ACI CPTS rule).

May import: aides, zonages, territoires, noyau."""
