"""@mentions: ``@[Julia Becker]`` names a person, ``@[Stadt Lüdenscheid]`` an organisation
(which stands for its verified members). Names are what people see, so the autocomplete
inserts them; a name two people share mentions nobody, rather than the wrong person.
"""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for

from ..accounts.models import MembershipStatus, Organisation, User
from ..extensions import db

MENTION = re.compile(r"@\[([^\[\]\n]{1,200})\]")
SUGGESTIONS = 8


@dataclass(frozen=True)
class Mentioned:
    """What a post's mentions resolved to."""

    users: frozenset[User]
    organisations: frozenset[Organisation]

    def people(self) -> set[User]:
        """Everyone mentioned, directly or as a verified member of a mentioned organisation."""
        found = set(self.users)
        for organisation in self.organisations:
            found |= {m.user for m in organisation.memberships if m.status == MembershipStatus.APPROVED}
        return found


def _names(text: str) -> set[str]:
    return {name.strip().lower() for name in MENTION.findall(text or "")}


def resolve(text: str) -> Mentioned:
    """The users and organisations ``text`` mentions (organisations win over people)."""
    names = _names(text)
    if not names:
        return Mentioned(frozenset(), frozenset())
    organisations = {
        o
        for o in db.session.scalars(
            sa.select(Organisation).where(sa.func.lower(Organisation.name).in_(names))
        )
        if o.name.lower() in names
    }
    left = names - {o.name.lower() for o in organisations}
    by_name: dict[str, list[User]] = {}
    if left:
        for user in db.session.scalars(
            sa.select(User).where(sa.func.lower(User.name).in_(left), User.email_confirmed_at.is_not(None))
        ):
            by_name.setdefault(user.name.lower(), []).append(user)
    users = {found[0] for found in by_name.values() if len(found) == 1}
    return Mentioned(frozenset(users), frozenset(organisations))


def link_mentions(text: str) -> str:
    """Markdown with each resolvable mention turned into a link to the profile."""
    mentioned = resolve(text)
    targets = {
        o.name.lower(): url_for("accounts.organisation", slug=o.slug, _external=False)
        for o in mentioned.organisations
    }
    targets |= {
        u.name.lower(): url_for("accounts.profile", user_id=u.id, _external=False) for u in mentioned.users
    }

    def link(match: re.Match) -> str:
        url = targets.get(match.group(1).strip().lower())
        return f"[@{match.group(1).strip()}]({url})" if url else match.group(0)

    return MENTION.sub(link, text)


def suggest(prefix: str) -> list[dict]:
    """People and organisations whose name contains ``prefix``, for the autocomplete."""
    prefix = prefix.strip()
    if len(prefix) < 2:
        return []
    pattern = f"%{prefix.lower()}%"
    organisations = db.session.scalars(
        sa.select(Organisation)
        .where(sa.func.lower(Organisation.name).like(pattern))
        .order_by(Organisation.name)
        .limit(SUGGESTIONS)
    )
    users = db.session.scalars(
        sa.select(User)
        .where(sa.func.lower(User.name).like(pattern), User.email_confirmed_at.is_not(None))
        .order_by(User.name)
        .limit(SUGGESTIONS)
    )
    found = [{"name": u.name, "kind": "person", "insert": f"@[{u.name}]"} for u in users]
    found += [{"name": o.name, "kind": "organisation", "insert": f"@[{o.name}]"} for o in organisations]
    return sorted(found, key=lambda item: item["name"].lower())[:SUGGESTIONS]
