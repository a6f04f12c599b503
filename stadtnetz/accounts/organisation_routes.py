"""Organisation pages: list, profile, create and edit, joining and leaving, members, domains,
and the moderation page. Views load (404), authorise (403), validate, call a service in
``organisations.py`` or ``memberships.py``, commit once and respond.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..errors import Invalid
from ..extensions import db
from ..web import acting_user, safe_next, show_invalid
from . import bp, memberships, organisations
from .models import (
    Membership,
    MembershipRole,
    Organisation,
    OrganisationDomain,
    OrganisationType,
    SiteRole,
    User,
)
from .organisation_forms import (
    SITE_ROLE_LABELS,
    DomainForm,
    MemberActionForm,
    MembershipRequestForm,
    OrganisationDetailsForm,
    OrganisationFilterForm,
    OrganisationForm,
    SiteRoleForm,
    UserSearchForm,
)
from .permissions import can, membership_of, require

PER_PAGE = 20
# What each button on a member's row does, and what the person who pressed it is told.
MEMBER_ACTIONS = {
    "approve": (lambda actor, m: memberships.decide_membership(actor, m, approved=True),
                _l("%(name)s ist jetzt verifiziertes Mitglied. Wir haben die Person per E-Mail informiert.")),
    "decline": (lambda actor, m: memberships.decide_membership(actor, m, approved=False),
                _l("Die Anfrage von %(name)s wurde abgelehnt. Wir haben die Person per E-Mail informiert.")),
    "make_admin": (lambda actor, m: memberships.change_role(actor, m, MembershipRole.ADMIN),
                   _l("%(name)s verwaltet die Organisation jetzt mit.")),
    "make_member": (lambda actor, m: memberships.change_role(actor, m, MembershipRole.MEMBER),
                    _l("%(name)s ist jetzt Mitglied ohne Verwaltungsrechte.")),
    "remove": (memberships.remove_membership, _l("%(name)s wurde aus der Organisation entfernt.")),
}


def _organisation(slug: str) -> Organisation:
    """The organisation at ``slug`` or 404."""
    organisation = organisations.organisation_by_slug(slug)
    if organisation is None:
        abort(404)
    return organisation


@bp.route("/organisationen", endpoint="organisations")
def list_organisations():
    """All organisations, filtered by type and searched by name."""
    form = OrganisationFilterForm(request.args)
    query = organisations.organisations_query(form.q.data or "", form.type)
    page = db.paginate(query, per_page=PER_PAGE)
    return render_template("accounts/organisations/list.html", form=form, page=page)


def _render_profile(organisation: Organisation, request_form: MembershipRequestForm):
    """The profile page, with the join form as the visitor left it."""
    own = membership_of(current_user, organisation) if current_user.is_authenticated else None
    pending = organisations.pending_memberships(organisation) if can(
        current_user, "organisation.manage_members", organisation) else []
    return render_template(
        "accounts/organisations/profile.html", organisation=organisation, own=own, pending=pending,
        members=organisations.approved_members(organisation), request_form=request_form,
    )


@bp.route("/organisationen/<slug>")
def organisation(slug: str):
    """An organisation's profile: who they are, where, and who speaks for them."""
    return _render_profile(_organisation(slug), MembershipRequestForm())


@bp.route("/organisationen/neu", methods=["GET", "POST"])
@login_required
def create_organisation():
    """Register a new organisation; its creator becomes its admin once confirmed."""
    require(current_user, "organisation.create")
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            created = organisations.create_organisation(
                acting_user(), name=form.name.data, type=OrganisationType(form.type.data),
                description=form.description.data or "", website=form.website.data or "",
                municipality=form.municipality.data or "", kreis_key=form.kreis_key.data or "",
            )
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            if current_user.is_moderator:
                flash(_("Die Organisation %(name)s ist angelegt.", name=created.name), "success")
            else:
                flash(_("Die Organisation %(name)s ist angelegt. Sobald die Moderation Sie als "
                        "Administrator/in bestätigt hat, können Sie sie verwalten.", name=created.name),
                      "success")
            return redirect(url_for(".organisation", slug=created.slug))
    return render_template("accounts/organisations/create.html", form=form)


@bp.route("/organisationen/<slug>/bearbeiten", methods=["GET", "POST"])
@login_required
def edit_organisation(slug: str):
    """Edit the details; moderators also the name, type and directory link."""
    organisation = _organisation(slug)
    require(current_user, "organisation.edit", organisation)
    form_class = OrganisationForm if can(current_user, "moderation.access") else OrganisationDetailsForm
    # Stored values fill the form only when it is first shown; a sent form is taken as sent.
    form = form_class(data=None if request.method == "POST" else {
        "name": organisation.name, "type": organisation.type.value, "description": organisation.description,
        "website": organisation.website, "kreis_key": organisation.kreis_key or "",
        "municipality": organisation.municipality.ags if organisation.municipality else "",
    })
    if form.validate_on_submit():
        changes = {name: field.data or "" for name, field in form._fields.items() if name != "csrf_token"}
        if "type" in changes:
            changes["type"] = OrganisationType(changes["type"])
        try:
            organisations.update_organisation(acting_user(), organisation, **changes)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Die Änderungen sind gespeichert."), "success")
            return redirect(url_for(".organisation", slug=organisation.slug))
    return render_template("accounts/organisations/edit.html", organisation=organisation, form=form)


@bp.post("/organisationen/<slug>/beitreten")
@login_required
def request_membership(slug: str):
    """Ask to join; addresses at the organisation's domains are verified at once."""
    organisation = _organisation(slug)
    require(current_user, "membership.request", organisation)
    form = MembershipRequestForm()
    if not form.validate():
        return _render_profile(organisation, form)
    membership = memberships.request_membership(acting_user(), organisation, form.message.data or "")
    db.session.commit()
    if membership.is_approved:
        flash(_("Sie sind jetzt Mitglied von %(name)s, automatisch verifiziert über die Domain "
                "%(domain)s.", name=organisation.name, domain=memberships.email_domain(current_user.email)),
              "success")
    else:
        flash(_("Ihre Anfrage ist gesendet. Die Organisation entscheidet darüber; wir benachrichtigen "
                "Sie per E-Mail."), "success")
    return redirect(url_for(".organisation", slug=organisation.slug))


@bp.post("/organisationen/<slug>/verlassen")
@login_required
def leave_organisation(slug: str):
    """Leave an organisation or withdraw a pending request."""
    organisation = _organisation(slug)
    require(current_user, "membership.leave", organisation)
    was_approved = membership_of(current_user, organisation).is_approved
    try:
        memberships.leave_organisation(acting_user(), organisation)
    except Invalid as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("Sie haben %(name)s verlassen.", name=organisation.name) if was_approved
              else _("Ihre Anfrage ist zurückgezogen."), "success")
    return redirect(url_for(".organisation", slug=organisation.slug))


@bp.route("/organisationen/<slug>/mitglieder")
@login_required
def organisation_members(slug: str):
    """Pending requests and members, for the organisation's admins and the moderators."""
    organisation = _organisation(slug)
    require(current_user, "organisation.manage_members", organisation)
    return render_template(
        "accounts/organisations/members.html", organisation=organisation,
        pending=organisations.pending_memberships(organisation),
        members=organisations.approved_members(organisation),
    )


@bp.post("/organisationen/<slug>/mitglieder/<int:membership_id>")
@login_required
def decide_membership(slug: str, membership_id: int):
    """Approve, decline, change the role of or remove one member."""
    organisation = _organisation(slug)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != organisation.id:
        abort(404)
    require(current_user, "organisation.manage_members", organisation)
    form = MemberActionForm()
    if not form.validate() or form.action.data not in MEMBER_ACTIONS:
        abort(400)
    perform, done = MEMBER_ACTIONS[form.action.data]
    name = membership.user.name
    try:
        perform(acting_user(), membership)
    except Invalid as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(done % {"name": name}, "success")
    return redirect(safe_next(form.next.data, url_for(".organisation_members", slug=organisation.slug)))


@bp.route("/organisationen/<slug>/domains", methods=["GET", "POST"])
@login_required
def organisation_domains(slug: str):
    """The e-mail domains whose confirmed addresses join without review (moderators)."""
    organisation = _organisation(slug)
    require(current_user, "organisation.manage_domains", organisation)
    form = DomainForm()
    if form.validate_on_submit():
        try:
            entry = organisations.add_domain(acting_user(), organisation, form.domain.data)
        except Invalid as error:
            show_invalid(form, error)
        else:
            db.session.commit()
            flash(_("Bestätigte Adressen bei %(domain)s werden jetzt automatisch verifiziert.",
                    domain=entry.domain), "success")
            return redirect(url_for(".organisation_domains", slug=organisation.slug))
    return render_template("accounts/organisations/domains.html", organisation=organisation, form=form)


@bp.post("/organisationen/<slug>/domains/<int:domain_id>/entfernen")
@login_required
def remove_organisation_domain(slug: str, domain_id: int):
    """Stop verifying addresses at one domain automatically."""
    organisation = _organisation(slug)
    entry = db.session.get(OrganisationDomain, domain_id)
    if entry is None or entry.organisation_id != organisation.id:
        abort(404)
    require(current_user, "organisation.manage_domains", organisation)
    domain = entry.domain
    organisations.remove_domain(acting_user(), entry)
    db.session.commit()
    flash(_("Die Domain %(domain)s ist entfernt. Bisherige Mitglieder bleiben verifiziert.", domain=domain),
          "success")
    return redirect(url_for(".organisation_domains", slug=organisation.slug))


@bp.route("/moderation")
@login_required
def moderation():
    """Pending requests of all organisations, organisations without an admin, and (for admins)
    the users and their site roles."""
    require(current_user, "moderation.access")
    search, users = UserSearchForm(request.args), None
    if can(current_user, "admin.access"):
        users = db.paginate(memberships.users_query(search.q.data or ""), per_page=PER_PAGE)
    return render_template(
        "accounts/moderation.html", pending=organisations.pending_memberships(),
        orphaned=organisations.organisations_without_admin(), search=search, users=users,
        role_labels=SITE_ROLE_LABELS,
    )


@bp.post("/moderation/benutzer/<int:user_id>/rolle")
@login_required
def set_site_role(user_id: int):
    """Make a user a member, moderator or admin of the whole instance."""
    require(current_user, "admin.access")
    user = db.get_or_404(User, user_id)
    form = SiteRoleForm()
    if not form.validate():
        abort(400)
    role = SiteRole(form.role.data)
    try:
        memberships.set_site_role(acting_user(), user, role)
    except Invalid as error:
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s hat jetzt die Rolle „%(role)s“.", name=user.name, role=SITE_ROLE_LABELS[role]),
              "success")
    return redirect(safe_next(request.form.get("next"), url_for(".moderation")))
