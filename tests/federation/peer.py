"""A remote fediverse server for the protocol tests: a real HTTP server on 127.0.0.1.

It serves whatever JSON documents a test puts under a path, answers redirects, oversized and
slow responses on request, records every request it receives, and signs requests with its own
RSA keys the way Mastodon does (``signed_post``), so the inbox can be exercised end to end.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from stadtnetz.federation.signatures import sign_headers

AS = "https://www.w3.org/ns/activitystreams"
_KEYS: list[rsa.RSAPrivateKey] = []


def peer_key(index: int = 0) -> rsa.RSAPrivateKey:
    """RSA keys made once per test run (making one takes a noticeable fraction of a second)."""
    while len(_KEYS) <= index:
        _KEYS.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    return _KEYS[index]


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class Peer:
    """The remote server; ``documents`` maps a path to (status, JSON, extra headers)."""

    documents: dict = field(default_factory=dict)
    received: list = field(default_factory=list)

    def start(self) -> "Peer":
        self.server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.host = f"127.0.0.1:{self.server.port}"
        self.base = f"http://{self.host}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @Request.application
    def _wsgi(self, request: Request) -> Response:
        self.received.append(Received(request.method, request.full_path.rstrip("?"),
                                      dict(request.headers), request.get_data()))
        status, body, headers = self.documents.get(request.path, (404, {"error": "not found"}, {}))
        if callable(body):
            return body(request)
        return Response(json.dumps(body), status, headers, mimetype="application/activity+json")

    def serve(self, path: str, document, status: int = 200, **headers) -> str:
        self.documents[path] = (status, document, headers)
        return self.base + path

    def redirect(self, path: str, location: str) -> str:
        return self.serve(path, {}, 302, Location=location)

    def oversized(self, path: str, size: int) -> str:
        return self.serve(path, lambda request: Response(b"[" + b" " * size + b"]"))

    def slow(self, path: str, seconds: float) -> str:
        def answer(request):
            time.sleep(seconds)
            return Response(b"{}", mimetype="application/json")

        return self.serve(path, answer)

    def actor(self, username: str = "alice", key_index: int = 0, type_: str = "Person", **extra) -> dict:
        """Serve an actor document with its public key; return the document."""
        uri = f"{self.base}/users/{username}"
        document = {
            "@context": [AS, "https://w3id.org/security/v1"],
            "id": uri,
            "type": type_,
            "preferredUsername": username,
            "name": username.title(),
            "summary": "<p>Hallo <script>alert(1)</script><b>Welt</b></p>",
            "inbox": f"{uri}/inbox",
            "followers": f"{uri}/followers",
            "endpoints": {"sharedInbox": f"{self.base}/inbox"},
            "publicKey": {"id": f"{uri}#main-key", "owner": uri,
                          "publicKeyPem": public_pem(peer_key(key_index))},
            **extra,
        }
        self.serve(f"/users/{username}", document)
        return document

    def activity(self, actor: dict, type_: str = "Create", number: int = 1, **extra) -> dict:
        """An activity of ``actor`` with an object of its own server."""
        note = {"id": f"{self.base}/notes/{number}", "type": "Note", "attributedTo": actor["id"],
                "content": "<p>Hallo</p>", "to": [f"{AS}#Public"]}
        return {"@context": AS, "id": f"{self.base}/activities/{number}", "type": type_,
                "actor": actor["id"], "object": note, **extra}

    def signed_post(self, client, path: str, activity, key_id: str, key_index: int = 0,
                    body: bytes | None = None, now: datetime | None = None, **headers):
        """POST ``activity`` to our app's ``path`` through the Flask test client, signed."""
        body = json.dumps(activity).encode() if body is None else body
        signed = sign_headers("POST", f"http://localhost{path}", body, key_id, peer_key(key_index),
                              now=now or datetime.now(UTC))
        return client.post(path, data=body, headers={**signed, "Content-Type": "application/activity+json",
                                                     **headers})


def rfc9421_signed_post(client, path: str, activity: dict, key_id: str, key_index: int = 0):
    """POST ``activity`` signed with RFC 9421 (rsa-v1_5-sha256), as Fedify and Mastodon 4.5 do."""
    import base64
    import hashlib

    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    body = json.dumps(activity).encode()
    digest = "sha-256=:" + base64.b64encode(hashlib.sha256(body).digest()).decode() + ":"
    created = int(datetime.now(UTC).timestamp())
    params = (f'("@method" "@target-uri" "content-digest");created={created};keyid="{key_id}"'
              ';alg="rsa-v1_5-sha256"')
    base = (f'"@method": POST\n"@target-uri": http://localhost{path}\n"content-digest": {digest}\n'
            f'"@signature-params": {params}')
    signature = peer_key(key_index).sign(base.encode(), padding.PKCS1v15(), hashes.SHA256())
    headers = {"Content-Digest": digest, "Signature-Input": f"sig1={params}",
               "Signature": f"sig1=:{base64.b64encode(signature).decode()}:",
               "Content-Type": "application/activity+json"}
    return client.post(path, data=body, headers=headers)
