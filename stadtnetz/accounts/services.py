"""Account rules: registration, confirmation, login, password reset and changes of address.

No function here reveals whether an address has an account: where an address is unknown or
already taken, the caller gets the same answer and the mailbox owner gets a mail instead.
Services only ``flush()``; the view commits.
"""

import secrets

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import utcnow
from ..errors import Invalid
from ..extensions import db
from ..mail import absolute_url, send_mail
from ..signals import account_deleting, collect_personal_data
from .models import User
from .tokens import Purpose, fingerprint, make_token, read_token

_dummy_hashes: dict[str, str] = {}


def hash_password(password: str) -> str:
    """Hash ``password`` with the configured current algorithm (scrypt by default)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


def password_matches(user: User, password: str) -> bool:
    """True if ``password`` is the user's password."""
    return check_password_hash(user.password_hash, password)


def normalise_email(email: str) -> str:
    """The form addresses are stored and compared in."""
    return (email or "").strip().lower()


def user_by_email(email: str) -> User | None:
    """The user whose login address is ``email``, if any."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def rotate_session_token(user: User) -> None:
    """End every session and remember-me cookie of ``user`` (they carry the old token)."""
    user.session_token = secrets.token_urlsafe(32)


def _mail_locale(user: User | None) -> str:
    """The user's language, else the language of the page they are using."""
    return (user and user.locale) or str(get_locale() or "de")


def _confirmation_link(user: User) -> str:
    """A link that confirms the user's current address (and no later one)."""
    token = make_token(Purpose.CONFIRM_EMAIL, {"uid": user.id, "email": user.email})
    return absolute_url("accounts.confirm_email", token=token)


def _reset_link(user: User) -> str:
    """A reset link that dies with the current password hash: single use."""
    token = make_token(Purpose.RESET_PASSWORD, {"uid": user.id, "pw": fingerprint(user.password_hash)})
    return absolute_url("accounts.reset_password", token=token)


def register(name: str, email: str, password: str) -> User | None:
    """Create an unconfirmed account and mail the confirmation link.

    If the address is taken, nothing is created and its owner is told instead (with a reset
    link), so the form answers the same either way. Returns the new user, or None.
    """
    existing = user_by_email(email)
    if existing is not None:
        send_mail(
            existing.email, _l("Sie haben bereits ein Konto bei Stadtnetz"), "account_exists",
            locale=_mail_locale(existing), user=existing, reset_link=_reset_link(existing),
            login_link=absolute_url("accounts.login"),
            confirm_link=None if existing.email_confirmed else _confirmation_link(existing),
        )
        return None
    user = User(name=name.strip(), email=normalise_email(email), password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    """Mail ``user`` a link that confirms their address."""
    send_mail(
        user.email, _l("Bitte bestätigen Sie Ihre E-Mail-Adresse"), "account_confirm",
        locale=_mail_locale(user), user=user, confirm_link=_confirmation_link(user),
    )


def resend_confirmation(email: str) -> None:
    """Send a new confirmation link if ``email`` belongs to an unconfirmed account."""
    user = user_by_email(email)
    if user is not None and not user.email_confirmed:
        send_confirmation(user)


def confirm_email(token: str) -> User:
    """Mark the address in ``token`` as confirmed; Invalid if the link is bad or outdated."""
    data = read_token(Purpose.CONFIRM_EMAIL, token) or {}
    user = db.session.get(User, data.get("uid", 0))
    if user is None or user.email != data.get("email"):
        raise Invalid(_l("Der Bestätigungslink ist ungültig oder abgelaufen."))
    if not user.email_confirmed:
        user.email_confirmed_at = utcnow()
    return user


def _dummy_hash() -> str:
    """A hash of a random password, made once per hash method, to check unknown logins against."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _dummy_hashes:
        _dummy_hashes[method] = hash_password(secrets.token_urlsafe(16))
    return _dummy_hashes[method]


def authenticate(email: str, password: str) -> User | None:
    """The user with this address and password, else None; records the login time."""
    user = user_by_email(email)
    if user is None:
        # Check a hash anyway, so the answer takes as long as for a real account.
        check_password_hash(_dummy_hash(), password)
        return None
    if not password_matches(user, password):
        return None
    user.last_login_at = utcnow()
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if ``email`` has an account; otherwise do nothing, visibly the same."""
    user = user_by_email(email)
    if user is not None:
        send_mail(
            user.email, _l("Passwort zurücksetzen"), "account_reset_password",
            locale=_mail_locale(user), user=user, reset_link=_reset_link(user),
        )


def user_for_reset_token(token: str) -> User:
    """The user a reset link is for; Invalid once it expired or the password changed since."""
    data = read_token(Purpose.RESET_PASSWORD, token) or {}
    user = db.session.get(User, data.get("uid", 0))
    if user is None or fingerprint(user.password_hash) != data.get("pw"):
        raise Invalid(_l("Der Link zum Zurücksetzen ist ungültig, abgelaufen oder wurde schon benutzt."))
    return user


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link; the link and every session end with it."""
    user = user_for_reset_token(token)
    _set_password(user, new_password)
    # The mail proved the user owns the address, so an unconfirmed address is confirmed now.
    if not user.email_confirmed:
        user.email_confirmed_at = utcnow()
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password after checking the current one; other sessions end."""
    if not password_matches(user, current_password):
        raise Invalid(_l("Das aktuelle Passwort stimmt nicht."), "current_password")
    _set_password(user, new_password)


def _set_password(user: User, new_password: str) -> None:
    user.password_hash = hash_password(new_password)
    rotate_session_token(user)
    send_mail(
        user.email, _l("Ihr Passwort wurde geändert"), "account_password_changed",
        locale=_mail_locale(user), user=user, forgot_password_link=absolute_url("accounts.forgot_password"),
    )


def update_profile(user: User, name: str, job_title: str, bio: str, locale: str | None) -> None:
    """Save the public profile and the language setting (None: follow the browser)."""
    if locale and locale not in current_app.config["LANGUAGES"]:
        raise Invalid(_l("Diese Sprache gibt es nicht."), "locale")
    user.name = name.strip()
    user.job_title = job_title.strip()
    user.bio = bio.strip()
    user.locale = locale or None


def request_email_change(user: User, password: str, new_email: str) -> None:
    """Ask the new address to confirm the change and tell the old one.

    An address that already has an account is not stored as pending; its owner gets a notice
    instead, and the caller sees the same answer.
    """
    if not password_matches(user, password):
        raise Invalid(_l("Das Passwort stimmt nicht."), "password")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise Invalid(_l("Das ist bereits Ihre E-Mail-Adresse."), "email")
    locale = _mail_locale(user)
    if user_by_email(new_email) is not None:
        send_mail(new_email, _l("Ihre Adresse wurde bei Stadtnetz angegeben"), "account_email_in_use",
                  locale=locale, login_link=absolute_url("accounts.login"))
    else:
        user.pending_email = new_email
        token = make_token(Purpose.CHANGE_EMAIL, {"uid": user.id, "email": new_email})
        confirm_link = absolute_url("accounts.confirm_new_email", token=token)
        send_mail(new_email, _l("Bitte bestätigen Sie Ihre neue E-Mail-Adresse"), "account_email_change",
                  locale=locale, user=user, confirm_link=confirm_link)
    send_mail(
        user.email, _l("Änderung Ihrer E-Mail-Adresse beantragt"), "account_email_change_notice",
        locale=locale, user=user, new_email=new_email,
        forgot_password_link=absolute_url("accounts.forgot_password"),
    )


def confirm_email_change(token: str) -> User:
    """Make the pending address the login address; only the latest request's link works."""
    data = read_token(Purpose.CHANGE_EMAIL, token) or {}
    user = db.session.get(User, data.get("uid", 0))
    if user is None or not user.pending_email or user.pending_email != data.get("email"):
        raise Invalid(_l("Der Bestätigungslink ist ungültig, abgelaufen oder wurde schon benutzt."))
    if user_by_email(user.pending_email) is not None:
        # Someone registered the address meanwhile; it cannot be taken over.
        raise Invalid(_l("Diese E-Mail-Adresse kann nicht mehr übernommen werden."))
    user.email = user.pending_email
    user.pending_email = None
    user.email_confirmed_at = utcnow()
    return user


def _iso(moment) -> str | None:
    """A time for the export, as ISO 8601 text."""
    return moment.isoformat() if moment else None


@collect_personal_data.connect
def _export_account(_sender, user: User, export: dict, **_kw) -> None:
    """Add the profile, addresses, dates and memberships (never the password or session)."""
    export["account"] = {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "email_confirmed_at": _iso(user.email_confirmed_at),
        "pending_email": user.pending_email,
        "job_title": user.job_title,
        "bio": user.bio,
        "locale": user.locale,
        "site_role": user.site_role.value,
        "created_at": _iso(user.created_at),
        "last_login_at": _iso(user.last_login_at),
    }
    export["memberships"] = [
        {
            "organisation": membership.organisation.name,
            "organisation_slug": membership.organisation.slug,
            "role": membership.role.value,
            "status": membership.status.value,
            "message": membership.message,
            "requested_at": _iso(membership.requested_at),
            "decided_at": _iso(membership.decided_at),
        }
        for membership in user.memberships
    ]


def export_personal_data(user: User) -> dict:
    """Everything the instance stores about ``user``, collected from every module."""
    export = {"exported_at": _iso(utcnow()), "instance": current_app.config["BASE_URL"]}
    collect_personal_data.send(current_app._get_current_object(), user=user, export=export)
    return export


def delete_account(user: User, password: str, delete_content: bool) -> None:
    """Delete ``user`` after checking the password; modules detach or delete their content."""
    if not password_matches(user, password):
        raise Invalid(_l("Das Passwort stimmt nicht."), "password")
    account_deleting.send(current_app._get_current_object(), user=user, delete_content=delete_content)
    send_mail(
        user.email, _l("Ihr Stadtnetz-Konto wurde gelöscht"), "account_goodbye",
        locale=_mail_locale(user), user=user, delete_content=delete_content,
    )
    db.session.delete(user)
    db.session.flush()
