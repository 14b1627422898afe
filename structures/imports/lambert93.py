"""Lambert 93 (EPSG:2154, RGF93) to WGS 84 longitude and latitude, as the FINESS register gives its coordinates for
metropolitan France.

The inverse of the Lambert conformal conic projection with two standard parallels (IGN, "Projection cartographique
conique conforme de Lambert", NTG 71; Snyder, "Map projections: a working manual", 1987, p. 107) on the GRS 80
ellipsoid. RGF93 and WGS 84 differ by less than a metre, far below what a structure's point needs: no datum shift.
"""
import math

DEMI_GRAND_AXE = 6378137.0  # GRS 80
APLATISSEMENT = 1 / 298.257222101
EXCENTRICITE = math.sqrt(APLATISSEMENT * (2 - APLATISSEMENT))
LONGITUDE_ORIGINE = math.radians(3.0)
LATITUDE_ORIGINE = math.radians(46.5)
PARALLELES = (math.radians(44.0), math.radians(49.0))
X0, Y0 = 700000.0, 6600000.0  # false easting and northing


def _m(phi: float) -> float:
    return math.cos(phi) / math.sqrt(1 - (EXCENTRICITE * math.sin(phi)) ** 2)


def _t(phi: float) -> float:
    e_sin = EXCENTRICITE * math.sin(phi)
    return math.tan(math.pi / 4 - phi / 2) / ((1 - e_sin) / (1 + e_sin)) ** (EXCENTRICITE / 2)


_N = ((math.log(_m(PARALLELES[0])) - math.log(_m(PARALLELES[1])))
      / (math.log(_t(PARALLELES[0])) - math.log(_t(PARALLELES[1]))))
_F = _m(PARALLELES[0]) / (_N * _t(PARALLELES[0]) ** _N)
_RHO0 = DEMI_GRAND_AXE * _F * _t(LATITUDE_ORIGINE) ** _N


def vers_wgs84(x: float, y: float) -> tuple[float, float]:
    """(longitude, latitude) in decimal degrees of the Lambert 93 point (x, y) in metres."""
    dx, dy = x - X0, _RHO0 - (y - Y0)
    rho = math.copysign(math.hypot(dx, dy), _N)
    t = (rho / (DEMI_GRAND_AXE * _F)) ** (1 / _N)
    longitude = math.atan2(dx, dy) / _N + LONGITUDE_ORIGINE
    latitude = math.pi / 2 - 2 * math.atan(t)
    for _ in range(20):  # converges to 1e-12 rad in 5 or 6 steps
        e_sin = EXCENTRICITE * math.sin(latitude)
        suivante = math.pi / 2 - 2 * math.atan(t * ((1 - e_sin) / (1 + e_sin)) ** (EXCENTRICITE / 2))
        if abs(suivante - latitude) < 1e-12:
            latitude = suivante
            break
        latitude = suivante
    return math.degrees(longitude), math.degrees(latitude)
