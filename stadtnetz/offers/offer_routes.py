"""Offer pages: the list, publishing, editing and withdrawing, an offer's page with its confirmed
references and recommendations, naming and confirming references, and the section on a
practice's page."""

import re

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields import SelectChoice

from .. import search
from ..accounts.permissions import can, require
from ..errors import Invalid
from ..extensions import db
from ..practices.models import Practice
from ..web import acting_user, page_section, show_invalid
from . import bp, services
from .forms import ActionForm, OfferForm, RecommendationForm, ReferenceForm
from .models import Offer, OfferReference

PER_PAGE = 20
_PRACTICE_ID = re.compile(r"^\s*(?:.*/praxisbeispiele/)?(\d+)(?:-[^/]*)?/?\s*$")


@bp.route("/angebote")
def index():
    """Every offer not withdrawn, newest first, each labelled as provider content."""
    page = db.paginate(db.select(Offer).where(Offer.withdrawn_at.is_(None)).order_by(Offer.created_at.desc()),
                       page=request.args.get("page", 1, type=int), per_page=PER_PAGE, error_out=False)
    return render_template("offers/index.html", page=page)


@bp.route("/angebote/neu", methods=["GET", "POST"])
@login_required
def create():
    """Publish an offer for one of the user's provider organisations."""
    require(current_user, "offer.create")
    providers = [m.organisation for m in current_user.approved_memberships
                 if can(current_user, "offer.create", m.organisation)]
    form = OfferForm()
    form.organisation.choices = [SelectChoice(o.id, o.name) for o in providers]
    if form.validate_on_submit():
        organisation = next(o for o in providers if o.id == form.organisation.data)
        try:
            offer = services.create_offer(acting_user(), organisation, form.service_data())
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Das Angebot ist veröffentlicht. Es erscheint als Anbieterinhalt gekennzeichnet."),
                  "success")
            return redirect(offer.url)
    return render_template("offers/edit.html", form=form)


@bp.route("/angebote/<int:offer_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(offer_id: int):
    """Change the offer with the form it was published with (its provider stays)."""
    offer = services.get_offer(offer_id)
    require(current_user, "offer.edit", offer)
    form = OfferForm(data=None if request.method == "POST" else OfferForm.data_of(offer))
    del form.organisation
    if form.validate_on_submit():
        try:
            services.update_offer(acting_user(), offer, form.service_data())
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Die Änderungen sind gespeichert."), "success")
            return redirect(offer.url)
    return render_template("offers/edit.html", form=form, offer=offer)


@bp.post("/angebote/<int:offer_id>/zurueckziehen")
@login_required
def withdraw(offer_id: int):
    """Withdraw the offer: it leaves lists, search, the API and challenge matches."""
    offer = services.get_offer(offer_id)
    require(current_user, "offer.edit", offer)
    if not ActionForm().validate():
        abort(400)
    services.withdraw_offer(acting_user(), offer)
    db.session.commit()
    flash(_("Das Angebot ist zurückgezogen. Es erscheint nicht mehr in Listen, in der Suche und bei "
            "Gesuchen."), "success")
    return redirect(offer.url)


@bp.route("/angebote/<int:offer_id>")
@bp.route("/angebote/<int:offer_id>-<slug>")
def show(offer_id: int, slug: str | None = None):
    """An offer: what it does, its price model, confirmed references and recommendations."""
    offer = services.get_offer(offer_id)
    if slug != offer.slug:
        return redirect(offer.url, code=301)
    return render_show(offer)


def render_show(offer: Offer, **forms):
    if offer.is_withdrawn:
        # Gone for good: the page only says so (410), nothing of the offer is shown any more.
        return render_template("offers/withdrawn.html", offer=offer), 410
    recommendation_form = forms.get("recommendation_form") or RecommendationForm()
    recommendation_form.organisation.choices = [
        SelectChoice(o.id, o.name) for o in services.recommending_organisations(current_user, offer)]
    # Only its provider is told that the offer is not yet found everywhere.
    pending = can(current_user, "offer.edit", offer) and search.is_pending(offer)
    return render_template("offers/show.html", offer=offer, recommendation_form=recommendation_form,
                           reference_form=forms.get("reference_form") or ReferenceForm(),
                           action_form=ActionForm(), search_pending=pending)


@bp.post("/angebote/<int:offer_id>/referenzen")
@login_required
def add_reference(offer_id: int):
    """Name a practice the offer was used in; its municipality is asked to confirm."""
    offer = services.get_offer(offer_id)
    require(current_user, "offer.edit", offer)
    form = ReferenceForm()
    if form.validate_on_submit():
        try:
            services.add_reference(acting_user(), offer, _practice(form.practice.data))
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Die Referenz ist eingetragen. Sie erscheint, sobald die Kommune sie bestätigt hat."),
                  "success")
            return redirect(offer.url)
    return render_show(offer, reference_form=form), 400


def _practice(text: str) -> Practice:
    match = _PRACTICE_ID.match(text or "")
    practice = db.session.get(Practice, int(match.group(1))) if match else None
    if practice is None or not practice.is_public:
        raise Invalid(_("Dieses Praxisbeispiel gibt es nicht. Bitte kopieren Sie die Adresse seiner Seite."),
                      "practice")
    return practice


@bp.post("/angebote/referenzen/<int:reference_id>/bestaetigen")
@login_required
def confirm_reference(reference_id: int):
    """The practice's organisation confirms that the offer was used there."""
    return _decide_reference(reference_id, services.confirm_reference,
                             _("Die Referenz ist bestätigt und erscheint beim Angebot."))


@bp.post("/angebote/referenzen/<int:reference_id>/ablehnen")
@login_required
def decline_reference(reference_id: int):
    """The practice's organisation says the offer was not used there."""
    return _decide_reference(reference_id, services.decline_reference,
                             _("Die Referenz ist abgelehnt und gelöscht."))


def _decide_reference(reference_id: int, decide, done: str):
    reference = db.get_or_404(OfferReference, reference_id)
    require(current_user, "offer.confirm_reference", reference)
    if not ActionForm().validate():
        abort(400)
    practice = reference.practice
    try:
        decide(acting_user(), reference)
    except Invalid as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(practice.url)


@bp.post("/angebote/<int:offer_id>/empfehlen")
@login_required
def recommend(offer_id: int):
    """Recommend the offer for one of the user's municipalities, with a short note."""
    offer = services.get_offer(offer_id)
    require(current_user, "offer.recommend", offer)
    form = RecommendationForm()
    organisations = services.recommending_organisations(current_user, offer)
    form.organisation.choices = [SelectChoice(o.id, o.name) for o in organisations]
    if form.validate_on_submit():
        organisation = next(o for o in organisations if o.id == form.organisation.data)
        try:
            services.recommend(acting_user(), offer, organisation, form.note.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Danke! %(name)s empfiehlt dieses Angebot jetzt.", name=organisation.name), "success")
            return redirect(offer.url)
    return render_show(offer, recommendation_form=form), 400


@page_section("practices.show")
def practice_offers(practice: Practice) -> str:
    """On a practice's page: offers confirmed as used there, and references awaiting its members."""
    references = db.session.scalars(
        db.select(OfferReference).join(OfferReference.offer)
        .where(OfferReference.practice_id == practice.id, Offer.withdrawn_at.is_(None))
        .order_by(OfferReference.id)).all()
    confirmed = [r for r in references if r.is_confirmed]
    pending = [r for r in references
               if not r.is_confirmed and can(current_user, "offer.confirm_reference", r)]
    if not confirmed and not pending:
        return ""
    return render_template("offers/_practice_section.html", confirmed=confirmed, pending=pending,
                           action_form=ActionForm())
