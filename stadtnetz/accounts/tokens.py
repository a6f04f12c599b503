"""Signed, expiring tokens for the links in account mails.

Each purpose (confirming an address, resetting a password, changing an address) has its own
salt, so a token made for one can never be used for another. Tokens expire after
``TOKEN_MAX_AGE`` seconds; what keeps them single-use is the data they carry, checked by the
service that reads them (an address still pending, a password hash still current).
"""

import hashlib
from enum import StrEnum
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer


class Purpose(StrEnum):
    """What a token may be used for; the value is its salt."""

    CONFIRM_EMAIL = "stadtnetz-confirm-email"
    RESET_PASSWORD = "stadtnetz-reset-password"
    CHANGE_EMAIL = "stadtnetz-change-email"


def _serializer(purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose.value)


def make_token(purpose: Purpose, data: dict[str, Any]) -> str:
    """Sign ``data`` for ``purpose``."""
    return _serializer(purpose).dumps(data)


def read_token(purpose: Purpose, token: str) -> dict[str, Any] | None:
    """The data of a valid, unexpired token for ``purpose``; None for anything else."""
    try:
        data = _serializer(purpose).loads(token, max_age=current_app.config["TOKEN_MAX_AGE"])
    except BadSignature:  # also covers SignatureExpired
        return None
    return data if isinstance(data, dict) else None


def fingerprint(secret: str) -> str:
    """A short digest of ``secret`` that a token can carry without revealing it."""
    return hashlib.sha256(secret.encode()).hexdigest()[:16]
