"""Account views: registration, login, password reset, settings, public profile and privacy.

Views stay thin: form → service → one commit → flash/redirect/render. Forms that mail
something answer the same whether or not the address has an account.
"""

import json

import sqlalchemy as sa
from flask import Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.config import COOKIE_NAME

from ..errors import Invalid
from ..extensions import db, limiter, login_manager
from ..web import acting_user, safe_next, show_invalid
from . import bp, services
from .forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    EmailForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from .models import User

LOGIN_LIMIT = "10 per minute;50 per hour"
MAIL_LIMIT = "5 per hour"
PASSWORD_CHECK_LIMIT = "10 per hour"

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Bitte melden Sie sich an, um diese Seite zu sehen.")
login_manager.login_message_category = "info"
login_manager.localize_callback = str  # flash the message translated, as plain text
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """The user whose current session token the session or remember-me cookie carries."""
    return db.session.scalar(sa.select(User).where(User.session_token == session_token))


def _check_mail_page(text: str, retry_endpoint: str, retry_label: str):
    """The answer after anything that mails a link, the same whether or not the mail went out."""
    return render_template(
        "accounts/check_mail.html", text=text, retry_url=url_for(retry_endpoint), retry_label=retry_label
    )


def _invalid_link_page(error: Invalid, retry_endpoint: str, retry_label: str):
    """Explain why a link from a mail no longer works, and offer a fresh one."""
    return render_template(
        "accounts/invalid_link.html", message=error.message,
        retry_url=url_for(retry_endpoint), retry_label=retry_label,
    ), 400


def _log_in_again(user: User) -> None:
    """Renew this session after the session token rotated, keeping remember-me if it was on."""
    login_user(user, remember=COOKIE_NAME in request.cookies)


@bp.route("/registrieren", methods=["GET", "POST"])
@limiter.limit(MAIL_LIMIT, methods=["POST"])
def register():
    """Create an account; the confirmation link comes by mail."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.settings"))
    form = RegisterForm()
    if form.validate_on_submit():
        services.register(form.name.data, form.email.data, form.password.data)
        db.session.commit()
        return _check_mail_page(
            _("Wir haben eine E-Mail an %(email)s geschickt. Bitte folgen Sie dem Link darin, "
              "um Ihre Adresse zu bestätigen.", email=form.email.data),
            "accounts.resend_confirmation", _("Bestätigungslink erneut senden"),
        )
    return render_template("accounts/register.html", form=form)


@bp.route("/registrieren/bestaetigen/<token>")
def confirm_email(token: str):
    """Confirm an address through the link from the mail."""
    try:
        services.confirm_email(token)
    except Invalid as error:
        return _invalid_link_page(
            error, "accounts.resend_confirmation", _("Neuen Bestätigungslink anfordern")
        )
    db.session.commit()
    flash(_("Vielen Dank, Ihre E-Mail-Adresse ist bestätigt."), "success")
    return redirect(url_for("accounts.settings" if current_user.is_authenticated else "accounts.login"))


@bp.route("/registrieren/erneut-senden", methods=["GET", "POST"])
@limiter.limit(MAIL_LIMIT, methods=["POST"])
def resend_confirmation():
    """Send the confirmation link again."""
    form = EmailForm()
    if request.method == "GET" and current_user.is_authenticated:
        form.email.data = current_user.email
    if form.validate_on_submit():
        services.resend_confirmation(form.email.data)
        db.session.commit()
        return _check_mail_page(
            _("Wenn zu %(email)s ein unbestätigtes Konto gehört, ist ein neuer Bestätigungslink "
              "unterwegs.", email=form.email.data),
            "accounts.resend_confirmation", _("Bestätigungslink erneut senden"),
        )
    return render_template("accounts/resend_confirmation.html", form=form)


@bp.route("/anmelden", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login():
    """Log in with address and password; ``next`` leads back, but only within the site."""
    next_url = safe_next(request.args.get("next"), url_for("home.index"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            flash(_("Sie sind angemeldet."), "success")
            return redirect(next_url)
        form.password.errors.append(_("E-Mail-Adresse oder Passwort ist falsch."))
    return render_template("accounts/login.html", form=form)


@bp.post("/abmelden")
def logout():
    """End this session and forget the remember-me cookie."""
    logout_user()
    flash(_("Sie sind abgemeldet."), "success")
    return redirect(url_for("home.index"))


@bp.route("/passwort-vergessen", methods=["GET", "POST"])
@limiter.limit(MAIL_LIMIT, methods=["POST"])
def forgot_password():
    """Ask for a reset link; the answer never says whether the address has an account."""
    form = EmailForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        return _check_mail_page(
            _("Wenn zu %(email)s ein Konto gehört, haben wir einen Link zum Zurücksetzen des "
              "Passworts dorthin geschickt. Er ist %(hours)d Stunden gültig.",
              email=form.email.data, hours=current_app.config["TOKEN_MAX_AGE"] // 3600),
            "accounts.forgot_password", _("Neuen Link anfordern"),
        )
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/passwort-neu/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through the link from the mail; all other sessions end."""
    try:
        services.user_for_reset_token(token)
    except Invalid as error:
        return _invalid_link_page(error, "accounts.forgot_password", _("Neuen Link anfordern"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = services.reset_password(token, form.password.data)
        db.session.commit()
        logout_user()
        login_user(user)
        flash(_("Ihr Passwort ist geändert. Alle anderen Sitzungen wurden beendet."), "success")
        return redirect(url_for("accounts.settings"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/konto", methods=["GET", "POST"])
@login_required
def settings():
    """The profile form, the memberships and the ways to the other account settings."""
    form = ProfileForm(obj=current_user)
    if request.method == "GET":
        form.locale.data = current_user.locale or ""
    if form.validate_on_submit():
        try:
            services.update_profile(
                acting_user(), form.name.data, form.job_title.data, form.bio.data, form.locale.data
            )
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Ihr Profil ist gespeichert."), "success")
            return redirect(url_for("accounts.settings"))
    memberships = sorted(current_user.memberships, key=lambda m: m.organisation.name.casefold())
    return render_template("accounts/settings.html", form=form, memberships=memberships)


@bp.route("/konto/passwort", methods=["GET", "POST"])
@login_required
@limiter.limit(PASSWORD_CHECK_LIMIT, methods=["POST"])
def change_password():
    """Change the password; this session stays, every other one ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(acting_user(), form.current_password.data, form.password.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            _log_in_again(acting_user())
            flash(_("Ihr Passwort ist geändert. Alle anderen Sitzungen wurden beendet."), "success")
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/konto/email", methods=["GET", "POST"])
@login_required
@limiter.limit(PASSWORD_CHECK_LIMIT, methods=["POST"])
def change_email():
    """Ask for a new login address; it counts once confirmed through the link sent to it."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        try:
            services.request_email_change(acting_user(), form.password.data, form.email.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(
                _("Wir haben einen Bestätigungslink an %(email)s geschickt. Bis Sie ihm folgen, "
                  "bleibt Ihre bisherige Adresse gültig.", email=form.email.data),
                "success",
            )
            return redirect(url_for("accounts.settings"))
    return render_template("accounts/change_email.html", form=form)


@bp.route("/konto/email/bestaetigen/<token>")
def confirm_new_email(token: str):
    """Make the new address the login address through the link sent to it."""
    try:
        user = services.confirm_email_change(token)
    except Invalid as error:
        return _invalid_link_page(error, "accounts.change_email", _("E-Mail-Adresse erneut ändern"))
    db.session.commit()
    flash(_("Ihre neue E-Mail-Adresse %(email)s ist bestätigt.", email=user.email), "success")
    return redirect(url_for("accounts.settings" if current_user.is_authenticated else "accounts.login"))


@bp.route("/personen/<int:user_id>")
def profile(user_id: int):
    """A person's public profile: name, function, text and verified organisations."""
    user = db.get_or_404(User, user_id)
    return render_template("accounts/profile.html", person=user)


@bp.route("/konto/daten", methods=["GET", "POST"])
@login_required
def export_data():
    """Explain what is stored; a POST downloads all of it as JSON."""
    if request.method == "GET":
        return render_template("accounts/export_data.html")
    data = services.export_personal_data(acting_user())
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={
            "Content-Disposition": f"attachment; filename=stadtnetz-daten-{current_user.id}.json",
            "Cache-Control": "no-store",
        },
    )


@bp.route("/konto/loeschen", methods=["GET", "POST"])
@login_required
@limiter.limit(PASSWORD_CHECK_LIMIT, methods=["POST"])
def delete_account():
    """Delete the account after the password is confirmed; content stays unless asked."""
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            services.delete_account(acting_user(), form.password.data, form.delete_content.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            logout_user()
            flash(_("Ihr Konto ist gelöscht. Eine Bestätigung ist per E-Mail unterwegs."), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/delete_account.html", form=form)
