"""Checks of the lists' values that the database cannot express (lists of enum values, tags)."""

import re

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

# Tags are written in Chinese with any of these separators: 专精特新、绿色工厂；高新技术企业
TAG_SEPARATORS = re.compile(r"[,，、;；\n]+")


def clean_tags(values) -> list[str]:
    """A list of distinct non-empty tags, from a list or from text with Chinese or Western separators."""
    if values is None:
        return []
    if isinstance(values, str):
        values = TAG_SEPARATORS.split(values)
    return list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))


def enum_lookup(enum) -> dict[str, str]:
    """An enum's values by code and by their Chinese and English labels."""
    table = {value: value for value in enum.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            table.update({str(label): value for value, label in enum.choices})
    return table


def clean_enum_list(values, enum, field: str) -> list[str]:
    """Enum values (codes or their labels, as a list or as text); an unknown one is refused by name."""
    table = enum_lookup(enum)
    cleaned = []
    for item in clean_tags(values):
        value = table.get(item)
        if value is None:
            raise ValidationError({field: _("“%(value)s” is not one of the allowed values.") % {"value": item}})
        cleaned.append(value)
    return list(dict.fromkeys(cleaned))


def clean_parameters(value) -> dict:
    """Key parameters as name → value text: a dict, or lines like “主轴转速: 12000 r/min”."""
    if not value:
        return {}
    if isinstance(value, dict):
        return {str(k).strip(): str(v).strip() for k, v in value.items() if str(k).strip()}
    result = {}
    for line in re.split(r"[\n;；]+", str(value)):
        if not line.strip():
            continue
        parts = re.split(r"[:：=]", line, maxsplit=1)
        if len(parts) != 2 or not parts[0].strip():
            raise ValidationError(
                {"parameters": _("Write each parameter as “name: value” (%(line)s).") % {"line": line}}
            )
        result[parts[0].strip()] = parts[1].strip()
    return result
