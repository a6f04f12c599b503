"""Mail to the people registered for a talk, each with the talk's current ``.ics`` attached."""

from ..mail import send_mail
from . import calendar
from .models import Registration, RegistrationStatus, Webtalk


def mail_registration(registration: Registration, subject, template: str, **context) -> None:
    """Mail one registrant (``templates/mail/<template>.txt``) about their talk."""
    talk, user = registration.webtalk, registration.user
    send_mail(
        user.email,
        subject,
        template,
        locale=user.locale or "de",
        attachments=[calendar.attachment(talk)],
        user=user,
        talk=talk,
        registration=registration,
        page_url=calendar.public_url(talk.url),
        room_url=calendar.public_url(talk.room_url),
        **context,
    )


def mail_registrants(talk: Webtalk, subject, template: str) -> None:
    """Mail everyone registered or waiting (not those who cancelled)."""
    for registration in talk.registrations:
        if registration.status != RegistrationStatus.CANCELLED:
            mail_registration(registration, subject, template)
