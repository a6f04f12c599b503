"""The official municipality directory: Länder, Kreise and Gemeinden with their key facts."""

import enum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

#: The 16 Länder by their two-digit key (the first two digits of every AGS).
LAENDER: dict[str, tuple[str, str]] = {
    "01": ("Schleswig-Holstein", "SH"),
    "02": ("Hamburg", "HH"),
    "03": ("Niedersachsen", "NI"),
    "04": ("Bremen", "HB"),
    "05": ("Nordrhein-Westfalen", "NW"),
    "06": ("Hessen", "HE"),
    "07": ("Rheinland-Pfalz", "RP"),
    "08": ("Baden-Württemberg", "BW"),
    "09": ("Bayern", "BY"),
    "10": ("Saarland", "SL"),
    "11": ("Berlin", "BE"),
    "12": ("Brandenburg", "BB"),
    "13": ("Mecklenburg-Vorpommern", "MV"),
    "14": ("Sachsen", "SN"),
    "15": ("Sachsen-Anhalt", "ST"),
    "16": ("Thüringen", "TH"),
}


class SizeClass(enum.Enum):
    """The BBSR town size classes, by population."""

    GROSSSTADT = ("grossstadt", _l("Großstadt"), 100_000, None)
    MITTELSTADT = ("mittelstadt", _l("Mittelstadt"), 20_000, 99_999)
    KLEINSTADT = ("kleinstadt", _l("Kleinstadt"), 5_000, 19_999)
    LANDGEMEINDE = ("landgemeinde", _l("Landgemeinde"), 0, 4_999)

    def __init__(self, slug, label, minimum, maximum):
        self.slug = slug
        self.label = label
        self.minimum = minimum
        self.maximum = maximum

    @classmethod
    def for_population(cls, population: int | None) -> "SizeClass | None":
        if population is None:
            return None
        return next(c for c in cls if population >= c.minimum)

    @classmethod
    def by_slug(cls, slug: str) -> "SizeClass | None":
        return next((c for c in cls if c.slug == slug), None)


def fold(text: str) -> str:
    """Lower-case and fold umlauts, their ae/oe/ue spellings and ß, so that "Lüdenscheid",
    "Luedenscheid" and "ludenscheid" all compare equal (applied to stored names and queries)."""
    text = text.casefold().replace("ß", "ss")
    for variant, plain in (("ä", "a"), ("ae", "a"), ("ö", "o"), ("oe", "o"), ("ü", "u"), ("ue", "u")):
        text = text.replace(variant, plain)
    return text


class Kreis(db.Model):
    """A Landkreis or kreisfreie Stadt (five-digit key)."""

    __tablename__ = "kreis"

    key: Mapped[str] = mapped_column(sa.String(5), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))

    municipalities: Mapped[list["Municipality"]] = relationship(back_populates="kreis")

    @property
    def land_key(self) -> str:
        return self.key[:2]

    @property
    def land_name(self) -> str:
        return LAENDER[self.land_key][0]


class Municipality(db.Model):
    """A Gemeinde, keyed by its eight-digit Amtlicher Gemeindeschlüssel (AGS)."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    ags: Mapped[str] = mapped_column(sa.String(8), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    # Folded name for case- and umlaut-insensitive search (see ``fold``).
    search_name: Mapped[str] = mapped_column(sa.String(200), index=True)
    land_key: Mapped[str] = mapped_column(sa.String(2), index=True)
    kreis_key: Mapped[str | None] = mapped_column(sa.ForeignKey("kreis.key"))
    population: Mapped[int | None] = mapped_column(index=True)
    population_source: Mapped[str | None] = mapped_column(sa.String(20))
    area_km2: Mapped[float | None]
    postal_code: Mapped[str | None] = mapped_column(sa.String(5), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    kreis: Mapped[Kreis | None] = relationship(back_populates="municipalities")

    @property
    def land_name(self) -> str:
        return LAENDER[self.land_key][0]

    @property
    def size_class(self) -> SizeClass | None:
        return SizeClass.for_population(self.population)

    def __repr__(self) -> str:
        return f"<Municipality {self.ags} {self.name}>"
