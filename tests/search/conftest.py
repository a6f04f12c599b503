"""Fixtures of the search tests: a fresh engine with documents, and a searchable test model.

The model lives in its own metadata (not the app's), so it exists only in these tests and the
migration check never sees it; it is registered as searchable only while a test uses it.
"""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from stadtnetz import search
from stadtnetz.search import indexing
from stadtnetz.search.engine import SearchEngine


class NoteBase(DeclarativeBase):
    pass


class Note(NoteBase):
    """A tiny searchable model: a note visible to an audience, hidden when ``draft``."""

    __tablename__ = "search_test_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    audience: Mapped[str] = mapped_column(sa.String(40), default="public")
    draft: Mapped[bool] = mapped_column(default=False)

    def search_document(self) -> dict | None:
        if self.draft:
            return None
        return {"title": self.title, "body": self.body, "url": f"/notizen/{self.id}",
                "audience": [self.audience], "published": datetime(2025, 1, self.id % 28 + 1, tzinfo=UTC)}


@pytest.fixture
def notes(app, db):
    """The ``Note`` model, its table created and its kind registered (for this test only)."""
    NoteBase.metadata.create_all(db.engine)
    search.searchable("note", "Notiz")(Note)
    yield Note
    indexing.registry.pop("note", None)
    db.session.rollback()
    NoteBase.metadata.drop_all(db.engine)


@pytest.fixture
def make_note(db, notes):
    def make(title: str, body: str = "", **kw) -> Note:
        note = Note(title=title, body=body, **kw)
        db.session.add(note)
        db.session.commit()
        return note

    return make


@pytest.fixture
def engine(tmp_path):
    """An empty engine without Flask."""
    return SearchEngine(tmp_path / "index")


def doc(n: int, title: str, body: str = "", **kw) -> dict:
    """A search document of kind "practice" with id ``practice:n``."""
    return {"id": f"practice:{n}", "kind": "practice", "title": title, "body": body,
            "url": f"/praxisbeispiele/{n}", **kw}


def ids(results) -> list[int]:
    return [hit.id for hit in (results.hits if hasattr(results, "hits") else results)]
