"""Shared pieces of the trade-in API: body size limits, lookups that answer 404, 403 and 429."""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ParseError, PermissionDenied
from rest_framework.parsers import JSONParser

from .. import rules, selectors
from ..models import Claim, Programme


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class TooManyClaims(APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _("Too many claims; try again in a minute.")
    default_code = "throttled"


def limited_json_parser(limit: int):
    """A JSON parser that reads at most `limit` bytes and answers 413 beyond, whatever the
    Content-Length says (or when there is none): a 10 MB body never reaches json.loads."""

    class LimitedJSONParser(JSONParser):
        def parse(self, stream, media_type=None, parser_context=None):
            request = (parser_context or {}).get("request")
            declared = request.META.get("CONTENT_LENGTH") if request is not None else None
            too_large = PayloadTooLarge(
                _("The request body is larger than %(n)s KB; send at most 1,000 claims per batch.")
                % {"n": limit // 1024}
            )
            if declared and declared.isdigit() and int(declared) > limit:
                raise too_large
            if stream is None:
                return {}
            raw = stream.read(limit + 1)
            if len(raw) > limit:
                raise too_large
            encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
            try:
                return json.loads(raw.decode(encoding))
            except (ValueError, UnicodeDecodeError) as exc:
                raise ParseError(_("The body is not valid JSON: %(error)s") % {"error": exc}) from exc

    return LimitedJSONParser


SMALL_BODY = 64 * 1024
# 1,000 claims of about 700 bytes each fit with room to spare; it stays under Django's own
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB by default), which would otherwise answer first, with a 400.
BATCH_BODY = 2 * 1024 * 1024


class BodyLimitMixin:
    """Refuse a body over `body_limit` bytes with 413 before anything reads it."""

    body_limit = SMALL_BODY

    def initial(self, request, *args, **kwargs):
        declared = request.META.get("CONTENT_LENGTH") or ""
        if declared.isdigit() and int(declared) > self.body_limit:
            raise PayloadTooLarge(
                _("The request body is larger than %(n)s KB; send at most 1,000 claims per batch.")
                % {"n": self.body_limit // 1024}
            )
        super().initial(request, *args, **kwargs)


class SmallBodyMixin(BodyLimitMixin):
    parser_classes = [limited_json_parser(SMALL_BODY)]


def visible_programme(request, pk) -> Programme:
    programme = selectors.programme_for(request.user, pk)
    if programme is None:
        raise NotFound()
    return programme


def managed_programme(request, pk) -> Programme:
    programme = visible_programme(request, pk)
    if not rules.can_manage_programme(request.user, programme):
        raise PermissionDenied(_("Only the office of the programme's jurisdiction runs it."))
    return programme


def visible_claim(request, pk) -> Claim:
    claim = selectors.claim_for(request.user, pk)
    if claim is None:
        raise NotFound()
    return claim


def reviewed_claim(request, pk) -> Claim:
    claim = visible_claim(request, pk)
    if not rules.can_review_claim(request.user, claim):
        raise PermissionDenied(_("Only the office of the programme's jurisdiction reviews its claims."))
    return claim


def require_merchant(request):
    merchant = rules.merchant_of(request.user)
    if merchant is None:
        raise PermissionDenied(_("Only merchant accounts submit claims."))
    return merchant
