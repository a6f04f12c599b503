"""The fixed vocabularies of a practice: Handlungsfelder, status, state, adoption kinds and cost
ranges, each with a stable slug (stored, used in URLs and the search index) and a German label."""

import enum

from flask_babel import lazy_gettext as _l


class Topic(enum.Enum):
    """The ten Handlungsfelder of inner-city development."""

    LEERSTAND = ("leerstand", _l("Leerstand & Ansiedlung"))
    HANDEL = ("handel", _l("Handel & Gastronomie"))
    KLIMA = ("klimaanpassung", _l("Klimaanpassung"))
    WOHNEN = ("wohnen", _l("Wohnen"))
    MOBILITAET = ("mobilitaet", _l("Mobilität"))
    DIGITALISIERUNG = ("digitalisierung", _l("Digitalisierung"))
    KULTUR = ("kultur", _l("Kultur & Zwischennutzung"))
    RAUM = ("oeffentlicher-raum", _l("Öffentlicher Raum"))
    BETEILIGUNG = ("beteiligung", _l("Beteiligung"))
    FOERDERUNG = ("foerderung", _l("Förderung & Finanzierung"))

    def __init__(self, slug, label):
        self.slug = slug
        self.label = label

    @classmethod
    def by_slug(cls, slug: str) -> "Topic | None":
        return next((t for t in cls if t.slug == slug), None)


class PracticeStatus(enum.StrEnum):
    """How far the project itself has come."""

    IDEE = "idee"
    PLANUNG = "planung"
    UMSETZUNG = "umsetzung"
    VERSTETIGT = "verstetigt"
    EINGESTELLT = "eingestellt"

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self])


STATUS_LABELS = {
    PracticeStatus.IDEE: _l("Idee"),
    PracticeStatus.PLANUNG: _l("Planung"),
    PracticeStatus.UMSETZUNG: _l("Umsetzung"),
    PracticeStatus.VERSTETIGT: _l("verstetigt"),
    PracticeStatus.EINGESTELLT: _l("eingestellt"),
}


class PracticeState(enum.StrEnum):
    """Where the write-up is in its life: only published practices are listed and found."""

    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class AdoptionKind(enum.StrEnum):
    """What another organisation did with a practice."""

    ADOPTED = "adopted"
    INSPIRED = "inspired"

    @property
    def label(self) -> str:
        return str(ADOPTION_LABELS[self])


ADOPTION_LABELS = {
    AdoptionKind.ADOPTED: _l("Wir haben das übernommen"),
    AdoptionKind.INSPIRED: _l("Hat uns inspiriert"),
}

#: Cost buckets for the facet: (slug, label, lower bound inclusive, upper bound exclusive).
COST_RANGES = (
    ("bis-10000", _l("bis 10.000 €"), 0, 10_000),
    ("10000-50000", _l("10.000 bis 50.000 €"), 10_000, 50_000),
    ("50000-250000", _l("50.000 bis 250.000 €"), 50_000, 250_000),
    ("250000-1000000", _l("250.000 bis 1 Mio. €"), 250_000, 1_000_000),
    ("ab-1000000", _l("über 1 Mio. €"), 1_000_000, None),
)


def cost_range(cost: int | None) -> str | None:
    """The slug of the cost bucket ``cost`` (euro) falls into, or None without a cost."""
    if cost is None:
        return None
    return next(slug for slug, _label, low, high in COST_RANGES
                if cost >= low and (high is None or cost < high))
