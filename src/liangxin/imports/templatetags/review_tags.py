from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def p(*parts):
    """A draft field path: {% p "tasks" 3 "title" %} → tasks/3/title."""
    return "/".join(str(part) for part in parts)


@register.simple_tag
def src(spans, *parts):
    """Attributes pointing at the item's place in the source text, when the reader recorded it."""
    span = spans.get("/".join(str(part) for part in parts))
    if not span:
        return ""
    return format_html(' data-start="{}" data-end="{}"', span[0], span[1])


@register.filter
def names(value):
    return "、".join(value or [])


@register.filter
def blank(value):
    return "" if value is None else value
