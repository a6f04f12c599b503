"""Membership and role services: joining an organisation (automatically through its e-mail
domains, otherwise by request), deciding requests, organisation roles, leaving, and site roles.

Whoever decides is told by mail: an organisation's approved admins, or the instance's
moderators while it has none. The requester hears the decision in their own language.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..database import utcnow
from ..errors import Invalid
from ..extensions import db
from ..mail import absolute_url, send_mail
from .models import Membership, MembershipRole, MembershipStatus, Organisation, SiteRole, User
from .permissions import membership_of, require
from .services import hash_password, normalise_email, user_by_email


def email_domain(email: str) -> str:
    """The part after the @, lower-cased: what an organisation's domains are compared with."""
    return email.rpartition("@")[2].lower()


def _deciders(organisation: Organisation) -> list[User]:
    """Who decides requests: the approved admins, or the moderators while there are none."""
    admins = [m.user for m in organisation.memberships if m.is_admin]
    if admins:
        return admins
    return list(db.session.scalars(
        sa.select(User).where(User.site_role.in_([SiteRole.MODERATOR, SiteRole.ADMIN])).order_by(User.id)
    ))


def notify_deciders(membership: Membership) -> None:
    """Mail everyone who may decide a pending request (a new organisation's admin included)."""
    organisation, requester = membership.organisation, membership.user
    if membership.role == MembershipRole.ADMIN:
        subject = _l("Neue Organisation %(organisation)s wartet auf Bestätigung",
                     organisation=organisation.name)
    else:
        subject = _l("Beitrittsanfrage für %(organisation)s", organisation=organisation.name)
    url = absolute_url("accounts.organisation_members", slug=organisation.slug)
    for decider in _deciders(organisation):
        if decider.id == requester.id:
            continue  # a moderator asking to join needs no mail about it
        send_mail(decider.email, subject, "membership_request", locale=decider.locale or "de",
                  recipient=decider, requester=requester, organisation=organisation,
                  membership=membership, url=url)


def mark_approved(membership: Membership, decider: User | None) -> None:
    """Record an approval; ``decider`` is None when the e-mail domain verified the member."""
    membership.status = MembershipStatus.APPROVED
    membership.decided_at, membership.decided_by = utcnow(), decider


def request_membership(actor: User, organisation: Organisation, message: str = "") -> Membership:
    """Ask to join; a confirmed address at one of the organisation's domains joins at once."""
    require(actor, "membership.request", organisation)
    membership = membership_of(actor, organisation)
    if membership is None:
        membership = Membership(user=actor, organisation=organisation)
        db.session.add(membership)
    membership.role, membership.status = MembershipRole.MEMBER, MembershipStatus.PENDING
    membership.message, membership.requested_at = message.strip(), utcnow()
    membership.decided_at, membership.decided_by = None, None
    if email_domain(actor.email) in {d.domain for d in organisation.domains}:
        mark_approved(membership, None)
        db.session.flush()
    else:
        db.session.flush()
        notify_deciders(membership)
    return membership


def decide_membership(actor: User, membership: Membership, approved: bool) -> None:
    """Approve or decline a pending request and tell the requester."""
    organisation, requester = membership.organisation, membership.user
    require(actor, "organisation.manage_members", organisation)
    if membership.status != MembershipStatus.PENDING:
        raise Invalid(_("Über diese Anfrage wurde bereits entschieden."))
    if approved:
        mark_approved(membership, actor)
        subject = _l("Sie sind jetzt Mitglied von %(organisation)s", organisation=organisation.name)
    else:
        membership.status = MembershipStatus.DECLINED
        membership.decided_at, membership.decided_by = utcnow(), actor
        subject = _l("Ihre Anfrage bei %(organisation)s wurde abgelehnt", organisation=organisation.name)
    db.session.flush()
    send_mail(requester.email, subject, "membership_decision", locale=requester.locale or "de",
              recipient=requester, organisation=organisation, membership=membership,
              url=absolute_url("accounts.organisation", slug=organisation.slug))


def approved_admin_count(organisation: Organisation) -> int:
    """How many approved admins the organisation has."""
    return sum(m.is_admin for m in organisation.memberships)


def _keep_an_admin(actor: User, membership: Membership) -> None:
    """The last approved admin may not drop out on their own; a moderator may make it so."""
    if (membership.is_admin and membership.user_id == actor.id and not actor.is_moderator
            and approved_admin_count(membership.organisation) <= 1):
        raise Invalid(_("Sie sind die einzige Person, die diese Organisation verwaltet. Ernennen Sie "
                        "zuerst ein weiteres Mitglied zur Administration oder wenden Sie sich an "
                        "die Moderation."))


def change_role(actor: User, membership: Membership, role: MembershipRole) -> None:
    """Make an approved member an admin, or an admin a member."""
    require(actor, "organisation.manage_members", membership.organisation)
    if not membership.is_approved:
        raise Invalid(_("Nur bestätigte Mitglieder können eine Rolle erhalten."))
    if role == MembershipRole.MEMBER:
        _keep_an_admin(actor, membership)
    membership.role = role
    db.session.flush()


def remove_membership(actor: User, membership: Membership) -> None:
    """Remove a member from the organisation."""
    require(actor, "organisation.manage_members", membership.organisation)
    _keep_an_admin(actor, membership)
    db.session.delete(membership)
    db.session.flush()


def leave_organisation(actor: User, organisation: Organisation) -> None:
    """Leave an organisation, or withdraw one's pending request."""
    require(actor, "membership.leave", organisation)
    membership = membership_of(actor, organisation)
    _keep_an_admin(actor, membership)
    db.session.delete(membership)
    db.session.flush()


def users_query(q: str = "") -> sa.Select:
    """Users by name, filtered by a part of their name or address."""
    query = sa.select(User)
    if q.strip():
        query = query.where(sa.or_(User.name.icontains(q.strip(), autoescape=True),
                                   User.email.icontains(q.strip(), autoescape=True)))
    return query.order_by(sa.func.lower(User.name), User.id)


def set_site_role(actor: User, user: User, role: SiteRole) -> None:
    """Give a user a role on the whole instance; the last admin cannot step down."""
    require(actor, "admin.access")
    admins = db.session.scalar(sa.select(sa.func.count(User.id)).where(User.site_role == SiteRole.ADMIN))
    if user.id == actor.id and role != SiteRole.ADMIN and admins <= 1:
        raise Invalid(_("Sie sind die einzige Administratorin bzw. der einzige Administrator. Ernennen "
                        "Sie zuerst eine weitere Person, bevor Sie Ihre Rolle ändern."), "role")
    user.site_role = role
    db.session.flush()


def appoint_admin(email: str, name: str = "", password: str | None = None) -> tuple[User, bool]:
    """Make the account at ``email`` a confirmed admin, creating it (with ``name`` and
    ``password``) if there is none; True if it was created. For the operator's command line."""
    user = user_by_email(email)
    created = user is None
    if created:
        user = User(email=normalise_email(email), name=name.strip(), password_hash=hash_password(password))
        db.session.add(user)
    user.site_role = SiteRole.ADMIN
    user.email_confirmed_at = user.email_confirmed_at or utcnow()
    db.session.flush()
    return user, created
