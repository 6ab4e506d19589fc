"""Calling a service from an API view: refusals become 400 answers that name what was wrong."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.serializers import as_serializer_error


def call_service(service, /, *, errors: tuple[type[Exception], ...] = (), **kwargs):
    """Run a service; a Django ValidationError answers with its field errors, one of `errors`
    (the app's domain errors) with {"detail": message}."""
    try:
        return service(**kwargs)
    except DjangoValidationError as exc:
        raise serializers.ValidationError(as_serializer_error(exc)) from exc
    except errors as exc:
        raise serializers.ValidationError({"detail": str(exc)}) from exc
