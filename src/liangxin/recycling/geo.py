"""Coordinates: GCJ-02 (the datum Chinese maps publish) ⇄ WGS-84 (GPS), inside-China test, distances.

The forward transform WGS-84 → GCJ-02 is the widely published formula (Krasovsky ellipsoid,
a = 6378245, ee = 0.00669342162296594323). The inverse has no closed form; we iterate the forward
transform until the round trip agrees to better than 1e-7°. Outside China GCJ-02 equals WGS-84.
"""

import math
from decimal import Decimal

_A = 6378245.0
_EE = 0.00669342162296594323
_EARTH_RADIUS_M = 6371008.8  # mean radius (IUGG)

# The coarse bounding box the published formula uses (not the border: points near it are approximate).
_LAT_MIN, _LAT_MAX = 0.8293, 55.8271
_LNG_MIN, _LNG_MAX = 72.004, 137.8347


def in_china(lat: float, lng: float) -> bool:
    """Whether (lat, lng) lies inside the box the GCJ-02 offset applies to (the usual convention)."""
    lat, lng = float(lat), float(lng)
    return _LAT_MIN <= lat <= _LAT_MAX and _LNG_MIN <= lng <= _LNG_MAX


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _offset(lat: float, lng: float) -> tuple[float, float]:
    dlat = _transform_lat(lng - 105.0, lat - 35.0)
    dlng = _transform_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = math.sin(radlat)
    magic = 1 - _EE * magic * magic
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return dlat, dlng


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    lat, lng = float(lat), float(lng)
    if not in_china(lat, lng):
        return lat, lng
    dlat, dlng = _offset(lat, lng)
    return lat + dlat, lng + dlng


def gcj02_to_wgs84(lat: float, lng: float) -> tuple[float, float]:
    """Inverse by fixed-point iteration: converges to < 1e-9° in a handful of steps."""
    lat, lng = float(lat), float(lng)
    if not in_china(lat, lng):
        return lat, lng
    wlat, wlng = lat, lng
    for _ in range(30):
        glat, glng = wgs84_to_gcj02(wlat, wlng)
        dlat, dlng = glat - lat, glng - lng
        wlat, wlng = wlat - dlat, wlng - dlng
        if abs(dlat) < 1e-10 and abs(dlng) < 1e-10:
            break
    return wlat, wlng


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp = p2 - p1
    dl = math.radians(float(lng2) - float(lng1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * _EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


_Q = Decimal("0.000001")


def to_decimal(value: float) -> Decimal:
    """A coordinate as stored: Decimal with 6 places (about 0.1 m)."""
    return Decimal(repr(float(value))).quantize(_Q)


def both_datums(lat, lng, datum: str) -> tuple[tuple[Decimal, Decimal], tuple[Decimal, Decimal]]:
    """((gcj_lat, gcj_lng), (wgs_lat, wgs_lng)) for coordinates entered in `datum` ("gcj02"/"wgs84")."""
    lat, lng = float(lat), float(lng)
    if datum == "wgs84":
        glat, glng = wgs84_to_gcj02(lat, lng)
        wlat, wlng = lat, lng
    else:
        glat, glng = lat, lng
        wlat, wlng = gcj02_to_wgs84(lat, lng)
    return (to_decimal(glat), to_decimal(glng)), (to_decimal(wlat), to_decimal(wlng))
