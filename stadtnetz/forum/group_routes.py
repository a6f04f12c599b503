"""Working-group pages: the list, a group with its threads, creating a group, joining,
leaving, requests and members, and the group's watch level."""

from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..accounts.permissions import can, is_provider, may_read_group, require
from ..errors import Invalid
from ..extensions import db
from ..web import acting_user, show_invalid
from . import bp, fragments, groups, invitations, notifications
from .activity_models import WatchLevel
from .forms import ButtonForm, GroupForm, JoinForm, MemberActionForm, WatchForm
from .listing import ANY_ID, per_entry
from .loading import group_or_404, group_view_or_404, page_arg
from .models import GroupMembership, GroupMemberStatus, GroupRole, Visibility


@bp.route("/arbeitsgruppen")
def groups_list():
    """Every working group; members-only ones show name and description, not their threads."""
    return render_template("forum/groups.html", groups=groups.all_groups())


@bp.route("/arbeitsgruppen/neu", methods=["GET", "POST"])
@login_required
def create_group():
    """Create a working group (site moderators); the creator moderates it."""
    require(current_user, "forum.create_group")
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = groups.create_group(
                acting_user(), form.name.data, form.description.data or "", Visibility(form.visibility.data)
            )
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Die Arbeitsgruppe %(name)s ist angelegt.", name=group.name), "success")
            return redirect(url_for(".group", slug=group.slug))
    return render_template("forum/create_group.html", form=form)


def _render_group(group, level: WatchLevel, join_form: JoinForm):
    """The group page; ``level`` is the viewer's watch level of the group."""
    readable = may_read_group(current_user, group)
    own = group.membership_of(current_user)
    links = SimpleNamespace(
        thread=per_entry(".thread", thread_id=ANY_ID),
        first_unread=per_entry(".first_unread", thread_id=ANY_ID),
    )
    fragment, threads = fragments.group_threads(group, page_arg(), links) if readable else (None, None)
    return render_template(
        "forum/group.html",
        group=group,
        readable=readable,
        join_form=join_form,
        own=own,
        # Providers cannot ask to join a members-only group; the page tells them why.
        provider_needs_invitation=own is None
        and not group.is_public
        and current_user.is_authenticated
        and is_provider(current_user),
        threads=threads,
        threads_html=fragments.threads_for(current_user, fragment, links) if readable else None,
        watch_html=fragments.watch_form(url_for(".watch_group", slug=group.slug), level)
        if current_user.is_authenticated
        else None,
        pending=groups.members(group, GroupMemberStatus.PENDING)
        if can(current_user, "forum.moderate", group)
        else [],
    )


@bp.route("/arbeitsgruppen/<slug>")
def group(slug: str):
    """A group: what it is about, membership, and its threads for those who may read them."""
    return _render_group(*group_view_or_404(slug), JoinForm())


@bp.post("/arbeitsgruppen/<slug>/beitreten")
@login_required
def join_group(slug: str):
    """Join a public group, or ask to join a members-only one."""
    group, level = group_view_or_404(slug)
    require(current_user, "forum.join_group", group)
    form = JoinForm()
    if not form.validate():
        return _render_group(group, level, form)
    membership = groups.join_group(acting_user(), group, form.message.data or "")
    db.session.commit()
    if membership.is_approved:
        flash(_("Sie sind jetzt Mitglied der Arbeitsgruppe %(name)s.", name=group.name), "success")
    else:
        flash(
            _("Ihre Anfrage ist gesendet. Die Moderation der Arbeitsgruppe entscheidet darüber."), "success"
        )
    return redirect(url_for(".group", slug=group.slug))


@bp.post("/arbeitsgruppen/<slug>/verlassen")
@login_required
def leave_group(slug: str):
    """Leave a group or withdraw a request."""
    group = group_or_404(slug)
    require(current_user, "forum.leave_group", group)
    try:
        groups.leave_group(acting_user(), group)
    except Invalid as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Sie haben die Arbeitsgruppe %(name)s verlassen.", name=group.name), "success")
    return redirect(url_for(".group", slug=group.slug))


@bp.post("/arbeitsgruppen/<slug>/beobachten")
@login_required
def watch_group(slug: str):
    """Set how much the visitor hears about every thread of the group."""
    group = group_or_404(slug)
    if not may_read_group(current_user, group):
        abort(404)
    form = WatchForm()
    if form.validate_on_submit():
        notifications.watch_group(acting_user(), group, WatchLevel(form.level.data))
        db.session.commit()
        flash(_("Ihre Einstellung für diese Arbeitsgruppe ist gespeichert."), "success")
    return redirect(url_for(".group", slug=group.slug))


@bp.route("/arbeitsgruppen/<slug>/mitglieder")
@login_required
def group_members(slug: str):
    """Requests, invitations and members, and a search for people to invite, for the group's
    moderators."""
    group = group_or_404(slug)
    require(current_user, "forum.moderate", group)
    query = request.args.get("suche", "").strip()
    return render_template(
        "forum/members.html",
        group=group,
        form=MemberActionForm(),
        pending=groups.members(group, GroupMemberStatus.PENDING),
        invited=groups.members(group, GroupMemberStatus.INVITED),
        members=groups.members(group, GroupMemberStatus.APPROVED),
        query=query,
        candidates=invitations.candidates(group, query),
        query_too_short=0 < len(query) < 2,
    )


@bp.post("/arbeitsgruppen/<slug>/einladen/<int:user_id>")
@login_required
def invite_member(slug: str, user_id: int):
    """Invite a confirmed user into the group."""
    group = group_or_404(slug)
    require(current_user, "forum.invite", group)
    if not ButtonForm().validate():
        abort(400)
    try:
        membership = invitations.invite(acting_user(), group, user_id)
    except Invalid as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s ist eingeladen und erhält eine E-Mail.", name=membership.user.name), "success")
    return redirect(url_for(".group_members", slug=group.slug))


@bp.post("/arbeitsgruppen/<slug>/einladung")
@login_required
def answer_invitation(slug: str):
    """The invitee accepts or declines their invitation."""
    group = group_or_404(slug)
    require(current_user, "forum.answer_invitation", group)
    form = MemberActionForm()
    if not form.validate() or form.action.data not in ("accept", "decline"):
        abort(400)
    accept = form.action.data == "accept"
    invitations.answer(acting_user(), group, accept)
    db.session.commit()
    if accept:
        flash(_("Sie sind jetzt Mitglied der Arbeitsgruppe %(name)s.", name=group.name), "success")
    else:
        flash(
            _("Sie haben die Einladung in die Arbeitsgruppe %(name)s abgelehnt.", name=group.name), "success"
        )
    return redirect(url_for(".group", slug=group.slug))


MEMBER_ACTIONS = {
    "approve": lambda actor, m: groups.decide_request(actor, m, approved=True),
    "decline": lambda actor, m: groups.decide_request(actor, m, approved=False),
    "make_moderator": lambda actor, m: groups.set_role(actor, m, GroupRole.MODERATOR),
    "make_member": lambda actor, m: groups.set_role(actor, m, GroupRole.MEMBER),
    "remove": groups.remove_member,
    "withdraw_invitation": invitations.withdraw,
}


@bp.post("/arbeitsgruppen/<slug>/mitglieder/<int:user_id>")
@login_required
def member_action(slug: str, user_id: int):
    """Decide a request, change a member's role, or remove a member."""
    group = group_or_404(slug)
    require(current_user, "forum.moderate", group)
    membership = db.session.get(GroupMembership, (group.id, user_id))
    form = MemberActionForm()
    if membership is None or not form.validate() or form.action.data not in MEMBER_ACTIONS:
        abort(404)
    name = membership.user.name
    try:
        MEMBER_ACTIONS[form.action.data](acting_user(), membership)
    except Invalid as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Die Mitgliedschaft von %(name)s ist geändert.", name=name), "success")
    return redirect(url_for(".group_members", slug=group.slug))
