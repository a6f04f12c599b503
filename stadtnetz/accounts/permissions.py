"""The one permission policy: who may do what. Views, templates, services and the API ask here.

``can(user, action, target)`` answers; ``require`` raises ``PermissionDenied``. Each action is a
small rule function registered under a dotted name, so the policy reads as a list.
"""

from collections.abc import Callable
from typing import Any

from ..errors import PermissionDenied
from .models import MembershipStatus, Organisation, SiteRole

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
