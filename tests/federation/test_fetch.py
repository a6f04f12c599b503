"""Outgoing fetches: signed by the instance actor, guarded against non-public addresses
(also after redirects), limited in redirects, size and time, and honouring the instance rules."""

import datetime as dt
import json
import ssl
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from werkzeug.serving import make_server
from werkzeug.wrappers import Response

from stadtnetz.federation import fetch, instances
from stadtnetz.federation.actors import local_actor_for
from stadtnetz.federation.fetch import FetchError, fetch_json, post_activity, resolve_public
from stadtnetz.federation.keys import public_pem
from stadtnetz.federation.signatures import verify
from tests.federation.peer import Peer


@pytest.fixture
def peer():
    running = Peer().start()
    yield running
    running.stop()


@pytest.fixture
def open_loopback(app):
    app.config.update(FEDERATION="open", FEDERATION_ALLOW_LOOPBACK=True)
    return app


def test_fetch_is_signed_by_the_instance_actor(open_loopback, peer):
    url = peer.serve("/notes/1", {"id": "x", "type": "Note"})

    assert fetch_json(url) == {"id": "x", "type": "Note"}

    request = peer.received[-1]
    instance = local_actor_for(None)
    key_id = verify("GET", request.path, request.headers, b"",
                    {instance.key_id: public_pem(instance)}.get, scheme="http")
    assert key_id == "http://localhost/ap/instance#main-key"
    assert request.headers["Host"] == peer.host
    assert "application/activity+json" in request.headers["Accept"]


def test_post_is_signed_by_the_sending_actor_with_digest(open_loopback, peer, make_organisation):
    organisation = make_organisation()
    actor = local_actor_for(organisation)
    body = json.dumps({"type": "Follow"}).encode()
    peer.serve("/inbox", {}, 202)

    assert post_activity(f"{peer.base}/inbox", body, actor) == 202

    request = peer.received[-1]
    assert request.body == body
    assert "digest" in request.headers["Signature"]
    assert verify("POST", "/inbox", request.headers, request.body, {actor.key_id: public_pem(actor)}.get,
                  scheme="http") == actor.key_id


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/users/alice",
        "http://192.168.1.1/users/alice",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/users/alice",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
    ],
)
def test_non_public_addresses_are_refused_even_with_loopback_allowed(open_loopback, url):
    with pytest.raises(FetchError, match="non-public"):
        fetch_json(url)


def test_loopback_is_refused_without_the_setting(app, peer):
    app.config.update(FEDERATION="open", FEDERATION_ALLOW_LOOPBACK=False)
    url = peer.serve("/users/alice", {"id": "x"})

    with pytest.raises(FetchError, match="non-public") as refused:
        fetch_json(url)
    assert refused.value.final  # no retry turns a refused address into an allowed one
    with pytest.raises(FetchError, match="non-public"):
        resolve_public("localhost", 80)
    assert peer.received == []


def test_redirect_to_a_private_address_is_refused(open_loopback, peer):
    url = peer.redirect("/users/alice", "http://10.0.0.1/users/alice")

    with pytest.raises(FetchError, match="non-public"):
        fetch_json(url)


def test_redirects_are_followed_at_most_twice(open_loopback, peer):
    peer.serve("/final", {"id": "final"})
    peer.redirect("/one", "/final")
    peer.redirect("/two", "/one")
    peer.redirect("/three", "/two")

    assert fetch_json(f"{peer.base}/two") == {"id": "final"}
    with pytest.raises(FetchError, match="too many redirects"):
        fetch_json(f"{peer.base}/three")


def test_responses_over_one_mebibyte_are_refused(open_loopback, peer):
    with pytest.raises(FetchError, match="larger than 1 MiB"):
        fetch_json(peer.oversized("/big", 1024 * 1024 + 10))
    assert fetch_json(peer.serve("/small", {"ok": True})) == {"ok": True}


def test_slow_answers_time_out(open_loopback, peer, monkeypatch):
    monkeypatch.setattr(fetch, "TIMEOUT_SECONDS", 0.5)

    with pytest.raises(FetchError, match=r"timed out|failed"):
        fetch_json(peer.slow("/slow", 2))


@pytest.mark.parametrize(
    ("mode", "state", "allowed"),
    [
        ("off", instances.InstanceState.ALLOWED, False),
        ("allowlist", instances.InstanceState.UNKNOWN, False),
        ("allowlist", instances.InstanceState.ALLOWED, True),
        ("open", instances.InstanceState.UNKNOWN, True),
        ("open", instances.InstanceState.BLOCKED, False),
    ],
)
def test_instance_rules_decide_who_is_fetched(app, peer, mode, state, allowed):
    app.config.update(FEDERATION=mode, FEDERATION_ALLOW_LOOPBACK=True)
    instances.set_state(peer.host, state)
    url = peer.serve("/users/alice", {"id": "alice"})

    if allowed:
        assert fetch_json(url) == {"id": "alice"}
    else:
        with pytest.raises(FetchError, match="not allowed"):
            fetch_json(url)
        assert peer.received == []


def test_error_statuses_and_non_json_are_fetch_errors(open_loopback, peer):
    with pytest.raises(FetchError) as gone:
        fetch_json(peer.serve("/gone", {"type": "Tombstone"}, 410))
    assert gone.value.status == 410 and gone.value.final
    with pytest.raises(FetchError) as busy:
        fetch_json(peer.serve("/busy", {}, 429))
    assert busy.value.status == 429 and not busy.value.final
    with pytest.raises(FetchError) as broken:
        fetch_json(peer.serve("/broken", {}, 503))
    assert not broken.value.final
    with pytest.raises(FetchError, match="JSON object"):
        fetch_json(peer.serve("/list", [1, 2]))
    with pytest.raises(FetchError, match="did not return JSON"):
        fetch_json(peer.serve("/deep", lambda request: Response(b"[" * 200_000)))


def test_https_checks_the_certificate_of_the_named_host(open_loopback, tmp_path):
    """The connection goes to the checked address, but TLS still verifies the host's name."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server = make_server("127.0.0.1", 0, lambda environ, start: Response("{}")(environ, start),
                         ssl_context=context)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(FetchError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
            fetch_json(f"https://localhost:{server.port}/users/alice")
    finally:
        server.shutdown()
        server.server_close()
