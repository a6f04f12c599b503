"""Working-group services: creating groups, joining and leaving, requests to join a
members-only group and their approval by the group's moderators, and group roles."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from .. import search
from ..accounts.models import User
from ..accounts.organisations import slugify
from ..accounts.permissions import require
from ..errors import Invalid
from ..extensions import db
from ..mail import absolute_url, send_mail
from .models import GroupMembership, GroupMemberStatus, GroupRole, Visibility, WorkingGroup, members_audience

# Path segments beside the group slugs under /arbeitsgruppen.
RESERVED_SLUGS = frozenset({"neu"})


def group_by_slug(slug: str) -> WorkingGroup | None:
    return db.session.scalar(sa.select(WorkingGroup).where(WorkingGroup.slug == slug))


def all_groups() -> list[WorkingGroup]:
    """Every group by name; members-only groups are listed too, so people can ask to join."""
    return list(db.session.scalars(sa.select(WorkingGroup).order_by(WorkingGroup.name)))


def create_group(actor: User, name: str, description: str, visibility: Visibility) -> WorkingGroup:
    """Create a group; its creator becomes its first moderator."""
    require(actor, "forum.create_group")
    name = name.strip()
    slug = slugify(name)
    if slug in RESERVED_SLUGS or group_by_slug(slug) is not None:
        raise Invalid(_l("Es gibt schon eine Arbeitsgruppe mit diesem Namen."), "name")
    group = WorkingGroup(name=name, slug=slug, description=description.strip(), visibility=visibility)
    group.memberships.append(GroupMembership(user=actor, role=GroupRole.MODERATOR))
    db.session.add(group)
    db.session.flush()
    return group


def join_group(actor: User, group: WorkingGroup, message: str = "") -> GroupMembership:
    """Join a public group at once; for a members-only group, ask its moderators."""
    require(actor, "forum.join_group", group)
    status = GroupMemberStatus.APPROVED if group.is_public else GroupMemberStatus.PENDING
    membership = GroupMembership(group=group, user=actor, status=status, message=message.strip())
    db.session.add(membership)
    db.session.flush()
    if not membership.is_approved:
        url = absolute_url("forum.group_members", slug=group.slug)
        for moderator in moderators(group):
            send_mail(
                moderator.user.email,
                _l("Beitrittsanfrage für die Arbeitsgruppe %(group)s", group=group.name),
                "forum_join_request",
                locale=moderator.user.locale or "de",
                recipient=moderator.user,
                requester=actor,
                group=group,
                membership=membership,
                url=url,
            )
    return membership


def leave_group(actor: User, group: WorkingGroup) -> None:
    """Leave a group (or withdraw a request); the last moderator must hand over first."""
    require(actor, "forum.leave_group", group)
    membership = group.membership_of(actor)
    if membership.is_moderator and len(moderators(group)) == 1:
        raise Invalid(
            _l(
                "Sie sind die einzige Moderation dieser Arbeitsgruppe. Bitte ernennen Sie "
                "zuerst eine weitere Person zur Moderation."
            )
        )
    db.session.delete(membership)
    db.session.flush()


def decide_request(actor: User, membership: GroupMembership, approved: bool) -> None:
    """Approve or decline a pending request to join."""
    require(actor, "forum.moderate", membership.group)
    if membership.status != GroupMemberStatus.PENDING:
        raise Invalid(_l("Diese Anfrage ist schon entschieden."))
    group, applicant = membership.group, membership.user
    if approved:
        membership.status = GroupMemberStatus.APPROVED
    else:
        db.session.delete(membership)
    db.session.flush()
    send_mail(
        applicant.email,
        _l("Ihre Anfrage für die Arbeitsgruppe %(group)s", group=group.name),
        "forum_join_decision",
        locale=applicant.locale or "de",
        recipient=applicant,
        group=group,
        approved=approved,
        url=absolute_url("forum.group", slug=group.slug),
    )


def set_role(actor: User, membership: GroupMembership, role: GroupRole) -> None:
    """Make an approved member a group moderator, or back again (never the last one)."""
    require(actor, "forum.moderate", membership.group)
    if not membership.is_approved:
        raise Invalid(_l("Nur Mitglieder können die Arbeitsgruppe moderieren."))
    if role == GroupRole.MEMBER and membership.is_moderator and len(moderators(membership.group)) == 1:
        raise Invalid(_l("Eine Arbeitsgruppe braucht mindestens eine Person in der Moderation."))
    membership.role = role
    db.session.flush()


def remove_member(actor: User, membership: GroupMembership) -> None:
    """Remove a member; moderators are first made members again."""
    set_role(actor, membership, GroupRole.MEMBER)
    db.session.delete(membership)
    db.session.flush()


def members(group: WorkingGroup, status: GroupMemberStatus) -> list[GroupMembership]:
    """The group's memberships of one status, moderators first, then by name."""
    return list(
        db.session.scalars(
            sa.select(GroupMembership)
            .join(GroupMembership.user)
            .where(GroupMembership.group_id == group.id, GroupMembership.status == status)
            .order_by(GroupMembership.role.desc(), User.name)
        )
    )


def moderators(group: WorkingGroup) -> list[GroupMembership]:
    return [m for m in members(group, GroupMemberStatus.APPROVED) if m.is_moderator]


@search.audience_provider
def member_audiences(user) -> set[str]:
    """The search audiences ``user`` belongs to: the members-only groups they are a member of."""
    return {
        members_audience(group_id)
        for group_id in db.session.scalars(
            sa.select(GroupMembership.group_id).where(
                GroupMembership.user_id == user.id, GroupMembership.status == GroupMemberStatus.APPROVED
            )
        )
    }


search.facet_labels(
    "group", lambda: dict(db.session.execute(sa.select(WorkingGroup.slug, WorkingGroup.name)).all())
)
