"""Directory pages: search the municipalities and show one municipality's profile."""

import sqlalchemy as sa
from flask import render_template, request

from ..extensions import db
from . import bp, services
from .forms import SearchForm, size_class_text
from .importer import POPULATION_SOURCES
from .models import Municipality

PER_PAGE = 20


@bp.route("/kommunen")
def search():
    """Search by name, PLZ or AGS with Land and size filters; without a query, the largest."""
    form = SearchForm(formdata=request.args)
    page = None
    if form.validate():
        select = services.search_municipalities(form.q.data or "", form.land.data, form.size_class)
        page = db.paginate(select, per_page=PER_PAGE)
    return render_template("directory/search.html", form=form, page=page)


@bp.route("/kommunen/<ags>")
def municipality(ags: str):
    """A municipality's facts and its organisation on Stadtnetz."""
    # Imported here: accounts.models imports directory.models, which loads this package first.
    from ..accounts.models import Organisation

    found = db.first_or_404(sa.select(Municipality).where(Municipality.ags == ags))
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.municipality_id == found.id))
    return render_template(
        "directory/municipality.html",
        municipality=found,
        organisation=organisation,
        population_source=POPULATION_SOURCES.get(found.population_source),
        size_class=size_class_text(found.size_class) if found.size_class else None,
    )
