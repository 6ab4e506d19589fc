"""Field validators of the recycling app (used by models, forms, the API and the importers)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .enums import Category
from .geo import in_china
from .hours import hours_problem


def validate_hours(value: str) -> None:
    problem = hours_problem(value)
    if problem:
        raise ValidationError(problem, code="hours")


def validate_categories(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("The categories must be a list of codes."), code="categories")
    unknown = [str(v) for v in value if v not in Category.values]
    if unknown:
        raise ValidationError(
            _("Unknown category %(codes)s; allowed: %(allowed)s.")
            % {"codes": "、".join(unknown), "allowed": ", ".join(Category.values)},
            code="categories",
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("A category is listed twice."), code="categories")


def coordinates_problem(lat, lng) -> str | None:
    """Why (lat, lng) cannot be a site of ours, or None."""
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError):
        return _("The coordinates are not numbers.")
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return _("Latitude must lie between -90 and 90 and longitude between -180 and 180.")
    if not in_china(lat, lng):
        return _(
            "The point (%(lat)s, %(lng)s) lies outside China; check that latitude and longitude are not swapped."
        ) % {"lat": lat, "lng": lng}
    return None
