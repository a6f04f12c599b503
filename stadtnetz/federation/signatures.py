"""HTTP signatures as the fediverse uses them: signing (draft-cavage-12) and verifying (both).

Outgoing requests are signed exactly as Mastodon signs them: rsa-sha256 over
``(request-target) host date`` for GET, plus ``digest`` (SHA-256 of the body) for POST.
Incoming requests may carry a draft-cavage ``Signature`` or an RFC 9421 ``Signature-Input``;
``verify`` enforces the rules of Mastodon's ``SignedRequest``: Date (or ``created``) signed and
not more than an hour in the future nor older than its expiry (5 minutes unless ``expires``)
plus an hour of clock skew; the Host signed on GET; the body digest signed on POST and checked
against the raw body.
"""

import base64
import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask_babel import lazy_gettext as _l

from .message_signatures import (
    MessageSignatureError,
    header_value,
    parse_dictionary,
    parse_signature_headers,
    verify_message_signature,
)

CLOCK_SKEW = timedelta(hours=1)
DEFAULT_VALIDITY = timedelta(minutes=5)
MAX_VALIDITY = timedelta(hours=12)
_PARAM = re.compile(r'\s*([A-Za-z]+)\s*=\s*(?:"([^"]*)"|([^,\s"]*))\s*(?:,|$)')

ResolveKey = Callable[[str], str | None]


class SignatureError(Exception):
    """A request's signature is missing, malformed, expired or wrong; ``status`` is the answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def body_digest(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def sign_headers(method: str, url: str, body: bytes | None, key_id: str,
                 private_key: rsa.RSAPrivateKey, now: datetime | None = None) -> dict[str, str]:
    """The Date, Host, Digest (with a body) and Signature headers for a request, as Mastodon signs."""
    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += f"?{parts.query}"
    headers = {"Host": parts.netloc.rpartition("@")[2], "Date": http_date(now or datetime.now(UTC))}
    lines = [f"(request-target): {method.lower()} {target}", f"host: {headers['Host']}",
             f"date: {headers['Date']}"]
    signed = "(request-target) host date"
    if body is not None:
        headers["Digest"] = body_digest(body)
        lines.append(f"digest: {headers['Digest']}")
        signed += " digest"
    signature = private_key.sign("\n".join(lines).encode(), padding.PKCS1v15(), hashes.SHA256())
    headers["Signature"] = (
        f'keyId="{key_id}",algorithm="rsa-sha256",headers="{signed}",'
        f'signature="{base64.b64encode(signature).decode()}"'
    )
    return headers


def _check_window(created: datetime | None, expires: datetime | None, now: datetime) -> None:
    if created is None:
        raise SignatureError(401, _l("Die Signatur nennt keinen Zeitpunkt (Date oder created)."))
    expires = min(expires or created + DEFAULT_VALIDITY, created + MAX_VALIDITY)
    if created > now + CLOCK_SKEW or now > expires + CLOCK_SKEW:
        raise SignatureError(401, _l("Die Signatur ist abgelaufen oder liegt in der Zukunft."))


def _timestamp(value) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), UTC) if value not in (None, "") else None
    except (TypeError, ValueError, OverflowError) as error:
        raise SignatureError(401, _l("Ungültiger Zeitstempel in der Signatur.")) from error


def _check_body_digest(headers: Mapping, body: bytes) -> None:
    digests = {}
    for part in (header_value(headers, "digest") or "").split(","):
        algorithm, _, value = part.strip().partition("=")
        digests[algorithm.lower()] = value.strip()
    if "sha-256" not in digests:
        raise SignatureError(401, _l("Der Digest-Header fehlt oder enthält kein SHA-256."))
    if digests["sha-256"] != body_digest(body).partition("=")[2]:
        raise SignatureError(401, _l("Der Digest passt nicht zum Inhalt der Anfrage."))


def _verify_cavage(method: str, path: str, headers: Mapping, body: bytes,
                   resolve_key: ResolveKey, now: datetime) -> str:
    params = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
              for m in _PARAM.finditer(header_value(headers, "signature") or "")}
    if not params.get("keyId") or not params.get("signature"):
        raise SignatureError(401, _l("Die Signatur ist unvollständig (keyId und signature nötig)."))
    algorithm = params.get("algorithm", "hs2019")
    if algorithm not in ("rsa-sha256", "hs2019"):
        raise SignatureError(401, _l("Nicht unterstütztes Signaturverfahren."))
    signed = params.get("headers", "(created)" if algorithm == "hs2019" else "date").lower().split()
    method = method.upper()

    if "date" not in signed and "(created)" not in signed:
        raise SignatureError(401, _l("Date oder (created) muss signiert sein."))
    if "(request-target)" not in signed and "digest" not in signed:
        raise SignatureError(401, _l("(request-target) oder Digest muss signiert sein."))
    if method == "GET" and "host" not in signed:
        raise SignatureError(401, _l("Bei GET muss der Host signiert sein."))
    if method == "POST" and "digest" not in signed:
        raise SignatureError(401, _l("Bei POST muss der Digest signiert sein."))
    if algorithm == "hs2019" and params.get("created"):
        created = _timestamp(params["created"])
    else:
        date = header_value(headers, "date")
        try:
            created = parsedate_to_datetime(date) if date else None
        except (TypeError, ValueError) as error:
            raise SignatureError(401, _l("Ungültiger Date-Header.")) from error
        if created is not None and created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
    _check_window(created, _timestamp(params.get("expires")), now)
    if "digest" in signed:
        _check_body_digest(headers, body)

    def signing_string(target: str) -> bytes:
        lines = []
        for name in signed:
            if name == "(request-target)":
                lines.append(f"(request-target): {method.lower()} {target}")
            elif name in ("(created)", "(expires)"):
                if algorithm != "hs2019" or not params.get(name[1:-1]):
                    raise SignatureError(401, _l("Pseudo-Header %(name)s ohne Wert.", name=name))
                lines.append(f"{name}: {params[name[1:-1]]}")
            else:
                lines.append(f"{name}: {header_value(headers, name) or ''}")
        return "\n".join(lines).encode()

    key = _load_key(params["keyId"], resolve_key)
    signature = _b64(params["signature"])
    # Like Mastodon, accept signatures whose (request-target) left out the query string.
    for target in dict.fromkeys((path, path.split("?", 1)[0])):
        try:
            key.verify(signature, signing_string(target), padding.PKCS1v15(), hashes.SHA256())
            return params["keyId"]
        except InvalidSignature:
            continue
    raise SignatureError(401, _l("Die Signatur ist ungültig."))


def _b64(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except ValueError as error:
        raise SignatureError(401, _l("Die Signatur ist nicht Base64-kodiert.")) from error


def _load_key(key_id: str, resolve_key: ResolveKey) -> rsa.RSAPublicKey:
    pem = resolve_key(key_id)
    if not pem:
        raise SignatureError(401, _l("Der Schlüssel der Signatur ist unbekannt."))
    try:
        key = load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    except ValueError as error:
        raise SignatureError(401, _l("Der Schlüssel der Signatur ist unlesbar.")) from error
    if not isinstance(key, rsa.RSAPublicKey):
        raise SignatureError(401, _l("rsa-sha256 braucht einen RSA-Schlüssel."))
    return key


def _verify_rfc9421(method: str, target_uri: str, headers: Mapping, body: bytes,
                    resolve_key: ResolveKey, now: datetime) -> str:
    try:
        _label, covered, _sig = parse_signature_headers(
            header_value(headers, "signature-input") or "", header_value(headers, "signature") or ""
        )
    except MessageSignatureError as error:
        raise SignatureError(401, _l("Die Signatur (RFC 9421) ist fehlerhaft.")) from error
    components = [str(item.value) for item in covered]
    if not covered.params.get("keyid") or "created" not in covered.params:
        raise SignatureError(401, _l("Die Signatur (RFC 9421) braucht keyid und created."))
    if "@method" not in components or "@target-uri" not in components:
        raise SignatureError(401, _l("@method und @target-uri müssen signiert sein."))
    if method.upper() == "POST" and "content-digest" not in components:
        raise SignatureError(401, _l("Bei POST muss Content-Digest signiert sein."))
    _check_window(_timestamp(covered.params.get("created")), _timestamp(covered.params.get("expires")), now)
    if "content-digest" in components:
        _check_content_digest(headers, body)
    try:
        return verify_message_signature(method, target_uri, headers, resolve_key).key_id
    except MessageSignatureError as error:
        raise SignatureError(401, _l("Die Signatur ist ungültig.")) from error


def _check_content_digest(headers: Mapping, body: bytes) -> None:
    try:
        digests = parse_dictionary(header_value(headers, "content-digest") or "")
    except ValueError as error:
        raise SignatureError(400, _l("Der Content-Digest-Header ist fehlerhaft.")) from error
    known = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}
    usable = [(name, member) for name, member in digests.items() if name in known]
    if not usable:
        raise SignatureError(401, _l("Content-Digest enthält weder SHA-256 noch SHA-512."))
    for name, member in usable:
        if member.value != known[name](body).digest():
            raise SignatureError(401, _l("Der Content-Digest passt nicht zum Inhalt der Anfrage."))


def verify(method: str, path_with_query: str, headers: Mapping, body: bytes | None,
           resolve_key: ResolveKey, *, scheme: str = "https", now: datetime | None = None) -> str:
    """Verify the request's signature and return the key id that signed it.

    ``headers`` is the received header mapping (case-insensitive ones like Werkzeug's work
    best); ``resolve_key(key_id)`` returns the signer's PEM public key or None; ``scheme`` is
    the public scheme (for RFC 9421's @target-uri). Raises ``SignatureError``.
    """
    now = now or datetime.now(UTC)
    body = body or b""
    if header_value(headers, "signature-input"):
        host = header_value(headers, "host") or ""
        return _verify_rfc9421(method, f"{scheme}://{host}{path_with_query}", headers, body, resolve_key, now)
    if header_value(headers, "signature"):
        return _verify_cavage(method, path_with_query, headers, body, resolve_key, now)
    raise SignatureError(401, _l("Die Anfrage ist nicht signiert."))


def signature_key_id(headers: Mapping) -> str | None:
    """The key id a request claims to be signed with (before verifying anything), or None."""
    if header_value(headers, "signature-input"):
        try:
                _label, covered, _sig = parse_signature_headers(
                header_value(headers, "signature-input"), header_value(headers, "signature") or ""
            )
        except MessageSignatureError:
            return None
        key_id = covered.params.get("keyid")
        return key_id if isinstance(key_id, str) else None
    found = re.search(r'keyId\s*=\s*"([^"]*)"', header_value(headers, "signature") or "")
    return found.group(1) if found else None
