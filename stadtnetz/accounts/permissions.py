"""The one permission policy: who may do what. Views, templates, services and the API ask here.

``can(user, action, target)`` answers; ``require`` raises ``PermissionDenied``. Each action is a
small rule function registered under a dotted name, so the policy reads as a list.
"""

from collections.abc import Callable
from typing import Any

from ..errors import PermissionDenied
from .models import MembershipStatus, Organisation, OrganisationType, SiteRole

Rule = Callable[[Any, Any], bool]
_rules: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        _rules[action] = func
        return func

    return register


def can(user, action: str, target: Any = None) -> bool:
    """True if ``user`` (possibly anonymous) may perform ``action`` on ``target``."""
    if user is None or not user.is_authenticated:
        return False
    return _rules[action](user, target)


def require(user, action: str, target: Any = None) -> None:
    """Raise ``PermissionDenied`` unless ``can(user, action, target)``."""
    if not can(user, action, target):
        raise PermissionDenied(action)


def membership_of(user, organisation: Organisation):
    return next((m for m in user.memberships if m.organisation_id == organisation.id), None)


def is_organisation_admin(user, organisation: Organisation) -> bool:
    membership = membership_of(user, organisation)
    return membership is not None and membership.is_admin


@rule("moderation.access")
def _moderate(user, _target) -> bool:
    return user.is_moderator


@rule("admin.access")
def _administer(user, _target) -> bool:
    return user.site_role == SiteRole.ADMIN


@rule("federation.manage")
def _manage_federation(user, _target) -> bool:
    # Which instances we talk to is a decision for the whole site: admins only.
    return user.site_role == SiteRole.ADMIN


@rule("federation.reply")
def _reply_remote(user, thread) -> bool:
    # A remote group's thread: any confirmed user may answer, as in our own public groups.
    return user.email_confirmed and not thread.is_deleted


@rule("federation.follow")
def _follow_remote(user, _target) -> bool:
    return user.email_confirmed


@rule("federation.like")
def _like_remote(user, _target) -> bool:
    # A Like of a remote practice carries the user's name to the origin: confirmed users only.
    return user.email_confirmed


@rule("organisation.create")
def _create_organisation(user, _target) -> bool:
    return user.email_confirmed


@rule("organisation.edit")
def _edit_organisation(user, organisation) -> bool:
    return user.is_moderator or is_organisation_admin(user, organisation)


@rule("organisation.manage_members")
def _manage_members(user, organisation) -> bool:
    return user.is_moderator or is_organisation_admin(user, organisation)


@rule("organisation.manage_domains")
def _manage_domains(user, _organisation) -> bool:
    # A domain verifies everyone who confirms an address on it, so only moderators set them.
    return user.is_moderator


@rule("membership.request")
def _request_membership(user, organisation) -> bool:
    membership = membership_of(user, organisation)
    return user.email_confirmed and (
        membership is None or membership.status == MembershipStatus.DECLINED
    )


@rule("membership.leave")
def _leave_organisation(user, organisation) -> bool:
    # Leaving also withdraws a pending request; a declined one is only a record.
    membership = membership_of(user, organisation)
    return membership is not None and membership.status != MembershipStatus.DECLINED


# Practices. Targets are read by attribute only: accounts imports no feature module.
def is_verified_member(user, organisation) -> bool:
    membership = membership_of(user, organisation)
    return membership is not None and membership.is_approved


@rule("practice.create")
def _create_practice(user, organisation) -> bool:
    # Without a target: may the user write a practice for any organisation at all?
    if organisation is None:
        return user.is_verified
    return is_verified_member(user, organisation)


@rule("practice.edit")
def _edit_practice(user, practice) -> bool:
    # Also covers publishing, archiving, follow-up notes, attachments and reading the draft.
    return user.is_moderator or is_verified_member(user, practice.organisation)


@rule("practice.adopt")
def _adopt_practice(user, practice) -> bool:
    # Only for a published practice, on behalf of another organisation, once per organisation.
    taken = {practice.organisation_id} | {adoption.organisation_id for adoption in practice.adoptions}
    return practice.state.value == "published" and any(
        m.organisation_id not in taken for m in user.approved_memberships
    )


@rule("adoption.withdraw")
def _withdraw_adoption(user, adoption) -> bool:
    return user.is_moderator or is_verified_member(user, adoption.organisation)


# Forum (working groups). The targets are forum objects, used by their attributes only, so this
# policy imports no feature. Members-only groups show their threads to approved members and the
# site's moderators, nobody else; everything below builds on ``may_read_group``.


def may_read_group(user, group) -> bool:
    """True if ``user`` (possibly anonymous) may read the threads of ``group``."""
    return group.is_public or can(user, "forum.read_members_only", group)


@rule("forum.read_members_only")
def _read_members_only(user, group) -> bool:
    return user.is_moderator or group.is_member(user)


@rule("forum.create_group")
def _create_group(user, _target) -> bool:
    return user.is_moderator


@rule("forum.join_group")
def _join_group(user, group) -> bool:
    # Solution providers write in members-only groups only when the group invites them: they
    # cannot ask to join one, so peer talk among municipalities stays free of sales pitches.
    return user.email_confirmed and group.membership_of(user) is None and (
        group.is_public or not is_provider(user)
    )


@rule("forum.leave_group")
def _leave_group(user, group) -> bool:
    # Members leave, applicants withdraw; invitees answer their invitation instead.
    membership = group.membership_of(user)
    return membership is not None and membership.status != "invited"


@rule("forum.invite")
def _invite_to_group(user, group) -> bool:
    return can(user, "forum.moderate", group)


@rule("forum.answer_invitation")
def _answer_invitation(user, group) -> bool:
    membership = group.membership_of(user)
    return membership is not None and membership.status == "invited"


@rule("forum.moderate")
def _moderate_group(user, group) -> bool:
    return user.is_moderator or group.is_moderator(user)


@rule("forum.start_thread")
def _start_thread(user, group) -> bool:
    # In a public group every confirmed user may write; members-only groups need membership.
    return user.email_confirmed and (group.is_public or group.is_member(user))


@rule("forum.reply")
def _reply(user, thread) -> bool:
    return can(user, "forum.start_thread", thread.group) and (
        not thread.locked or can(user, "forum.moderate", thread.group)
    )


@rule("forum.edit_post")
def _edit_post(user, post) -> bool:
    if can(user, "forum.moderate", post.thread.group):
        return True
    return post.author_id == user.id and not post.is_deleted and can(user, "forum.reply", post.thread)


@rule("forum.edit_thread")
def _edit_thread(user, thread) -> bool:
    # The title and the linked practices: the thread's author while they may reply, and moderators.
    if can(user, "forum.moderate", thread.group):
        return True
    return thread.author_id == user.id and can(user, "forum.reply", thread)


@rule("forum.flag_post")
def _flag_post(user, post) -> bool:
    return user.email_confirmed and post.author_id != user.id and may_read_group(user, post.thread.group)


@rule("forum.see_queue")
def _see_queue(user, moderated_group_ids) -> bool:
    # ``moderated_group_ids``: the groups the user moderates, None for site moderators.
    return moderated_group_ids is None or bool(moderated_group_ids)


# Webtalks. Targets are a working group (creating) or a webtalk, read by attribute only.


def may_view_webtalk(user, webtalk) -> bool:
    """True if ``user`` (possibly anonymous) may see ``webtalk``: public, or a member's talk."""
    return webtalk.is_public or can(user, "webtalk.view_members_only", webtalk)


@rule("webtalk.view_members_only")
def _view_members_only_webtalk(user, webtalk) -> bool:
    return user.is_moderator or webtalk.group.is_member(user) or user.id in webtalk.speaker_user_ids()


@rule("webtalk.create")
def _create_webtalk(user, group) -> bool:
    return user.is_moderator or group.is_moderator(user)


@rule("webtalk.moderate")
def _moderate_webtalk(user, webtalk) -> bool:
    # Editing, cancelling and moderating the live room: site moderators and the group's moderators.
    return can(user, "webtalk.create", webtalk.group)


@rule("webtalk.register")
def _register_for_webtalk(user, webtalk) -> bool:
    return user.email_confirmed and may_view_webtalk(user, webtalk)


@rule("webtalk.enter_room")
def _enter_webtalk_room(user, webtalk) -> bool:
    # Public talks: any logged-in user. Members-only: registered participants, speakers, moderators.
    if can(user, "webtalk.moderate", webtalk) or user.id in webtalk.speaker_user_ids():
        return True
    if webtalk.is_public:
        return True
    registration = webtalk.registration_of(user)
    return registration is not None and registration.status.value == "confirmed"


@rule("search.manage_synonyms")
def _manage_synonyms(user, _target) -> bool:
    return user.site_role == SiteRole.ADMIN


# Offers and challenges. A provider is a verified member of a Lösungsanbieter; a municipal
# member one of a Kommune or Landkreis. Targets are read by attribute only.
MUNICIPAL_TYPES = (OrganisationType.KOMMUNE, OrganisationType.LANDKREIS)


def is_provider(user) -> bool:
    return any(m.organisation.type == OrganisationType.ANBIETER for m in user.approved_memberships)


def municipal_organisations(user) -> list[Organisation]:
    """The municipalities and districts ``user`` speaks for as a verified member."""
    return [m.organisation for m in user.approved_memberships if m.organisation.type in MUNICIPAL_TYPES]


@rule("offer.create")
def _create_offer(user, organisation) -> bool:
    # Without a target: may the user publish offers for any provider at all?
    if organisation is None:
        return is_provider(user)
    return organisation.type == OrganisationType.ANBIETER and is_verified_member(user, organisation)


@rule("offer.edit")
def _edit_offer(user, offer) -> bool:
    # Also covers withdrawing, naming practices as references and answering challenges with the
    # offer. A withdrawn offer is final.
    return not offer.is_withdrawn and (user.is_moderator or is_verified_member(user, offer.organisation))


@rule("offer.recommend")
def _recommend_offer(user, offer) -> bool:
    if offer.is_withdrawn:
        return False
    taken = {recommendation.organisation_id for recommendation in offer.recommendations}
    return any(organisation.id not in taken for organisation in municipal_organisations(user))


@rule("offer.confirm_reference")
def _confirm_reference(user, reference) -> bool:
    return not reference.offer.is_withdrawn and is_verified_member(user, reference.practice.organisation)


@rule("offer.watch_topics")
def _watch_topics(user, _target) -> bool:
    return is_provider(user)


@rule("challenge.create")
def _create_challenge(user, organisation) -> bool:
    if organisation is None:
        return bool(municipal_organisations(user))
    return organisation.type in MUNICIPAL_TYPES and is_verified_member(user, organisation)


@rule("challenge.answer")
def _answer_challenge(user, challenge) -> bool:
    return challenge.is_open and is_provider(user)


@rule("challenge.manage")
def _manage_challenge(user, challenge) -> bool:
    # Marking answers helpful and closing: the municipality's own verified members.
    return user.is_moderator or is_verified_member(user, challenge.organisation)


@rule("challenge.edit")
def _edit_challenge(user, challenge) -> bool:
    # The municipality changes its challenge while it is open.
    return challenge.is_open and can(user, "challenge.manage", challenge)
