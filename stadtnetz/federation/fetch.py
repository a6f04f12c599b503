"""Outgoing federation HTTP: signed GETs of remote documents and signed POSTs to inboxes.

The guard against server-side request forgery resolves the host once, refuses the request if
any address is not public (loopback, private, link-local, unspecified, multicast, reserved,
IPv4-mapped IPv6…), and connects to exactly the checked address while sending the original
Host header (and, for HTTPS, the host name for SNI and certificate checking). Redirects (at
most two, GET only) go through the same check. Loopback is allowed only when
``FEDERATION_ALLOW_LOOPBACK`` is set (tests). Every request has a 10 s budget and reads at
most 1 MiB. GETs are signed by the instance actor, POSTs by the sending actor, at send time.
"""

import ipaddress
import json
import socket
import time
from urllib.parse import urljoin, urlsplit

import urllib3
from flask import current_app

from . import instances, keys
from .actors import LocalActor, local_actor_for
from .signatures import sign_headers

TIMEOUT_SECONDS = 10
MAX_BYTES = 1024 * 1024
MAX_REDIRECTS = 2
AP_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
AP_CONTENT_TYPE = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
USER_AGENT = "Stadtnetz (ActivityPub)"


def final_status(status: int) -> bool:
    """True for an answer that retrying cannot change: a 4xx other than 429 Too Many Requests."""
    return 400 <= status < 500 and status != 429


class FetchError(Exception):
    """A remote request was refused by us, failed, or answered with an error ``status``.

    ``final`` tells whether trying again can help: not when our guard refused the address or
    the URL, nor after a 4xx other than 429; yes after network errors, timeouts, 429 and 5xx.
    """

    def __init__(self, message: str, status: int | None = None, final: bool | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.final = final if final is not None else status is not None and final_status(status)


def _public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and (ip.ipv4_mapped or ip.sixtofour or ip.teredo):
        return False  # an IPv4 address in IPv6 clothing: refuse rather than unwrap
    if ip.is_loopback and current_app.config.get("FEDERATION_ALLOW_LOOPBACK"):
        return True
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_link_local)


def resolve_public(host: str, port: int) -> str:
    """The one address to connect to for ``host``; FetchError unless every address is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"{host} cannot be resolved") from error
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(_public_address(address) for address in addresses):
        raise FetchError(f"{host} resolves to a non-public address", final=True)
    return addresses[0]


def _pool(scheme: str, host: str, port: int, address: str, timeout: urllib3.Timeout):
    if scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address, port, timeout=timeout, retries=False, maxsize=1,
            server_hostname=host, assert_hostname=host, cert_reqs="CERT_REQUIRED",
        )
    return urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False, maxsize=1)


def _send(method: str, url: str, body: bytes | None, signer: LocalActor, headers: dict,
          deadline: float) -> tuple[int, dict, bytes, str]:
    """One guarded request, following GET redirects; (status, headers, body, final url)."""
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        host_port = instances.host_of(url)
        if parts.scheme not in ("http", "https") or not host_port:
            raise FetchError(f"not an http(s) URL: {url}", final=True)
        if not instances.may_receive_from(host_port) and method == "GET":
            raise FetchError(f"federation with {host_port} is not allowed", final=True)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = resolve_public(parts.hostname, port)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError("timed out")
        timeout = urllib3.Timeout(connect=remaining, read=remaining)
        signed = sign_headers(method, url, body, signer.key_id, keys.private_key(signer))
        request_headers = {"User-Agent": USER_AGENT, **headers, **signed}
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        with _pool(parts.scheme, parts.hostname, port, address, timeout) as pool:
            try:
                response = pool.urlopen(method, target, body=body, headers=request_headers,
                                        redirect=False, preload_content=False, assert_same_host=False)
                content = _read_capped(response, deadline)
            except urllib3.exceptions.HTTPError as error:
                raise FetchError(f"{method} {url} failed: {error}") from error
        location = response.headers.get("Location")
        if method == "GET" and response.status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location)
            continue
        return response.status, dict(response.headers), content, url
    raise FetchError(f"too many redirects from {url}", final=True)


def _read_capped(response, deadline: float) -> bytes:
    chunks, size = [], 0
    try:
        for chunk in response.stream(64 * 1024):
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchError("response larger than 1 MiB")
            if time.monotonic() > deadline:
                raise FetchError("timed out")
            chunks.append(chunk)
    finally:
        response.release_conn()
    return b"".join(chunks)


def fetch_json(url: str, accept: str = AP_ACCEPT) -> dict:
    """GET a remote JSON document, signed by the instance actor; FetchError on any failure."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    status, _headers, content, _final = _send("GET", url, None, local_actor_for(None), {"Accept": accept},
                                              deadline)
    if status >= 400:
        raise FetchError(f"GET {url} answered {status}", status)
    if status >= 300:
        raise FetchError(f"GET {url} answered {status} without a usable redirect", status)
    try:
        document = json.loads(content)
    except (ValueError, RecursionError) as error:
        raise FetchError(f"GET {url} did not return JSON") from error
    if not isinstance(document, dict):
        raise FetchError(f"GET {url} did not return a JSON object")
    return document


def post_activity(inbox_url: str, body: bytes, actor: LocalActor) -> int:
    """POST an activity to a remote inbox, signed by ``actor``; the answer's status code.

    Raises FetchError if the request is refused by the guard or no answer arrives.
    """
    if not instances.may_deliver_to(instances.host_of(inbox_url)):
        raise FetchError(f"delivery to {instances.host_of(inbox_url)} is not allowed", final=True)
    deadline = time.monotonic() + TIMEOUT_SECONDS
    status, _headers, _content, _final = _send(
        "POST", inbox_url, body, actor, {"Content-Type": AP_CONTENT_TYPE, "Accept": AP_ACCEPT}, deadline
    )
    return status
