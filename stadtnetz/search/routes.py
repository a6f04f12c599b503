"""The search page, the autocomplete endpoint and the admins' synonym page."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ..accounts.permissions import require
from ..errors import Invalid
from ..extensions import db
from ..web import acting_user
from . import bp
from .engine import SORTS
from .forms import DeleteForm, SynonymGroupForm
from .models import SynonymGroup
from .service import DEFAULT_FACETS, search, suggest
from .synonyms import DEFAULT_GROUPS

PER_PAGE = 20
SORT_LABELS = {"relevance": _l("Relevanz"), "newest": _l("Neueste zuerst"), "title": _l("Titel (A bis Z)"),
               "cost": _l("Kosten (höchste zuerst)")}
FACET_TITLES = {"kind": _l("Inhaltstyp"), "topic": _l("Handlungsfeld"), "land": _l("Land"),
                "size_class": _l("Gemeindegröße"), "status": _l("Status"), "funding": _l("Förderprogramm"),
                "cost_range": _l("Kosten"), "origin": _l("Herkunft")}


@bp.route("/suche")
def index():
    """Search everything the visitor may see, with facets, sorting and pages."""
    q = request.args.get("q", "").strip()[:500]
    sort = request.args.get("sort", "relevance")
    filters = {name: request.args.getlist(name) for name in DEFAULT_FACETS if request.args.getlist(name)}
    kinds = filters.pop("kind", None)
    try:
        page = max(1, request.args.get("page", 1, type=int))
        results = search(q, kinds=kinds, filters=filters, user=current_user,
                         sort=sort if sort in SORTS else "relevance", page=page, per_page=PER_PAGE)
    except Invalid:
        abort(400)
    selected = {**filters, **({"kind": kinds} if kinds else {})}
    return render_template("search/index.html", q=q, sort=sort, results=results, selected=selected,
                           sort_labels=SORT_LABELS, facet_titles=FACET_TITLES)


@bp.route("/suche/vorschlaege")
def suggestions():
    """Autocomplete for the search box: a JSON list of completions."""
    return jsonify(suggest(request.args.get("q", "")[:100], user=current_user))


@bp.route("/admin/synonyme", methods=["GET", "POST"])
@login_required
def synonyms():
    """The shipped synonym groups and the admins' own; admins add new ones here."""
    require(current_user, "search.manage_synonyms")
    form = SynonymGroupForm()
    if form.validate_on_submit():
        lines = [line.strip() for line in form.terms.data.splitlines() if line.strip()]
        db.session.add(SynonymGroup(terms="\n".join(lines), created_by_id=acting_user().id))
        db.session.commit()
        flash(_("Die Synonymgruppe ist gespeichert und wirkt ab sofort in der Suche."), "success")
        return redirect(url_for(".synonyms"))
    groups = db.session.scalars(db.select(SynonymGroup).order_by(SynonymGroup.id)).all()
    return render_template("search/synonyms.html", form=form, groups=groups, defaults=DEFAULT_GROUPS,
                           delete_form=DeleteForm())


@bp.post("/admin/synonyme/<int:group_id>/loeschen")
@login_required
def delete_synonyms(group_id: int):
    """Remove an admin-made synonym group."""
    require(current_user, "search.manage_synonyms")
    group = db.get_or_404(SynonymGroup, group_id)
    if DeleteForm().validate_on_submit():
        db.session.delete(group)
        db.session.commit()
        flash(_("Die Synonymgruppe ist gelöscht."), "success")
    return redirect(url_for(".synonyms"))
