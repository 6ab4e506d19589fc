"""What every office page of the trade-in app shares: who may see a programme, xlsx answers."""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from liangxin.core.enums import Role
from liangxin.core.services import DomainError

from .. import rules, selectors
from ..models import Programme

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def programme_or_404(request, pk, *, manage: bool = False) -> Programme:
    """The programme if the user may read it on the office pages (404 otherwise; merchants use the
    API and the upload page); with manage, 403 unless they run it."""
    programme = selectors.programme_for(request.user, pk)
    if programme is None or rules.merchant_of(request.user) is not None or request.user.role == Role.MERCHANT:
        raise Http404(_("No such programme."))
    if manage:
        require_manage(request, programme)
    return programme


def require_manage(request, programme) -> None:
    if not rules.can_manage_programme(request.user, programme):
        raise PermissionDenied(
            _("Only the office of %(place)s runs this programme.") % {"place": programme.jurisdiction}
        )


def refusal_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def run_service(request, service, done: str, **kwargs):
    """Call a service for a POST; a refusal becomes an error message, success a success message.
    Returns the service's result, or None when it refused."""
    try:
        result = service(actor=request.user, **kwargs)
    except (DomainError, ValidationError) as exc:
        messages.error(request, refusal_text(exc))
        return None
    messages.success(request, done)
    return result


def xlsx_response(rows: list[list], *, filename: str, sheet: str, widths: list[int] | None = None) -> HttpResponse:
    """One sheet, the first row bold (the header), as a download."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    for row in rows:
        ws.append(row)
    if rows:
        for cell in ws[1]:
            cell.font = Font(bold=True)
    for index, width in enumerate(widths or [], start=1):
        ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def attachment(content: bytes, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
    return response
