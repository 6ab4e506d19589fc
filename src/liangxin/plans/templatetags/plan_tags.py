from django import template

from liangxin.plans.interchange import json_number

register = template.Library()


@register.filter
def num(value):
    """A Decimal as people write it: 13.6, 17, never 17.000000."""
    number = json_number(value)
    return "" if number is None else number


@register.simple_tag
def quantity(value, unit):
    number = json_number(value)
    if number is None:
        return ""
    return f"{number}{unit or ''}"


_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "~": "≈", "=": ""}


@register.filter
def cmp(comparator):
    """The comparator as a reader expects it: ≥ 400个, ≈ 56家, 35家."""
    return _SYMBOLS.get(comparator or "", comparator or "")
