import datetime

import pytest

from liangxin.core.models import Jurisdiction
from liangxin.core.services import jurisdiction_ensure_path

D1 = datetime.date(2024, 1, 1)


@pytest.fixture
def beichen(db) -> Jurisdiction:
    return Jurisdiction.objects.get(name="北辰区", parent__name="天津市")


@pytest.fixture
def fresh_district(db) -> Jurisdiction:
    """A district of its own (no demo sites), so that counts are exact."""
    return jurisdiction_ensure_path(path="天津市/测试新区")


def site_values(**overrides) -> dict:
    values = {
        "level": "point",
        "name": "测试回收点",
        "address": "天津市北辰区测试路1号",
        "lat": "39.190000",
        "lng": "117.150000",
        "datum": "gcj02",
        "hours": "周一至周五 8:30-17:30",
        "categories": ["appliances", "paper"],
    }
    values.update(overrides)
    return values
