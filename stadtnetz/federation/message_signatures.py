"""Verification of RFC 9421 HTTP Message Signatures (``Signature-Input`` + ``Signature``).

``verify_message_signature`` checks the cryptography of one signature: it rebuilds the
signature base from the covered components (RFC 9421 §2) and verifies it with the key the
``keyid`` names. It enforces no policy; ``signatures.verify`` adds Mastodon's rules (created,
@method and @target-uri covered, Content-Digest on POST, the time window).
Algorithms: rsa-v1_5-sha256, rsa-pss-sha512, ecdsa-p256-sha256 and ed25519; without an ``alg``
parameter the key's type decides (RSA tries v1.5 first, then PSS).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

import http_sfv
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from http_sfv import InnerList, Item, Token


class MessageSignatureError(ValueError):
    """The signature is malformed, covers something we cannot rebuild, or does not verify."""


def parse_dictionary(value: str) -> http_sfv.Dictionary:
    """An RFC 8941 dictionary header (``Signature-Input``, ``Signature``, ``Content-Digest``)
    parsed by http-sfv; ValueError if it is malformed. An empty value is an empty dictionary."""
    dictionary = http_sfv.Dictionary()
    if value.strip():
        dictionary.parse(value.encode())
    return dictionary


@dataclass
class MessageSignature:
    """A verified signature: its key id, parameters and covered component names."""

    key_id: str
    params: dict
    components: list[str]


def header_value(headers: Mapping, name: str) -> str | None:
    """All values of a header, joined by ", " (RFC 9110), or None if it is absent."""
    getlist = getattr(headers, "getlist", None)
    if getlist is not None:
        values = getlist(name)
    else:
        values = [value for key, value in headers.items() if key.lower() == name.lower()]
    if not values:
        return None
    return ", ".join(" ".join(value.split("\n")).strip() for value in values)


def _field_value(headers: Mapping, name: str, params: dict) -> str:
    value = header_value(headers, name)
    if value is None:
        raise MessageSignatureError(f"covered header {name} is missing")
    if "key" in params or "sf" in params:
        try:
            members = parse_dictionary(value)
        except ValueError as error:
            raise MessageSignatureError(f"header {name} is not a dictionary: {error}") from error
        if "key" in params:
            if params["key"] not in members:
                raise MessageSignatureError(f"header {name} has no member {params['key']}")
            return str(members[params["key"]])
        return str(members)
    return value


def _derived_value(name: str, params: dict, method: str, target_uri: str) -> str:
    parts = urlsplit(target_uri)
    path = parts.path or "/"
    values = {
        "@method": method.upper(),
        "@target-uri": target_uri,
        "@authority": parts.netloc.lower(),
        "@scheme": parts.scheme.lower(),
        "@request-target": path + (f"?{parts.query}" if parts.query else ""),
        "@path": path,
        "@query": f"?{parts.query}",
    }
    if name == "@query-param":
        wanted = params.get("name")
        found = [value for key, value in parse_qsl(parts.query, keep_blank_values=True) if key == wanted]
        if len(found) != 1:
            raise MessageSignatureError(f"query parameter {wanted} absent or repeated")
        return quote(found[0], safe="")
    if name not in values:
        raise MessageSignatureError(f"component {name} is not supported for requests")
    return values[name]


def signature_base(method: str, target_uri: str, headers: Mapping, signature_input: InnerList) -> bytes:
    """The signature base of RFC 9421 §2.5 for a request."""
    lines = []
    for component in signature_input:
        name, params = component.value, component.params
        if not isinstance(name, str) or isinstance(name, Token):
            raise MessageSignatureError("component identifiers must be strings")
        if set(params) - {"sf", "key", "name"}:
            raise MessageSignatureError(f"component parameters {sorted(params)} are not supported")
        if name.startswith("@"):
            value = _derived_value(name, params, method, target_uri)
        else:
            value = _field_value(headers, name.lower(), params)
        lines.append(f"{component}: {value}")
    lines.append(f'"@signature-params": {signature_input}')
    return "\n".join(lines).encode()


def _algorithms_for(key) -> list[str]:
    """The algorithms a key can verify when the signature names none."""
    if isinstance(key, rsa.RSAPublicKey):
        return ["rsa-v1_5-sha256", "rsa-pss-sha512"]
    if isinstance(key, ed25519.Ed25519PublicKey):
        return ["ed25519"]
    if isinstance(key, ec.EllipticCurvePublicKey):
        return ["ecdsa-p256-sha256"]
    return []


def _verify_with(key, alg: str | None, signature: bytes, data: bytes) -> bool:
    candidates = [alg] if alg else _algorithms_for(key)
    for candidate in candidates:
        try:
            if candidate == "rsa-v1_5-sha256" and isinstance(key, rsa.RSAPublicKey):
                key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
            elif candidate == "rsa-pss-sha512" and isinstance(key, rsa.RSAPublicKey):
                key.verify(signature, data, padding.PSS(padding.MGF1(hashes.SHA512()), 64), hashes.SHA512())
            elif candidate == "ed25519" and isinstance(key, ed25519.Ed25519PublicKey):
                key.verify(signature, data)
            elif candidate == "ecdsa-p256-sha256" and isinstance(key, ec.EllipticCurvePublicKey):
                if len(signature) != 64:
                    continue
                der = utils.encode_dss_signature(
                    int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
                )
                key.verify(der, data, ec.ECDSA(hashes.SHA256()))
            else:
                continue
            return True
        except InvalidSignature:
            continue
    return False


def parse_signature_headers(signature_input: str, signature: str, label: str | None = None):
    """The (label, covered components, signature bytes) of ``label`` or of the first signature."""
    try:
        inputs = parse_dictionary(signature_input)
        values = parse_dictionary(signature)
    except ValueError as error:
        raise MessageSignatureError(f"malformed signature headers: {error}") from error
    label = label or next(iter(inputs), None)
    covered, value = inputs.get(label), values.get(label)
    if not (isinstance(covered, InnerList) and isinstance(value, Item) and isinstance(value.value, bytes)):
        raise MessageSignatureError("no matching Signature-Input and Signature")
    return label, covered, value.value


def verify_message_signature(
    method: str,
    target_uri: str,
    headers: Mapping,
    resolve_key: Callable[[str], str | None],
    label: str | None = None,
) -> MessageSignature:
    """Verify one RFC 9421 signature of a request; raise ``MessageSignatureError`` if it fails.

    ``resolve_key(keyid)`` returns the PEM public key (None if unknown).
    """
    signature_input, signature = header_value(headers, "signature-input"), header_value(headers, "signature")
    if not signature_input or not signature:
        raise MessageSignatureError("Signature-Input or Signature header missing")
    _label, covered, signature_bytes = parse_signature_headers(signature_input, signature, label)
    key_id = covered.params.get("keyid")
    if not isinstance(key_id, str) or not key_id:
        raise MessageSignatureError("keyid parameter missing")
    pem = resolve_key(key_id)
    if not pem:
        raise MessageSignatureError(f"unknown key {key_id}")
    try:
        key = load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    except ValueError as error:
        raise MessageSignatureError(f"unreadable key {key_id}") from error
    base = signature_base(method, target_uri, headers, covered)
    alg = covered.params.get("alg")
    if not _verify_with(key, str(alg) if alg else None, signature_bytes, base):
        raise MessageSignatureError("signature does not verify")
    return MessageSignature(key_id, dict(covered.params), [str(item.value) for item in covered])
