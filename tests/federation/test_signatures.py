"""HTTP signatures against the published test vectors of draft-cavage-12 and RFC 9421, and
Mastodon's rules on top (what must be signed, the digest, the time window)."""

import base64
import hashlib
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    PublicFormat,
    load_pem_private_key,
)

from stadtnetz.federation.message_signatures import MessageSignatureError, verify_message_signature
from stadtnetz.federation.signatures import SignatureError, sign_headers, signature_key_id, verify
from tests.federation import vectors as v

CAVAGE_NOW = parsedate_to_datetime(v.CAVAGE_HEADERS["Date"])
CAVAGE_PATH = "/foo?param=value&pet=dog"


def cavage_keys(key_id):
    return {"Test": v.CAVAGE_PUBLIC_KEY}.get(key_id)


def verify_cavage(signature, method="POST", body=v.BODY, now=CAVAGE_NOW, **headers):
    all_headers = {**v.CAVAGE_HEADERS, "Signature": signature, **headers}
    return verify(method, CAVAGE_PATH, all_headers, body, cavage_keys, now=now)


def test_cavage_all_headers_vector_verifies():
    assert verify_cavage(v.CAVAGE_C3) == "Test"


def test_signing_reproduces_the_cavage_basic_vector():
    """rsa-sha256 is deterministic: our signer must produce appendix C.2 byte for byte."""
    key = load_pem_private_key(v.CAVAGE_PRIVATE_KEY.encode(), password=None)

    headers = sign_headers("POST", v.CAVAGE_URL, None, "Test", key, now=CAVAGE_NOW)

    assert headers == {"Host": "example.com", "Date": v.CAVAGE_HEADERS["Date"], "Signature": v.CAVAGE_C2}


@pytest.mark.parametrize(
    ("signature", "method", "reason"),
    [
        (v.CAVAGE_C2, "POST", "Bei POST muss der Digest signiert sein"),
        (v.CAVAGE_C1, "POST", "(request-target) oder Digest muss signiert sein"),
        (v.CAVAGE_C1.replace('algorithm="rsa-sha256"', 'algorithm="hmac-sha256"'), "POST",
         "Nicht unterstütztes Signaturverfahren"),
        ('keyId="Test",headers="(request-target) date"', "GET", "unvollständig"),
        ('keyId="Test",algorithm="rsa-sha256",headers="(request-target) date",signature="AAAA"', "GET",
         "Bei GET muss der Host signiert sein"),
    ],
)
def test_mastodon_rules_refuse_weak_signatures(signature, method, reason):
    with pytest.raises(SignatureError) as refused:
        verify_cavage(signature, method=method)
    assert refused.value.status == 401
    assert reason in refused.value.message


def test_digest_is_checked_against_the_raw_body():
    with pytest.raises(SignatureError, match="Digest passt nicht"):
        verify_cavage(v.CAVAGE_C3, body=b'{"hello": "world!"}')


def test_tampered_header_fails():
    with pytest.raises(SignatureError, match="ungültig"):
        verify_cavage(v.CAVAGE_C3, **{"Content-Type": "text/plain"})


@pytest.mark.parametrize(
    ("shift", "accepted"),
    [
        (timedelta(minutes=64), True),  # 5 minutes valid + 1 hour clock skew
        (timedelta(minutes=66), False),
        (-timedelta(minutes=59), True),
        (-timedelta(minutes=61), False),
    ],
)
def test_date_must_lie_within_the_window(shift, accepted):
    if accepted:
        assert verify_cavage(v.CAVAGE_C3, now=CAVAGE_NOW + shift) == "Test"
    else:
        with pytest.raises(SignatureError, match="abgelaufen oder liegt in der Zukunft"):
            verify_cavage(v.CAVAGE_C3, now=CAVAGE_NOW + shift)


def test_unknown_key_and_unsigned_requests_are_refused():
    with pytest.raises(SignatureError, match="unbekannt"):
        verify("POST", CAVAGE_PATH, {**v.CAVAGE_HEADERS, "Signature": v.CAVAGE_C3}, v.BODY,
               lambda key_id: None, now=CAVAGE_NOW)
    with pytest.raises(SignatureError, match="nicht signiert"):
        verify("POST", CAVAGE_PATH, v.CAVAGE_HEADERS, v.BODY, cavage_keys, now=CAVAGE_NOW)


def test_signature_without_query_in_request_target_is_accepted_like_mastodon():
    key = load_pem_private_key(v.CAVAGE_PRIVATE_KEY.encode(), password=None)
    headers = sign_headers("GET", "http://example.com/foo", None, "Test", key, now=CAVAGE_NOW)

    assert verify("GET", "/foo?page=2", headers, b"", cavage_keys, now=CAVAGE_NOW) == "Test"


@pytest.mark.parametrize("name", list(v.RFC_B2))
def test_rfc9421_appendix_b2_vectors_verify(name):
    signature_input, signature = v.RFC_B2[name]
    headers = {**v.RFC_HEADERS, "Signature-Input": signature_input, "Signature": signature}

    verified = verify_message_signature("POST", v.RFC_URL, headers, v.RFC_KEYS.get)

    assert verified.key_id == signature_input.split('keyid="')[1].split('"')[0]
    assert verified.params["created"] == 1618884473


def test_rfc9421_rsa_v1_5_sha256_vector_of_the_proxy():
    verified = verify_message_signature("POST", v.RFC_PROXY_URL, v.RFC_PROXY_HEADERS, v.RFC_KEYS.get,
                                        label="proxy_sig")

    assert verified.key_id == "test-key-rsa"
    assert verified.components == ["signature", "forwarded"]


@pytest.mark.parametrize(
    "change",
    [
        {"Content-Type": "text/plain"},
        {"Date": "Tue, 20 Apr 2021 02:07:56 GMT"},
        {"Host": "example.org"},
    ],
)
def test_rfc9421_vector_fails_when_a_covered_part_changes(change):
    signature_input, signature = v.RFC_B2["B.2.3 full coverage, rsa-pss-sha512"]
    headers = {**v.RFC_HEADERS, **change, "Signature-Input": signature_input, "Signature": signature}
    url = v.RFC_URL.replace("example.com", change.get("Host", "example.com"))

    with pytest.raises(MessageSignatureError):
        verify_message_signature("POST", url, headers, v.RFC_KEYS.get)


def ed25519_signed_post(body: bytes, covered: str, created: datetime, digest: bytes | None = None):
    """A POST signed as a fediverse server using RFC 9421 would sign it (Ed25519 key)."""
    key = ed25519.Ed25519PrivateKey.generate()
    pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    digest = base64.b64encode(digest or hashlib.sha256(body).digest()).decode()
    headers = {"Host": "stadt.example", "Content-Digest": f"sha-256=:{digest}:"}
    params = f'({covered});created={int(created.timestamp())};keyid="https://peer.example/a#ed"'
    lines = {
        '"@method"': "POST",
        '"@target-uri"': "https://stadt.example/ap/inbox",
        '"@authority"': "stadt.example",
        '"content-digest"': headers["Content-Digest"],
    }
    base = "\n".join(f"{name}: {lines[name]}" for name in covered.split())
    base += f'\n"@signature-params": {params}'
    signature = base64.b64encode(key.sign(base.encode())).decode()
    headers |= {"Signature-Input": f"sig1={params}", "Signature": f"sig1=:{signature}:"}
    return headers, {"https://peer.example/a#ed": pem}.get


def test_rfc9421_request_with_mastodon_rules_verifies():
    now = datetime.now(UTC)
    headers, keys = ed25519_signed_post(v.BODY, '"@method" "@target-uri" "content-digest"', now)

    assert signature_key_id(headers) == "https://peer.example/a#ed"
    assert verify("POST", "/ap/inbox", headers, v.BODY, keys) == "https://peer.example/a#ed"


@pytest.mark.parametrize(
    ("covered", "body", "age", "reason"),
    [
        ('"@method" "@target-uri"', v.BODY, timedelta(0), "Content-Digest signiert"),
        ('"@method" "@authority" "content-digest"', v.BODY, timedelta(0), "@target-uri"),
        ('"@method" "@target-uri" "content-digest"', b"{}", timedelta(0), "Content-Digest passt nicht"),
        ('"@method" "@target-uri" "content-digest"', v.BODY, timedelta(hours=2), "abgelaufen"),
    ],
)
def test_rfc9421_requests_breaking_mastodon_rules_are_refused(covered, body, age, reason):
    headers, keys = ed25519_signed_post(v.BODY, covered, datetime.now(UTC) - age)

    with pytest.raises(SignatureError) as refused:
        verify("POST", "/ap/inbox", headers, body, keys)
    assert reason in refused.value.message


@pytest.mark.parametrize(
    ("signature_input", "signature"),
    [
        ("sig1=(", "sig1=:AAAA:"),
        ('sig1=("@method");created=1', "other=:AAAA:"),
        ('sig1=("@method" "@target-uri");keyid="k";created=1', "sig1=notbytes"),
        ("sig1=(@method);created=1", "sig1=:AAAA:"),
    ],
)
def test_malformed_rfc9421_headers_are_refused(signature_input, signature):
    headers = {"Host": "stadt.example", "Signature-Input": signature_input, "Signature": signature}

    with pytest.raises(SignatureError) as refused:
        verify("GET", "/ap/instance", headers, b"", lambda key_id: None)
    assert refused.value.status == 401
