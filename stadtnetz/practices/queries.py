"""The lists pages read from the database: "Kommunen wie wir" (nearest municipalities of the
viewer's size class first) and a municipality's practices and adoptions. Only published
practices appear in any list; drafts and archived practices are reached by their own page."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination, SelectPagination

from ..accounts.models import Organisation
from ..directory.models import Municipality
from ..extensions import db
from .models import Adoption, Practice
from .topics import PracticeState

EARTH_RADIUS_KM = 6371.0


def home_municipality(user) -> Municipality | None:
    """The municipality the viewer works for: that of their first verified Kommune."""
    if not user.is_authenticated:
        return None
    return next((m.organisation.municipality for m in user.approved_memberships
                 if m.organisation.municipality is not None), None)


def _haversine_km(home: Municipality):
    """SQL for the great-circle distance from ``home`` to each municipality's coordinates."""
    lat, lon = sa.func.radians(Municipality.latitude), sa.func.radians(Municipality.longitude)
    home_lat, home_lon = sa.func.radians(home.latitude), sa.func.radians(home.longitude)
    a = (sa.func.power(sa.func.sin((lat - home_lat) / 2), 2)
         + sa.func.cos(home_lat) * sa.func.cos(lat) * sa.func.power(sa.func.sin((lon - home_lon) / 2), 2))
    return 2 * EARTH_RADIUS_KM * sa.func.asin(sa.func.sqrt(a))


def published():
    """The select of published practices, newest first."""
    return (sa.select(Practice).where(Practice.state == PracticeState.PUBLISHED)
            .order_by(Practice.published_at.desc(), Practice.id.desc()))


def practices_like_us(home: Municipality, page: int = 1, per_page: int = 20) -> Pagination:
    """Published practices of other municipalities of ``home``'s size class, nearest first.

    Items are rows of (practice, distance in km or None when coordinates are missing).
    """
    size = home.size_class
    distance = sa.null() if home.latitude is None or home.longitude is None else _haversine_km(home)
    query = (
        sa.select(Practice, distance.label("distance_km"))
        .join(Organisation, Practice.organisation_id == Organisation.id)
        .join(Municipality, Organisation.municipality_id == Municipality.id)
        .where(Practice.state == PracticeState.PUBLISHED, Municipality.id != home.id,
               Municipality.population >= size.minimum)
        .order_by(sa.nulls_last(sa.literal_column("distance_km").asc()), Practice.published_at.desc())
    )
    if size.maximum is not None:
        query = query.where(Municipality.population <= size.maximum)
    return RowPagination(select=query, session=db.session(), page=page, per_page=per_page, error_out=False)


class RowPagination(SelectPagination):
    """``db.paginate`` for a select of several columns: the items are rows, not scalars."""

    def _query_items(self) -> list:
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


@dataclass
class MunicipalityPractices:
    """What a municipality's page shows: its practices, what it adopted, what others took."""

    organisation: Organisation
    practices: list[Practice]
    adopted: list[Adoption]
    taken_by_others: list[Adoption]


def municipality_practices(municipality: Municipality) -> MunicipalityPractices | None:
    """The published practices and adoptions of ``municipality``'s organisation, if it has one."""
    organisation = db.session.scalar(
        sa.select(Organisation).where(Organisation.municipality_id == municipality.id)
    )
    if organisation is None:
        return None
    adoptions = (sa.select(Adoption).join(Practice, Adoption.practice_id == Practice.id)
                 .where(Practice.state == PracticeState.PUBLISHED).order_by(Adoption.created_at.desc()))
    own = Practice.organisation_id == organisation.id
    return MunicipalityPractices(
        organisation=organisation,
        practices=list(db.session.scalars(published().where(own))),
        adopted=list(db.session.scalars(adoptions.where(Adoption.organisation_id == organisation.id))),
        taken_by_others=list(db.session.scalars(adoptions.where(own))),
    )
