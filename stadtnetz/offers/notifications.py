"""Who hears of challenges, answers and references: providers watching a Handlungsfeld are told
of new challenges in it, a municipality's verified members of answers to its challenges and of
offers that name one of its practices as a reference (to confirm or decline). Mail goes
out through the mail outbox and follows each person's forum mail choice: "keine E-Mails"
silences these too.
"""

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..accounts.models import User
from ..accounts.permissions import is_provider
from ..extensions import db
from ..forum.activity_models import MailMode
from ..forum.notifications import mail_mode
from ..mail import absolute_url, send_mail
from .models import Challenge, ChallengeAnswer, OfferReference, TopicWatch


def _mail(user: User, subject, template: str, **context) -> None:
    if not user.email_confirmed or mail_mode(user) == MailMode.NEVER:
        return
    send_mail(user.email, subject, template, locale=user.locale or "de", recipient=user, **context)


def challenge_posted(challenge: Challenge) -> list[User]:
    """Mail the providers who watch one of the challenge's Handlungsfelder; return them."""
    topics = [row.topic for row in challenge.topic_rows]
    users = db.session.scalars(
        sa.select(User).join(TopicWatch, TopicWatch.user_id == User.id)
        .where(TopicWatch.topic.in_(topics), User.id != (challenge.author_id or 0))
        .distinct().order_by(User.id)
    ).all()
    told = [user for user in users if is_provider(user)]
    link = absolute_url("offers.challenge", challenge_id=challenge.id, slug=challenge.slug)
    for user in told:
        _mail(user, _l("Neues Gesuch: %(title)s", title=challenge.title), "offers_new_challenge",
              challenge=challenge, link=link)
    return told


def _verified_members(organisation) -> list[User]:
    return sorted({m.user for m in organisation.memberships if m.is_approved}, key=lambda u: u.id)


def answer_received(reply: ChallengeAnswer) -> list[User]:
    """Mail the challenge's municipality (its verified members) that a provider answered."""
    challenge = reply.challenge
    told = _verified_members(challenge.organisation)
    link = absolute_url("offers.challenge", challenge_id=challenge.id, slug=challenge.slug)
    for user in told:
        _mail(user, _l("Neue Antwort auf Ihr Gesuch „%(title)s“", title=challenge.title), "offers_answer",
              reply=reply, challenge=challenge, link=link)
    return told


def reference_proposed(reference: OfferReference) -> list[User]:
    """Ask the practice's organisation (its verified members) to confirm or decline a reference."""
    practice = reference.practice
    told = _verified_members(practice.organisation)
    link = current_app.config["BASE_URL"] + practice.url
    for user in told:
        subject = _l("Bitte bestätigen: Wurde „%(offer)s“ bei „%(practice)s“ eingesetzt?",
                     offer=reference.offer.title, practice=practice.title)
        _mail(user, subject, "offers_reference", reference=reference, link=link)
    return told
