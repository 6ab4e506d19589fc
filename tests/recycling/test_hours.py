"""Opening hours as offices write them: parsed, written back in one form, and asked "open now?"."""

import datetime
import zoneinfo

import pytest
from django.utils import translation

from liangxin.recycling.hours import ALL_DAYS, HoursError, HoursRule, format_hours, hours_problem, is_open, parse_hours

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    # 2025-03-03 is a Monday.
    return datetime.datetime(2025, 3, 3 + day, hour, minute, tzinfo=SHANGHAI)


def test_weekdays_and_a_saturday_morning_parse_into_two_rules():
    rules = parse_hours("周一至周五 8:30-17:30; 周六 9:00-12:00")
    assert rules == [
        HoursRule(days=frozenset(range(5)), ranges=((510, 1050),)),
        HoursRule(days=frozenset({5}), ranges=((540, 720),)),
    ]
    assert format_hours(rules) == "周一至周五 08:30-17:30; 周六 09:00-12:00"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("08:00-18:00", "08:00-18:00"),
        ("全天", "全天"),
        ("24小时", "全天"),
        ("每天 7:00-19:00", "07:00-19:00"),
        ("周二、周四、周六 9:00-16:00", "周二、周四、周六 09:00-16:00"),
        ("周一至周五 9:00-11:30 14:00-17:00", "周一至周五 09:00-11:30 14:00-17:00"),
        ("周一到周五 ８：３０－１７：３０；周末 9:00-12:00", "周一至周五 08:30-17:30; 周六、周日 09:00-12:00"),
        ("周六至周一 10:00-16:00", "周一、周六、周日 10:00-16:00"),
        ("工作日 9:00-24:00", "周一至周五 09:00-24:00"),
    ],
)
def test_common_ways_of_writing_hours_are_read_and_written_back_canonically(text, canonical):
    assert format_hours(parse_hours(text)) == canonical


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("周八 9:00-12:00", "周八"),
        ("周一至周五", "gives no times"),
        ("9:00-25:00", "impossible"),
        ("18:00-8:00", "not after"),
        ("8:00-12:00 11:00-14:00", "overlap"),
        ("早上八点到晚上", "not a day"),
        ("周一 8点半-17点", "not a time range"),
    ],
)
def test_hours_that_do_not_parse_say_what_is_wrong(text, fragment):
    with translation.override("en"):
        with pytest.raises(HoursError, match=fragment):
            parse_hours(text)
        assert fragment in hours_problem(text)


def test_blank_hours_are_not_given_and_open_is_unknown():
    assert parse_hours("  ") == []
    assert hours_problem("") is None
    assert is_open("", at(0, 10)) is None


def test_is_open_follows_days_and_times_in_shanghai_time():
    hours = "周一至周五 8:30-17:30; 周六 9:00-12:00"
    assert is_open(hours, at(0, 8, 30)) is True
    assert is_open(hours, at(0, 17, 30)) is False  # closing time is exclusive
    assert is_open(hours, at(5, 11, 59)) is True
    assert is_open(hours, at(5, 12, 0)) is False
    assert is_open(hours, at(6, 10)) is False  # Sunday
    # 01:00 UTC on Monday is 09:00 in Shanghai.
    assert is_open(hours, datetime.datetime(2025, 3, 3, 1, 0, tzinfo=datetime.UTC)) is True


def test_all_day_is_open_at_midnight_every_day():
    assert parse_hours("全天") == [HoursRule(days=ALL_DAYS, ranges=((0, 1440),))]
    assert all(is_open("24小时", at(d, 0)) for d in range(7))
