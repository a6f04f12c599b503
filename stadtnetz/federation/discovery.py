"""Discovery: WebFinger, NodeInfo 2.1 and host-meta.

WebFinger names (``acct:<name>@<host>``, host with port where BASE_URL has one) resolve in this
order: an organisation with slug ``<name>``; else a public working group with that slug (so a
group whose slug an organisation also uses is found by its actor URL only); ``u.<id>`` is the
user ``<id>``; ``instance.actor`` is the instance. The actor URL itself is accepted as
resource too. The answer's subject is the actor's preferredUsername at our host, so a lookup
of the subject leads back to the same actor (round trip).
"""

from datetime import timedelta
from importlib import metadata
from xml.sax.saxutils import quoteattr

import sqlalchemy as sa
from flask import current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..database import utcnow
from ..extensions import db
from ..practices.models import Practice
from ..practices.topics import PracticeState
from . import bp, instances
from .actors import INSTANCE_USERNAME, USER_PREFIX, LocalActor, base_url, load_actor, local_actor_from_uri

NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.1"
SOFTWARE = "stadtnetz"


def _error(status: int, message) -> object:
    response = jsonify(error=str(message))
    response.status_code = status
    return response


def actor_for_resource(resource: str) -> LocalActor | None:
    """The local actor a WebFinger ``resource`` names, or None."""
    if resource.startswith(("https://", "http://")):
        return local_actor_from_uri(resource)
    name, _, host = resource.removeprefix("acct:").lstrip("@").rpartition("@")
    if not resource.startswith("acct:") or host.lower() != instances.local_host() or not name:
        return None
    name = name.lower()
    if name == INSTANCE_USERNAME:
        return load_actor("instance", "")
    if name.startswith(USER_PREFIX):
        return load_actor("user", name.removeprefix(USER_PREFIX))
    return load_actor("organisation", name) or load_actor("group", name)


@bp.get("/.well-known/webfinger")
def webfinger():
    """RFC 7033 WebFinger for our actors."""
    resource = request.args.get("resource", "").strip()
    if not resource:
        return _error(400, _l("Der Parameter resource fehlt."))
    actor = actor_for_resource(resource)
    if actor is None:
        return _error(404, _l("Diesen Namen gibt es hier nicht."))
    document = {
        "subject": f"acct:{actor.preferred_username}@{instances.local_host()}",
        "aliases": [actor.uri, actor.url],
        "links": [
            {"rel": "self", "type": "application/activity+json", "href": actor.uri},
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor.url},
        ],
    }
    response = current_app.response_class(current_app.json.dumps(document), mimetype="application/jrd+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/.well-known/host-meta")
def host_meta():
    """The XRD that points older clients to WebFinger."""
    template = quoteattr(f"{base_url()}/.well-known/webfinger?resource={{uri}}")
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" type="application/jrd+json" template={template}/>\n'
        "</XRD>\n"
    )
    return current_app.response_class(xml, mimetype="application/xrd+xml")


@bp.get("/.well-known/nodeinfo")
def nodeinfo_links():
    """Where the NodeInfo document is."""
    return jsonify(links=[{"rel": NODEINFO_SCHEMA, "href": f"{base_url()}/nodeinfo/2.1"}])


def _version() -> str:
    try:
        return metadata.version("stadtnetz")
    except metadata.PackageNotFoundError:
        return "0.0.0"


@bp.get("/nodeinfo/2.1")
def nodeinfo():
    """NodeInfo 2.1: software, protocols and usage figures."""
    now = utcnow()

    def active_since(days: int) -> int:
        return db.session.scalar(
            sa.select(sa.func.count(User.id)).where(User.last_login_at >= now - timedelta(days=days))
        )

    document = {
        "version": "2.1",
        "software": {"name": SOFTWARE, "version": _version()},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0"]},
        "openRegistrations": True,
        "usage": {
            "users": {
                "total": db.session.scalar(sa.select(sa.func.count(User.id))),
                "activeMonth": active_since(30),
                "activeHalfyear": active_since(180),
            },
            "localPosts": db.session.scalar(
                sa.select(sa.func.count(Practice.id)).where(Practice.state == PracticeState.PUBLISHED)
            ),
        },
        "metadata": {"nodeName": "Stadtnetz", "federation": instances.mode().value},
    }
    return current_app.response_class(
        current_app.json.dumps(document), content_type=f'application/json; profile="{NODEINFO_SCHEMA}#"'
    )
