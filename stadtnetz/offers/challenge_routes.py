"""Challenge pages: the list, posting and editing a challenge, its page with matching practices (peer
knowledge first) and offers, providers' answers, marking them helpful, closing, and the
providers' choice of Handlungsfelder to watch."""

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields import SelectChoice

from .. import search
from ..accounts.permissions import can, municipal_organisations, require
from ..errors import Invalid
from ..extensions import db
from ..web import acting_user, show_invalid
from . import bp, challenges
from .forms import AnswerForm, ChallengeForm, CloseForm, HelpfulForm, WatchForm
from .models import ChallengeAnswer, Offer

PER_PAGE = 20


@bp.route("/gesuche")
def challenge_list():
    """Challenges of municipalities, open ones first by deadline."""
    page = challenges.challenge_page(request.args.get("page", 1, type=int), PER_PAGE)
    return render_template("offers/challenges.html", page=page)


@bp.route("/gesuche/neu", methods=["GET", "POST"])
@login_required
def create_challenge():
    """Describe a problem the municipality wants solved."""
    require(current_user, "challenge.create")
    organisations = municipal_organisations(current_user)
    form = ChallengeForm()
    form.organisation.choices = [SelectChoice(o.id, o.name) for o in organisations]
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation.data)
        try:
            challenge = challenges.create_challenge(acting_user(), organisation, form.service_data())
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Das Gesuch ist veröffentlicht. Anbieter, die dieses Handlungsfeld beobachten, werden "
                    "benachrichtigt."), "success")
            return redirect(challenge.url)
    return render_template("offers/challenge_edit.html", form=form)


@bp.route("/gesuche/<int:challenge_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit_challenge(challenge_id: int):
    """The municipality changes its open challenge with the form it posted it with."""
    found = challenges.get_challenge(challenge_id)
    require(current_user, "challenge.edit", found)
    form = ChallengeForm(data=None if request.method == "POST" else ChallengeForm.data_of(found))
    del form.organisation
    if form.validate_on_submit():
        try:
            challenges.update_challenge(acting_user(), found, form.service_data())
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Die Änderungen sind gespeichert. Die passenden Praxisbeispiele und Angebote werden neu "
                    "gesucht."), "success")
            return redirect(found.url)
    return render_template("offers/challenge_edit.html", form=form, challenge=found)


@bp.route("/gesuche/<int:challenge_id>")
@bp.route("/gesuche/<int:challenge_id>-<slug>")
def challenge(challenge_id: int, slug: str | None = None):
    """A challenge with matching practices and offers, its answers and what was chosen."""
    found = challenges.get_challenge(challenge_id)
    if slug != found.slug:
        return redirect(found.url, code=301)
    return render_challenge(found)


def _own_offers(challenge) -> list[Offer]:
    """The offers the viewer may answer ``challenge`` with (those not used for it yet)."""
    if not can(current_user, "challenge.answer", challenge):
        return []
    used = {a.offer_id for a in challenge.answers}
    ids = [m.organisation_id for m in current_user.approved_memberships]
    query = db.select(Offer).where(Offer.organisation_id.in_(ids), Offer.withdrawn_at.is_(None))
    return [o for o in db.session.scalars(query.order_by(Offer.title)) if o.id not in used]


def render_challenge(found, **forms):
    answer_form = forms.get("answer_form") or AnswerForm()
    answer_form.offer.choices = [SelectChoice(o.id, o.title) for o in _own_offers(found)]
    close_form = forms.get("close_form") or CloseForm()
    close_form.chosen.choices = _chosen_choices(found)
    practices, offers = challenges.matches(found, current_user)
    return render_template("offers/challenge.html", challenge=found, practices=practices, offers=offers,
                           search_pending=search.is_pending(found), answer_form=answer_form,
                           close_form=close_form, helpful_form=HelpfulForm())


def _chosen_choices(found) -> list[SelectChoice]:
    return [SelectChoice(0, _("Keine der Antworten"))] + [
        SelectChoice(a.id, f"{a.offer.title} ({a.offer.organisation.name})") for a in found.answers
        if not a.offer.is_withdrawn]


@bp.post("/gesuche/<int:challenge_id>/antworten")
@login_required
def answer(challenge_id: int):
    """A provider answers with one of its offers."""
    found = challenges.get_challenge(challenge_id)
    require(current_user, "challenge.answer", found)
    form = AnswerForm()
    offers = _own_offers(found)
    form.offer.choices = [SelectChoice(o.id, o.title) for o in offers]
    if form.validate_on_submit():
        offer = next(o for o in offers if o.id == form.offer.data)
        try:
            challenges.answer(acting_user(), found, offer, form.message.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Ihre Antwort ist eingetragen. Die Kommune wird benachrichtigt."), "success")
            return redirect(found.url)
    return render_challenge(found, answer_form=form), 400


@bp.post("/gesuche/antworten/<int:answer_id>/hilfreich")
@login_required
def mark_answer(answer_id: int):
    """The municipality marks an answer as helpful, or takes the mark back."""
    reply = db.get_or_404(ChallengeAnswer, answer_id)
    require(current_user, "challenge.manage", reply.challenge)
    form = HelpfulForm()
    if not form.validate():
        abort(400)
    challenges.mark_helpful(acting_user(), reply, helpful=form.helpful.data == "1")
    db.session.commit()
    flash(_("Die Antwort ist als hilfreich markiert.") if reply.is_helpful
          else _("Die Markierung ist entfernt."), "success")
    return redirect(reply.challenge.url)


@bp.post("/gesuche/<int:challenge_id>/abschliessen")
@login_required
def close(challenge_id: int):
    """Close the challenge with what the municipality chose."""
    found = challenges.get_challenge(challenge_id)
    require(current_user, "challenge.manage", found)
    form = CloseForm()
    form.chosen.choices = _chosen_choices(found)
    if form.validate_on_submit():
        chosen = next((a for a in found.answers if a.id == form.chosen.data), None)
        try:
            challenges.close_challenge(acting_user(), found, form.outcome.data, chosen)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Das Gesuch ist abgeschlossen. Danke, dass Sie Ihre Entscheidung teilen."), "success")
            return redirect(found.url)
    return render_challenge(found, close_form=form), 400


@bp.route("/gesuche/beobachten", methods=["GET", "POST"])
@login_required
def watch():
    """A provider chooses the Handlungsfelder whose new challenges reach them by mail."""
    require(current_user, "offer.watch_topics")
    watched = None if request.method == "POST" else {"topics": challenges.watched_topics(current_user)}
    form = WatchForm(data=watched)
    if form.validate_on_submit():
        challenges.watch_topics(acting_user(), form.topics.data)
        db.session.commit()
        flash(_("Ihre Auswahl ist gespeichert."), "success")
        return redirect(request.path)
    return render_template("offers/watch.html", form=form)
