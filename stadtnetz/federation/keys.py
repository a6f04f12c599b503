"""RSA-2048 key pairs of the local actors, created on first use and kept in the database.

The private key never leaves the server: it is stored as PKCS#8 PEM encrypted with Fernet
under a key derived from ``SECRET_KEY`` (HKDF-SHA256), so a database dump alone does not give
it away. If ``SECRET_KEY`` changes, the stored keys can no longer be read; the actor then gets
a fresh pair and remote servers fetch the new public key when a signature fails to verify
(as Mastodon does). Loaded keys are cached per process: parsing a PEM costs more than signing.
"""

import base64
import logging
from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..database import UTCDateTime, utcnow
from ..extensions import db

log = logging.getLogger(__name__)

KEY_SIZE = 2048


class ActorKey(db.Model):
    """The key pair of one local actor (``actor_kind`` + ``actor_ref``; the instance has ref 0)."""

    __tablename__ = "federation_actor_key"
    __table_args__ = (sa.UniqueConstraint("actor_kind", "actor_ref", name="uq_federation_actor_key_actor"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_kind: Mapped[str] = mapped_column(sa.String(20))
    actor_ref: Mapped[int] = mapped_column()
    public_pem: Mapped[str] = mapped_column(sa.Text)
    private_pem_encrypted: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@lru_cache(maxsize=8)
def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"stadtnetz federation actor keys"
    ).derive(secret_key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


@lru_cache(maxsize=4096)
def _load_private(encrypted: bytes, secret_key: str) -> rsa.RSAPrivateKey:
    pem = _fernet(secret_key).decrypt(encrypted)
    return serialization.load_pem_private_key(pem, password=None)


def _new_pair(secret_key: str) -> tuple[str, bytes]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return public_pem.decode(), _fernet(secret_key).encrypt(private_pem)


def _identity(actor) -> tuple[str, int]:
    return actor.kind, actor.ref


def _session_holds_write_lock() -> bool:
    """On SQLite a second connection cannot write while this session's transaction has written."""
    if db.engine.dialect.name != "sqlite":
        return False
    return db.session.connection().connection.dbapi_connection.in_transaction


def _store_new_pair(kind: str, ref: int, replace: bool = False) -> None:
    """Write a fresh key pair for the actor and commit it at once, in a transaction of its own:
    a remote server may fetch the public key while the request or job that needed the key is
    still running, and a rollback of that work must not take the key with it."""
    public_pem, encrypted = _new_pair(current_app.config["SECRET_KEY"])
    values = {"public_pem": public_pem, "private_pem_encrypted": encrypted}
    if replace:
        statement = sa.update(ActorKey).where(ActorKey.actor_kind == kind, ActorKey.actor_ref == ref)
        statement = statement.values(**values)
    else:
        statement = sa.insert(ActorKey).values(actor_kind=kind, actor_ref=ref, created_at=utcnow(), **values)
    if _session_holds_write_lock():
        # SQLite only (one writer): a second connection would wait for this very session. The
        # key commits with the session's work; no caller sends a request signed with a key it
        # made inside its own open write (delivery makes keys when it enqueues, the worker
        # finds them stored). PostgreSQL always takes the path below.
        db.session.execute(statement)
        return
    try:
        with db.engine.begin() as connection:
            connection.execute(statement)
    except IntegrityError:
        pass  # another request made this actor's key a moment ago: that one is used


def _key_row(actor) -> ActorKey:
    """The actor's key row, created the first time it is needed."""
    kind, ref = _identity(actor)
    query = sa.select(ActorKey).where(ActorKey.actor_kind == kind, ActorKey.actor_ref == ref)
    row = db.session.scalar(query)
    if row is None:
        _store_new_pair(kind, ref)
        row = db.session.scalar(query)
    return row


def public_pem(actor) -> str:
    """The actor's public key as SubjectPublicKeyInfo PEM (what ``publicKeyPem`` carries)."""
    return _key_row(actor).public_pem


def private_key(actor) -> rsa.RSAPrivateKey:
    """The actor's private key, for signing requests."""
    row = _key_row(actor)
    secret_key = current_app.config["SECRET_KEY"]
    try:
        return _load_private(row.private_pem_encrypted, secret_key)
    except InvalidToken:
        log.warning("Key of %s %s unreadable (SECRET_KEY changed?); making a new one", *_identity(actor))
        _store_new_pair(*_identity(actor), replace=True)
        db.session.refresh(row)
        return _load_private(row.private_pem_encrypted, secret_key)
