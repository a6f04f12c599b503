"""Webtalk pages: upcoming and past talks (all, or per working group), a talk, planning and
changing it, cancelling it, and registering or giving up one's place."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.permissions import may_view_webtalk, require
from ..errors import Invalid
from ..extensions import db
from ..forum.loading import group_or_404, page_arg
from ..web import acting_user, page_section, show_invalid
from . import bp, registration, talks
from .forms import ActionForm, TalkForm, to_local, to_utc
from .models import Access, Webtalk


def talk_or_404(talk_id: int) -> Webtalk:
    """The talk, or 404 when it does not exist or the visitor may not see it."""
    talk = db.session.get(Webtalk, talk_id)
    if talk is None or not may_view_webtalk(current_user, talk):
        abort(404)
    return talk


def _may_plan() -> bool:
    """Whether the visitor may plan a talk in some group (shows the link to the form)."""
    return current_user.is_authenticated and bool(talks.moderated_groups(acting_user()))


@bp.route("/webtalks")
def index():
    """Upcoming talks, soonest first."""
    return render_template(
        "webtalks/index.html",
        past=False,
        may_plan=_may_plan(),
        talks=talks.talk_list(current_user, past=False, page=page_arg()),
    )


@bp.route("/webtalks/vergangene")
def past():
    """Past talks, latest first, each with its archive."""
    return render_template(
        "webtalks/index.html",
        past=True,
        may_plan=_may_plan(),
        talks=talks.talk_list(current_user, past=True, page=page_arg()),
    )


@bp.route("/arbeitsgruppen/<slug>/webtalks")
def group_talks(slug: str):
    """A working group's upcoming and past talks."""
    group = group_or_404(slug)
    return render_template(
        "webtalks/group.html",
        group=group,
        upcoming=talks.talk_list(current_user, past=False, group=group).items,
        past=talks.talk_list(current_user, past=True, group=group, page=page_arg()),
    )


@bp.route("/webtalks/<int:talk_id>")
@bp.route("/webtalks/<int:talk_id>-<slug>")
def show(talk_id: int, slug: str | None = None):
    """A talk: what, when, who, places left, and the visitor's registration."""
    talk = talk_or_404(talk_id)
    return render_template(
        "webtalks/show.html",
        talk=talk,
        form=ActionForm(),
        own=talk.registration_of(current_user),
        free_places=registration.free_places(talk),
    )


def _talk_data(form: TalkForm) -> talks.TalkData:
    chosen = set(form.practices.data or ())
    return talks.TalkData(
        title=form.title.data,
        description=form.description.data or "",
        starts_at=to_utc(form.starts_at.data),
        ends_at=to_utc(form.ends_at.data),
        capacity=form.capacity.data,
        access=Access(form.access.data),
        stage_url=form.stage_url.data or "",
        anonymous_questions=form.anonymous_questions.data,
        speakers=talks.parse_speakers(form.speakers.data),
        practices=[p for p in talks.published_practices() if p.id in chosen],
    )


def _talk_form(groups, **data) -> TalkForm:
    form = TalkForm(**data)
    form.group.choices = [(group.id, group.name) for group in groups]
    form.practices.choices = [(practice.id, practice.title) for practice in talks.published_practices()]
    return form


@bp.route("/webtalks/neu", methods=["GET", "POST"])
@login_required
def create():
    """Plan a talk in a group the visitor moderates."""
    groups = talks.moderated_groups(acting_user())
    if not groups:
        abort(403)
    form = _talk_form(groups, group=request.args.get("gruppe", type=int))
    if form.validate_on_submit():
        group = next(group for group in groups if group.id == form.group.data)
        try:
            talk = talks.create_webtalk(acting_user(), group, _talk_data(form))
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Der Webtalk ist geplant."), "success")
            return redirect(talk.url)
    return render_template("webtalks/edit.html", form=form, talk=None)


@bp.route("/webtalks/<int:talk_id>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit(talk_id: int):
    """Change a talk; registrants hear about changes to time, title or stage."""
    talk = talk_or_404(talk_id)
    require(current_user, "webtalk.moderate", talk)
    form = _talk_form(
        [talk.group],
        obj=talk,
        group=talk.group_id,
        starts_at=to_local(talk.starts_at),
        ends_at=to_local(talk.ends_at),
        access=talk.access.value,
        speakers="\n".join(s.user.email if s.user else s.guest_name for s in talk.speakers),
        practices=[p.id for p in talk.practices],
    )
    if form.validate_on_submit():
        try:
            talks.update_webtalk(acting_user(), talk, _talk_data(form))
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Der Webtalk ist gespeichert."), "success")
            return redirect(talk.url)
    return render_template("webtalks/edit.html", form=form, talk=talk)


@bp.post("/webtalks/<int:talk_id>/absagen")
@login_required
def cancel(talk_id: int):
    """Cancel a talk; registrants are told and their calendars drop it."""
    talk = talk_or_404(talk_id)
    require(current_user, "webtalk.moderate", talk)
    return _act(talk, lambda: talks.cancel_webtalk(acting_user(), talk), _("Der Webtalk ist abgesagt."))


@bp.post("/webtalks/<int:talk_id>/anmelden")
@login_required
def register(talk_id: int):
    """Take a place (or a place on the waiting list)."""
    talk = talk_or_404(talk_id)
    require(current_user, "webtalk.register", talk)
    return _act(talk, lambda: registration.register(acting_user(), talk), None)


@bp.post("/webtalks/<int:talk_id>/abmelden")
@login_required
def unregister(talk_id: int):
    """Give up one's place or leave the waiting list."""
    talk = talk_or_404(talk_id)
    return _act(
        talk,
        lambda: registration.cancel_registration(acting_user(), talk),
        _("Sie sind abgemeldet. Wir haben Ihren Platz freigegeben."),
    )


def _act(talk: Webtalk, change, done: str | None):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result = change()
    except Invalid as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        if done is None:  # registering: the message depends on the place
            waiting = result.status.value == "waiting"
            done = (
                _("Der Webtalk ist ausgebucht: Sie stehen auf der Warteliste und rücken automatisch nach.")
                if waiting
                else _("Sie sind angemeldet. Die Bestätigung mit dem Kalendereintrag ist unterwegs.")
            )
        flash(done, "success")
    return redirect(url_for(".show", talk_id=talk.id))


@page_section("practices.show")
def practice_section(practice) -> str:
    """On a practice's page: the talks that presented it, with their archives."""
    linked = [talk for talk in talks.talks_of_practice(practice) if may_view_webtalk(current_user, talk)]
    return render_template("webtalks/_practice_section.html", talks=linked) if linked else ""
