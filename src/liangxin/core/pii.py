"""Personal identifiers (身份证号, phone numbers) at rest: encrypted, matched by a keyed hash, masked on display.

Encryption is Fernet (AES-128-CBC with HMAC-SHA256). Both keys are derived from one secret: the
environment variable LIANGXIN_PII_KEY when set (so that the SECRET_KEY can rotate without losing
the data), otherwise the SECRET_KEY. The hash is HMAC-SHA256 with its own derived key, so a hash
cannot be reversed by trying all 10^17 identity numbers without the secret.
"""

import base64
import functools
import hashlib
import hmac
import unicodedata

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

__all__ = [
    "InvalidToken",
    "decrypt",
    "encrypt",
    "identity_hash",
    "mask_identity",
    "mask_phone",
    "normalise_identity",
    "normalise_phone",
    "phone_hash",
]


def _secret() -> str:
    return settings.LIANGXIN_PII_KEY or settings.SECRET_KEY


@functools.lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    root = secret.encode()
    enc = hmac.new(root, b"liangxin.pii.encrypt.v1", hashlib.sha256).digest()
    mac = hmac.new(root, b"liangxin.pii.hash.v1", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(enc)), mac


def normalise_identity(value: str) -> str:
    """Full-width digits and a lower-case x become the canonical 18 characters."""
    return unicodedata.normalize("NFKC", value or "").strip().replace(" ", "").upper()


def normalise_phone(value: str) -> str:
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", value or "") if ch.isdigit())
    # +86 / 0086 prefixes name the same mobile number.
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    elif len(digits) == 15 and digits.startswith("0086"):
        digits = digits[4:]
    return digits


def encrypt(value: str) -> str:
    if not value:
        return ""
    fernet, _ = _keys(_secret())
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    """The plain value; raises InvalidToken when the data was encrypted with another key."""
    if not token:
        return ""
    fernet, _ = _keys(_secret())
    return fernet.decrypt(token.encode()).decode()


def _hash(kind: str, value: str) -> str:
    if not value:
        return ""
    _, mac = _keys(_secret())
    return hmac.new(mac, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def identity_hash(value: str) -> str:
    return _hash("id", normalise_identity(value))


def phone_hash(value: str) -> str:
    return _hash("phone", normalise_phone(value))


def _mask(value: str, head: int, tail: int) -> str:
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_identity(value: str) -> str:
    """110101199003071234 → 110***********1234 (the first 3 and the last 4 characters)."""
    return _mask(normalise_identity(value), 3, 4)


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678."""
    return _mask(normalise_phone(value), 3, 4)
