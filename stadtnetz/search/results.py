"""What a search returns: a page of hits, facet counts over the whole result, the correction."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup


@dataclass
class Hit:
    """One found document, with what a result list shows."""

    kind: str
    id: int
    title: str
    url: str
    teaser: str
    snippet: Markup
    published: datetime | None
    municipality: str | None
    organisation: str | None
    score: float
    fields: dict[str, Any]
    kind_label: str = ""


@dataclass
class FacetValue:
    """One value of a facet with the number of results that have it."""

    value: str
    label: str
    count: int


@dataclass
class Results:
    """A page of results."""

    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    corrected: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
