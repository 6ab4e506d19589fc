import pytest
from django.db import IntegrityError

from liangxin.core.enums import JurisdictionKind
from liangxin.core.models import AuditEntry, Jurisdiction, Unit
from liangxin.core.services import (
    DomainError,
    jurisdiction_ensure_path,
    unit_alias_add,
    unit_ensure,
    unit_resolve,
)


def test_a_path_creates_the_missing_levels_with_their_kinds(db):
    county = jurisdiction_ensure_path(path="山东省/泰安市/岱岳区/粥店街道")
    chain = county.ancestors_and_self()
    assert [j.name for j in chain] == ["山东省", "泰安市", "岱岳区", "粥店街道"]
    assert [j.kind for j in chain] == [
        JurisdictionKind.PROVINCE,
        JurisdictionKind.CITY,
        JurisdictionKind.COUNTY,
        JurisdictionKind.TOWN,
    ]
    assert county.full_name == "山东省/泰安市/岱岳区/粥店街道"
    assert AuditEntry.objects.filter(action="jurisdiction.create", object_repr__endswith="粥店街道").exists()


def test_an_existing_path_is_reused_not_duplicated(db):
    before = Jurisdiction.objects.count()
    assert jurisdiction_ensure_path(path="天津市/北辰区").name == "北辰区"
    assert Jurisdiction.objects.count() == before


def test_a_subtree_holds_the_districts_below_a_city(db):
    tianjin = Jurisdiction.objects.get(name="天津市", parent=None)
    below = tianjin.subtree()
    assert set(below.exclude(kind="town").values_list("name", flat=True)) == {
        "天津市",
        "北辰区",
        "武清区",
        "天津经济技术开发区",
    }
    # Towns (from the recycling network's demo) are there too, and nothing outside 天津市.
    assert all(j.full_name.startswith("天津市/") for j in below.exclude(pk=tianjin.pk))


@pytest.mark.parametrize("path", ["", "天津市//北辰区", " / "])
def test_an_empty_level_in_a_path_is_refused(db, path):
    with pytest.raises(DomainError, match="天津市/北辰区"):
        jurisdiction_ensure_path(path=path)


def test_two_spellings_resolve_to_one_unit(db):
    beichen = Jurisdiction.objects.get(name="北辰区")
    unit = Unit.objects.get(jurisdiction=beichen, name="区工信局")
    assert unit_resolve(jurisdiction=beichen, name="区工业和信息化局") == unit
    assert unit_resolve(jurisdiction=beichen, name=" 区工信局 ") == unit
    assert unit_ensure(jurisdiction=beichen, name="区工业和信息化局") == unit


def test_full_width_spellings_match_through_nfkc(db):
    place = jurisdiction_ensure_path(path="测试省/测试市")
    unit = unit_ensure(jurisdiction=place, name="市局(一)")
    assert unit_resolve(jurisdiction=place, name="市局（一）") == unit


def test_an_alias_that_names_another_unit_is_refused(db):
    beichen = Jurisdiction.objects.get(name="北辰区")
    commerce = Unit.objects.get(jurisdiction=beichen, name="区商务局")
    with pytest.raises(DomainError, match="区工信局"):
        unit_alias_add(unit=commerce, alias="区工业和信息化局")


def test_the_same_name_is_a_different_unit_in_another_jurisdiction(db):
    beichen = Unit.objects.get(jurisdiction__name="北辰区", name="区商务局")
    wuqing = Unit.objects.get(jurisdiction__name="武清区", name="区商务局")
    assert beichen != wuqing


def test_the_database_refuses_a_duplicate_unit_name(db):
    beichen = Jurisdiction.objects.get(name="北辰区")
    with pytest.raises(IntegrityError):
        Unit.objects.create(jurisdiction=beichen, name="区商务局")


def test_createsuperuser_makes_a_system_administrator(db):
    from liangxin.core.enums import Role
    from liangxin.core.models import User

    root = User.objects.create_superuser("root2", "root@example.org", "a-long-password-1")
    assert root.role == Role.ADMIN and root.jurisdiction is None
