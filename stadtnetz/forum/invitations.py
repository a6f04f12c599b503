"""Invitations to working groups: a group's moderators (or the site's) invite a confirmed user,
who accepts or declines. This is also the only way for a solution provider into a members-only
group, since providers cannot ask to join one (see the rule forum.join_group)."""

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..accounts.permissions import require
from ..errors import Invalid
from ..extensions import db
from ..mail import absolute_url, send_mail
from .models import GroupMembership, GroupMemberStatus, WorkingGroup

CANDIDATES = 20


def candidates(group: WorkingGroup, query: str) -> list[User]:
    """Confirmed users whose name or e-mail address contains ``query`` and who have no
    membership, request or invitation in ``group`` yet."""
    query = query.strip().lower()
    if len(query) < 2:
        return []
    pattern = f"%{query}%"
    taken = sa.select(GroupMembership.user_id).where(GroupMembership.group_id == group.id)
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                sa.or_(sa.func.lower(User.name).like(pattern), sa.func.lower(User.email).like(pattern)),
                User.email_confirmed_at.is_not(None),
                User.id.not_in(taken),
            )
            .order_by(User.name)
            .limit(CANDIDATES)
        )
    )


def invite(actor: User, group: WorkingGroup, invitee_id: int) -> GroupMembership:
    """Invite a confirmed user once; they hear of it by mail and on the group's page."""
    require(actor, "forum.invite", group)
    invitee = db.session.get(User, invitee_id)
    if invitee is None or not invitee.email_confirmed:
        raise Invalid(_l("Diese Person gibt es nicht oder sie hat ihre E-Mail-Adresse noch nicht bestätigt."))
    existing = group.membership_of(invitee)
    if existing is not None:
        raise Invalid(ALREADY[existing.status])
    membership = GroupMembership(group=group, user=invitee, status=GroupMemberStatus.INVITED)
    db.session.add(membership)
    db.session.flush()
    send_mail(
        invitee.email,
        _l("Einladung in die Arbeitsgruppe %(group)s", group=group.name),
        "forum_invitation",
        locale=invitee.locale or "de",
        recipient=invitee,
        inviter=actor,
        group=group,
        url=absolute_url("forum.group", slug=group.slug),
    )
    return membership


ALREADY = {
    GroupMemberStatus.APPROVED: _l("Diese Person ist bereits Mitglied."),
    GroupMemberStatus.INVITED: _l("Diese Person ist bereits eingeladen."),
    GroupMemberStatus.PENDING: _l(
        "Diese Person hat schon um Aufnahme gebeten. Bitte entscheiden Sie über ihre Anfrage."
    ),
}


def answer(actor: User, group: WorkingGroup, accept: bool) -> None:
    """The invitee accepts (and becomes a member) or declines (the invitation is gone)."""
    require(actor, "forum.answer_invitation", group)
    membership = group.membership_of(actor)
    if accept:
        membership.status = GroupMemberStatus.APPROVED
    else:
        db.session.delete(membership)
    db.session.flush()


def withdraw(actor: User, membership: GroupMembership) -> None:
    """A moderator takes back an invitation not yet answered."""
    require(actor, "forum.invite", membership.group)
    if membership.status != GroupMemberStatus.INVITED:
        raise Invalid(_l("Diese Einladung ist schon beantwortet."))
    db.session.delete(membership)
    db.session.flush()
