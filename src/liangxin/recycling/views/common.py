"""What the office views share: which network is shown, turning service refusals into form errors."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from liangxin.core.models import Jurisdiction
from liangxin.core.selectors import jurisdictions_visible_to

from .. import rules
from ..selectors import default_jurisdiction, network_jurisdictions_for
from ..sheets import XLSX_CONTENT_TYPE


def network(request) -> Jurisdiction:
    """The jurisdiction whose network is shown: ?j=<id> among those the user sees, else the user's own."""
    raw = request.GET.get("j") or request.POST.get("j")
    if raw:
        if not str(raw).isdigit():
            raise Http404(_("No such jurisdiction."))
        place = jurisdictions_visible_to(request.user).filter(pk=int(raw)).first()
        if place is None:
            raise Http404(_("No such jurisdiction."))
        return place
    place = default_jurisdiction(request.user)
    if place is None:
        raise Http404(_("No recycling network is visible to you."))
    return place


def context(request, place: Jurisdiction, **extra) -> dict:
    return {
        "place": place,
        # Leaders and administrators see several networks and choose one; others have only their own.
        "places": networks if len(networks := network_jurisdictions_for(request.user)) > 1 else [],
        "can_edit": rules.can_edit_network(request.user, place),
        # Links keep the network chosen when it is not the user's own.
        "jq": "" if place.pk == request.user.jurisdiction_id else f"j={place.pk}",
        **extra,
    }


def form_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (others on the form)."""
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response
