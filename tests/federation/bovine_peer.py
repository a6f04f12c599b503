"""An independent ActivityPub peer for the interoperability test, built on bovine.

Nobody on this project wrote bovine (PyPI ``bovine``). Its code signs every request the peer
sends (``SignedHttpClient``: draft-cavage with Digest) and checks every request the peer's inbox
receives (``SignatureChecker``, fetching the signer's key over HTTP). The peer serves its actor
on 127.0.0.1 and logs what its inbox accepted, with the owner bovine verified.
"""

import asyncio
import json
import threading
from dataclasses import dataclass, field

import aiohttp
from bovine.clients.signed_http import SignedHttpClient
from bovine.crypto import build_validate_http_signature_raw, generate_rsa_public_private_key
from bovine.crypto.types import CryptographicIdentifier
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

AP = "application/activity+json"


async def _retrieve_key(key_id: str) -> CryptographicIdentifier | None:
    """bovine's key retriever: GET the key's actor document and read its publicKey."""
    async with aiohttp.ClientSession() as session, session.get(key_id, headers={"Accept": AP}) as response:
        if response.status != 200:
            return None
        document = json.loads(await response.read())
    key = document.get("publicKey", document)
    return CryptographicIdentifier.from_pem(key["publicKeyPem"], key["owner"])


@dataclass
class BovinePeer:
    accepted: list = field(default_factory=list)  # (verified owner, activity)
    refused: list = field(default_factory=list)

    def start(self) -> "BovinePeer":
        self.public_pem, self.private_pem = generate_rsa_public_private_key()
        self.server = make_server("127.0.0.1", 0, self._wsgi, threaded=True)
        self.base = f"http://127.0.0.1:{self.server.port}"
        self.actor_id = f"{self.base}/actor"
        self.key_id = f"{self.actor_id}#main-key"
        self._validate = build_validate_http_signature_raw(_retrieve_key)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def actor_document(self) -> dict:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.actor_id, "type": "Person", "preferredUsername": "bovine", "name": "Bovine",
            "inbox": f"{self.base}/inbox", "outbox": f"{self.base}/outbox",
            "followers": f"{self.base}/followers",
            "publicKey": {"id": self.key_id, "owner": self.actor_id, "publicKeyPem": self.public_pem},
        }

    @Request.application
    def _wsgi(self, request: Request) -> Response:
        if request.method == "GET" and request.path == "/actor":
            return Response(json.dumps(self.actor_document()), mimetype=AP)
        if request.method == "POST" and request.path == "/inbox":
            body = request.get_data()

            async def read_body() -> bytes:
                return body

            owner = asyncio.run(self._validate(request.method, request.url, request.headers, read_body))
            (self.accepted if owner else self.refused).append((owner, json.loads(body)))
            return Response(status=202 if owner else 401)
        return Response(status=404)

    async def _client_call(self, method: str, url: str, activity: dict | None):
        async with aiohttp.ClientSession() as session:
            client = SignedHttpClient(session, self.key_id, self.private_pem)
            if method == "GET":
                response = await client.get(url, headers={"Accept": AP})
            else:
                response = await client.post(url, json.dumps(activity))
            async with response:
                return response.status, await response.read()

    def get(self, url: str) -> tuple[int, dict]:
        """A GET signed by bovine; (status, JSON)."""
        status, body = asyncio.run(self._client_call("GET", url, None))
        return status, json.loads(body) if body else {}

    def post(self, url: str, activity: dict) -> int:
        """A POST signed by bovine; the status code."""
        status, _body = asyncio.run(self._client_call("POST", url, activity))
        return status
