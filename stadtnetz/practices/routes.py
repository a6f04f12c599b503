"""Practice pages: browse with facets, "Kommunen wie wir", a practice's page, writing,
publishing and archiving, revisions and follow-up notes. Views load (404, drafts included),
authorise (403), validate, call a service, commit once and respond.

Adoptions and attachments have their own view modules beside this one.
"""

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import search
from ..accounts.permissions import require
from ..errors import Invalid
from ..extensions import db
from ..web import acting_user, page_section, show_invalid
from . import bp, queries, revisions, services
from .forms import (
    ActionForm,
    AdoptionForm,
    AttachmentForm,
    BrowseForm,
    FollowUpForm,
    PracticeForm,
    practice_form_data,
)
from .models import SECTIONS, Practice

PER_PAGE = 20
FACETS = ("topic", "land", "size_class", "status", "funding", "cost_range")


def visible_practice(practice_id: int) -> Practice:
    """The practice the current user may read, or 404 (others' drafts included)."""
    return services.get_practice(practice_id, current_user)


@bp.route("/praxisbeispiele")
def browse():
    """All published practices, searched and narrowed by facets, with counts."""
    form = BrowseForm(request.args)
    filters = {name: values for name in FACETS if (values := request.args.getlist(name))}
    q = form.q.data or ""
    sort = form.sort.data = form.sort.data or ("relevance" if q else "newest")
    try:
        results = search.search(q=q, kinds=["practice"], filters=filters, user=current_user, sort=sort,
                                page=request.args.get("page", 1, type=int), per_page=PER_PAGE, facets=FACETS)
    except Invalid:
        abort(400)
    args = {key: values for key, values in request.args.to_dict(flat=False).items() if key != "page"}
    return render_template("practices/browse.html", form=form, results=results, filters=filters, args=args,
                           home=queries.home_municipality(current_user))


@bp.route("/praxisbeispiele/kommunen-wie-wir")
@login_required
def like_us():
    """Practices from municipalities of the viewer's size class, nearest first."""
    home = queries.home_municipality(current_user)
    page = None
    if home is not None and home.size_class is not None:
        page = queries.practices_like_us(home, request.args.get("page", 1, type=int), PER_PAGE)
    return render_template("practices/like_us.html", home=home, page=page)


@bp.route("/praxisbeispiele/neu", methods=["GET", "POST"])
@login_required
def create():
    """Write a new practice for one of the user's organisations; it starts as a draft."""
    require(current_user, "practice.create")
    organisations = [m.organisation for m in current_user.approved_memberships]
    form = PracticeForm()
    chosen = request.values.get("organisation", type=int)
    organisation = next((o for o in organisations if o.id == chosen), organisations[0])
    if not _wants_row(form) and form.validate_on_submit():
        try:
            practice = services.create_practice(acting_user(), organisation, form.service_data())
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Der Entwurf ist gespeichert. Nur Mitglieder von %(name)s sehen ihn, bis Sie ihn "
                    "veröffentlichen.", name=organisation.name), "success")
            return redirect(practice.url)
    return render_template("practices/edit.html", form=form, practice=None, organisations=organisations,
                           organisation=organisation)


def _wants_row(form: PracticeForm) -> bool:
    """Handle a "Weitere Zeile" button: show the form again with one more empty row."""
    name = request.form.get("add_row")
    if request.method != "POST" or not name:
        return False
    form.add_row(name)
    return True


@bp.route("/praxisbeispiele/<int:practice_id>")
@bp.route("/praxisbeispiele/<int:practice_id>-<slug>")
def show(practice_id: int, slug: str | None = None):
    """A practice with all its facts, results, lessons, adoptions and follow-up notes."""
    practice = visible_practice(practice_id)
    if slug != practice.slug:
        return redirect(practice.url, code=301)
    return render_show(practice)


def render_show(practice: Practice, **forms):
    """The practice page, with any form the visitor sent shown as they left it."""
    adoption_form = forms.get("adoption_form") or AdoptionForm()
    adoption_form.offer(services.adoption_organisations(current_user, practice))
    related = search.more_like_this("practice", practice.id, user=current_user, kinds=["practice"]) \
        if practice.is_public else []
    return render_template(
        "practices/show.html", practice=practice, related=related, adoption_form=adoption_form,
        sections=SECTIONS, licences=services.LICENCES,
        follow_up_form=forms.get("follow_up_form") or FollowUpForm(),
        attachment_form=forms.get("attachment_form") or AttachmentForm(), action_form=ActionForm(),
    )


@bp.route("/praxisbeispiele/<int:practice_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(practice_id: int):
    """Change a practice; saving a published one keeps a revision."""
    practice = visible_practice(practice_id)
    require(current_user, "practice.edit", practice)
    # Stored values fill the form only when it is first shown; a sent form is taken as sent.
    form = PracticeForm(data=None if request.method == "POST" else practice_form_data(practice))
    if not _wants_row(form) and form.validate_on_submit():
        try:
            services.update_practice(acting_user(), practice, form.service_data())
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Die Änderungen sind gespeichert."), "success")
            return redirect(practice.url)
    return render_template("practices/edit.html", form=form, practice=practice,
                           organisation=practice.organisation)


@bp.post("/praxisbeispiele/<int:practice_id>/veroeffentlichen")
@login_required
def publish(practice_id: int):
    """Publish a draft (or an archived practice again)."""
    return _change_state(practice_id, services.publish_practice,
                         _("Das Praxisbeispiel ist veröffentlicht und für alle zu finden."))


@bp.post("/praxisbeispiele/<int:practice_id>/archivieren")
@login_required
def archive(practice_id: int):
    """Archive a published practice: it leaves lists and search, its page stays."""
    return _change_state(practice_id, services.archive_practice,
                         _("Das Praxisbeispiel ist archiviert. Es erscheint nicht mehr in Listen "
                           "und in der Suche."))


def _change_state(practice_id: int, change, done: str):
    practice = visible_practice(practice_id)
    require(current_user, "practice.edit", practice)
    if not ActionForm().validate():
        abort(400)
    try:
        change(acting_user(), practice)
    except Invalid as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(done, "success")
    return redirect(practice.url)


@bp.route("/praxisbeispiele/<int:practice_id>/versionen")
def history(practice_id: int):
    """The revisions of a practice: who saved it when."""
    practice = visible_practice(practice_id)
    return render_template("practices/history.html", practice=practice)


@bp.route("/praxisbeispiele/<int:practice_id>/versionen/<int:number>")
def revision(practice_id: int, number: int):
    """What one revision changed against the one before, word by word."""
    practice = visible_practice(practice_id)
    by_number = {r.number: r for r in practice.revisions}
    if number not in by_number:
        abort(404)
    previous = by_number.get(number - 1)
    return render_template(
        "practices/revision.html", practice=practice, revision=by_number[number], previous=previous,
        changes=revisions.changes(previous.snapshot if previous else None, by_number[number].snapshot),
    )


@bp.post("/praxisbeispiele/<int:practice_id>/fortschreibung")
@login_required
def add_follow_up(practice_id: int):
    """Add a dated note on what happened since."""
    practice = visible_practice(practice_id)
    require(current_user, "practice.edit", practice)
    form = FollowUpForm()
    if form.validate():
        try:
            services.add_follow_up(acting_user(), practice, form.noted_on.data, form.body.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Die Fortschreibung ist gespeichert."), "success")
            return redirect(practice.url + "#fortschreibungen")
    return render_show(practice, follow_up_form=form)


@page_section("directory.municipality")
def municipality_section(municipality) -> str:
    """On a municipality's page: its practices, what it adopted and what others took from it."""
    return render_template("practices/_municipality_section.html", municipality=municipality,
                           summary=queries.municipality_practices(municipality))
