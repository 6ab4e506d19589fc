from decimal import Decimal

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import NotFound

from liangxin.core.models import Jurisdiction
from liangxin.core.selectors import jurisdictions_visible_to

from ..selectors import default_jurisdiction


class NetworkInput(serializers.Serializer):
    jurisdiction = serializers.IntegerField(
        required=False, min_value=1, help_text="Id of the district or city; by default the caller's own."
    )


def network_of(request) -> Jurisdiction:
    data = NetworkInput(data=request.query_params if request.method == "GET" else request.data)
    data.is_valid(raise_exception=True)
    pk = data.validated_data.get("jurisdiction") or request.query_params.get("jurisdiction")
    if pk:
        place = jurisdictions_visible_to(request.user).filter(pk=pk).first()
    else:
        place = default_jurisdiction(request.user)
    if place is None:
        raise NotFound(_("No such jurisdiction."))
    return place


def number(value, *, keep: bool = False) -> str | None:
    """A Decimal as a JSON string like the serializers write them ("400", "4.44"); keep=True keeps
    trailing zeros (a distance to the hundredth)."""
    if value is None:
        return None
    value = Decimal(value)
    return str(value) if keep else format(value.normalize(), "f")
