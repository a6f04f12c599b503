"""The Whoosh index as a plain class, usable without Flask (the indexer, the CLI, the benchmark).

One index holds every kind of document. The text lives in one ``content`` field whose tokens
carry the field boosts (title 3, teaser 2, tags 1.5, body 1); facets are keyword fields whose
postings become bitmasks (see ``snapshot``); sort keys are Whoosh column fields. Readers share
one snapshot that is replaced only when the index has changed, so they never wait for writers.
"""

import hashlib
import heapq
import json
import math
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from functools import wraps
from pathlib import Path
from threading import Lock, RLock
from typing import Any

from flask_babel import lazy_gettext as _l
from whoosh import index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3PerDocReader
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, FieldType, Schema
from whoosh.formats import Existence

from ..errors import Invalid
from . import bulk, compounds, ranking
from .analysis import ContentField, Segments, SpellingAnalyzer, word_terms, words
from .folding import fold
from .querying import FIELD, QueryBuilder
from .results import FacetValue, Hit, Results
from .snapshot import Snapshot
from .snippets import snippet
from .synonyms import DEFAULT_GROUPS, SynonymMap

FACETS = ("kind", "topic", "land", "size_class", "status", "funding", "cost_range", "origin", "group")
MULTI_VALUED = frozenset({"topic", "audience"})
SORTS = {"relevance": None, "newest": ("published", True), "title": ("title_sort", False),
         "cost": ("cost", True)}
MAX_PER_PAGE = 100
#: With fewer documents holding every word of a query, documents holding some of them follow.
FEW_HITS = 10
#: A snapshot is checked for changes at most this often (seconds); a check reads the folder.
REFRESH_INTERVAL = 0.2
BOOSTS = (("title", 3.0), ("teaser", 2.0), ("tags", 1.5), ("body", 1.0))


def _cached_length_reader(self, fieldname, column):
    """``W3PerDocReader._cached_reader`` that also remembers that a field has no length column.

    Whoosh's own asks the file system (``stat``) for every posting of such a field it writes,
    which cost a fifth of the time of a full reindex.
    """
    if fieldname not in self._readers:
        has_column = self.has_column(fieldname)
        self._readers[fieldname] = self.column_reader(fieldname, column) if has_column else None
    return self._readers[fieldname]


W3PerDocReader._cached_reader = _cached_length_reader


def schema() -> Schema:
    """The fields of the index (see the module docstring)."""
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        content=ContentField(),
        words=FieldType(Existence(), SpellingAnalyzer()),
        audience=KEYWORD(commas=True),
        topic=KEYWORD(commas=True),
        **{name: ID() for name in FACETS if name not in ("kind", "topic")},
        published=_sort_key(NUMERIC(bits=64, sortable=True, signed=False)),
        cost=_sort_key(NUMERIC(bits=64, sortable=True)),
        title_sort=_sort_key(ID(sortable=True)),
        data=STORED(),
    )


def _sort_key(field: FieldType) -> FieldType:
    """A field kept only as a column to sort by: no postings, which nothing would read (its
    values, nearly one per document, were most of the index's terms). The values stay as
    they were, so an index written before this change takes them too until it is rebuilt."""
    field.indexed = False
    return field


def digest(document: dict[str, Any]) -> str:
    """A fingerprint of a document, to tell whether the index holds its current version."""
    return hashlib.sha1(json.dumps(document, sort_keys=True, default=str).encode()).hexdigest()


def _fields(document: dict[str, Any]) -> dict[str, Any]:
    """Turn a search document (see the contract) into the index's fields."""
    doc = dict(document)
    doc.setdefault("audience", ["public"])
    doc.setdefault("origin", "local")
    tags = " ".join(doc.get("tags") or ())
    text = {"title": doc.get("title") or "", "teaser": doc.get("teaser") or "",
            "body": doc.get("body") or "", "tags": tags}
    published = doc.get("published")
    fields = {
        "id": doc["id"],
        "kind": doc["kind"],
        "content": Segments([(text[name], boost) for name, boost in BOOSTS if text[name]]),
        # Autocomplete and typo correction draw on the words of titles, teasers and tags: they
        # name what a text is about, and leaving out the body halves the postings to write.
        "words": " ".join((text["title"], text["teaser"], text["tags"])),
        "published": int(published.timestamp()) if published else 0,
        "cost": int(doc["cost"]) if doc.get("cost") is not None else -1,
        "title_sort": fold(text["title"]),
        "data": {**doc, "digest": digest(document)},
    }
    for name in (*FACETS, "audience"):
        value = doc.get(name)
        if name in MULTI_VALUED and value:
            fields[name] = ",".join(value)
        elif value and name not in fields:
            fields[name] = str(value)
    return fields


def _one_reader_at_a_time(method):
    """Run ``method`` while no other thread reads: Whoosh's file readers seek and read a shared
    handle, which threads must not interleave. Queries hold the GIL anyway, so little is lost."""

    @wraps(method)
    def locked(self, *args, **kwargs):
        with self._reading:
            return method(self, *args, **kwargs)

    return locked


class SearchEngine:
    """Index, update and query one Whoosh index in ``index_dir`` (created if missing)."""

    def __init__(self, index_dir: str | os.PathLike, synonyms: Iterable[Iterable[str]] = ()):
        self.path = Path(index_dir)
        self.path.mkdir(parents=True, exist_ok=True)
        if index.exists_in(self.path):
            self.index = index.open_dir(self.path)
        else:
            self.index = index.create_in(self.path, schema())
        self.set_synonyms(synonyms)
        self._snapshot: Snapshot | None = None
        self._checked = 0.0
        self._lock = Lock()
        self._reading = RLock()

    def set_synonyms(self, extra_groups: Iterable[Iterable[str]]) -> None:
        """Use the shipped synonym groups plus ``extra_groups`` (an admin's additions)."""
        self.extra_groups = [list(group) for group in extra_groups]
        self.synonyms = SynonymMap([*DEFAULT_GROUPS, *self.extra_groups])

    # Writing (only the indexer calls these)

    def add(self, document: dict[str, Any]) -> None:
        """Add or replace one document (``id`` "kind:pk", ``kind`` and the contract's keys)."""
        with self.index.writer(timeout=30) as writer:
            writer.update_document(**_fields(document))
        self.refresh()

    def remove(self, doc_id: str) -> None:
        with self.index.writer(timeout=30) as writer:
            writer.delete_by_term("id", doc_id)
        self.refresh()

    def rebuild(self, documents: Iterable[dict[str, Any]], progress: Callable[[int], None] | None = None,
                procs: int = 1) -> int:
        """Replace the whole index by ``documents``; readers keep the old one until it is written.

        ``procs`` processes analyse and write in parallel, one segment each (see ``bulk``).
        """
        compounds.lexicon()  # loaded once here, the forked writer processes share it

        def fields() -> Iterator[dict[str, Any]]:
            for count, document in enumerate(documents, 1):
                yield _fields(document)
                if progress and count % 1000 == 0:
                    progress(count)

        count = bulk.write_index(self.index, schema(), fields(), procs=procs)
        self.refresh()
        if progress:
            progress(count)
        return count

    # Reading

    def snapshot(self) -> Snapshot:
        """The current snapshot, replaced when the index changed since it was opened."""
        now = time.monotonic()
        with self._lock:
            current = self._snapshot
            if current is not None and now - self._checked < REFRESH_INTERVAL:
                return current
            self._checked = now
            if current is None or not current.searcher.up_to_date():
                # The old searcher is left to the garbage collector: a reader may still use it.
                current = self._snapshot = Snapshot(self.index.searcher())
            return current

    def refresh(self) -> None:
        """Look for index changes on the next query (this process wrote to the index)."""
        self._checked = 0.0

    @_one_reader_at_a_time
    def stored(self) -> dict[str, str]:
        """Every indexed document's id → digest (for ``search check``)."""
        reader = self.snapshot().reader
        return {fields["id"]: fields["data"]["digest"] for _, fields in reader.iter_docs()}

    @_one_reader_at_a_time
    def search(self, q: str = "", kinds=None, filters=None, audiences=frozenset({"public"}),
               sort: str = "relevance", page: int = 1, per_page: int = 20, facets=()) -> Results:
        """Search (see the contract); facet counts are over the whole result, labels are values."""
        _check(sort, page, per_page, facets, filters)
        snap = self.snapshot()
        allowed = self._allowed(snap, audiences, kinds, filters)
        builder = QueryBuilder(snap.reader, self.synonyms)
        built = builder.build(q)
        if built.query is None:
            # Nothing typed: browse everything; only stop words typed: nothing to find.
            matched = strict = 0 if q and q.strip() else allowed
        else:
            matched = strict = snap.mask(built.query) & allowed
            if built.relaxed is not None and strict.bit_count() < FEW_HITS:
                # Too few documents have every word: add those with some of them, after.
                matched = snap.mask(built.relaxed) & allowed
        total = matched.bit_count()
        start = (page - 1) * per_page
        if built.query is not None and sort == "relevance":
            ranked = ranking.rank(snap, built.query, strict, max(start + per_page, ranking.RERANK))
            ranked = ranking.by_title(snap, ranked, built.stems)[: start + per_page]
            if len(ranked) < start + per_page and matched != strict:
                ranked += ranking.rank(snap, built.relaxed, matched & ~strict, start + per_page - len(ranked))
            ranked = ranked[start:]
        else:
            column, reverse = SORTS[sort] or SORTS["newest"]
            ranked = [(docnum, 0.0) for docnum in _page(snap, matched, column, reverse, start, per_page)]
        hits = [self._hit(snap, docnum, score, built.highlight) for docnum, score in ranked]
        counts = {name: _counts(snap, name, matched) for name in facets}
        return Results(total, page, per_page, hits, counts, built.corrected)

    def _allowed(self, snap: Snapshot, audiences, kinds=None, filters=None) -> int:
        """Documents the audiences may see, of these kinds, with these facet values."""
        allowed = snap.live & snap.any_of("audience", audiences)
        if kinds:
            allowed &= snap.any_of("kind", kinds)
        for name, values in (filters or {}).items():
            if values:
                allowed &= snap.any_of(name, [values] if isinstance(values, str) else values)
        return allowed

    def _hit(self, snap: Snapshot, docnum: int, score: float, terms: set[str]) -> Hit:
        data = snap.reader.stored_fields(docnum)["data"]
        text = data.get("body") or data.get("teaser") or ""
        kind, _, pk = data["id"].partition(":")
        return Hit(
            kind=kind, id=int(pk), title=data.get("title") or "", url=data.get("url") or "",
            teaser=data.get("teaser") or "", snippet=snippet(text, terms), score=score,
            published=data.get("published"), municipality=data.get("municipality"),
            organisation=data.get("organisation"), fields=data,
        )

    @_one_reader_at_a_time
    def suggest(self, prefix: str, audiences=frozenset({"public"}), limit: int = 8) -> list[str]:
        """Completions of the last word of ``prefix`` that occur in a document the viewer may see."""
        head, _, last = (prefix or "").lower().rpartition(" ")
        if len(last) < 2 or not last.isalnum():
            return []
        snap = self.snapshot()
        visible = snap.contains(snap.live & snap.any_of("audience", audiences))
        candidates = snap.reader.most_frequent_terms("words", number=limit * 4, prefix=last)
        found = []
        for _frequency, term in candidates:
            word = term.decode("utf-8") if isinstance(term, bytes) else term
            if any(visible(docnum) for docnum in snap.searcher.docs_for_query(wq.Term("words", word))):
                found.append(f"{head} {word}".strip())
                if len(found) == limit:
                    break
        return found

    @_one_reader_at_a_time
    def more_like_this(self, doc_id: str, audiences=frozenset({"public"}), kinds=None,
                       limit: int = 5) -> list[Hit]:
        """Documents sharing the most distinctive words of ``doc_id`` (itself left out)."""
        snap = self.snapshot()
        docnum = snap.searcher.document_number(id=doc_id)
        if docnum is None:
            return []
        data = snap.reader.stored_fields(docnum)["data"]
        text = " ".join(data.get(name) or "" for name in ("title", "teaser", "body"))
        counts = Counter(term for word in words(text) for term in word_terms(word)[:1])
        frequency = {term: snap.reader.doc_frequency(FIELD, term) for term in counts}
        # tf-idf; a word only this document has cannot connect it to another.
        weight = {term: n * math.log(snap.size / frequency[term])
                  for term, n in counts.items() if frequency[term] > 1}
        terms = heapq.nlargest(12, weight, key=weight.get)
        if not terms:
            return []
        allowed = self._allowed(snap, audiences, kinds)
        query = wq.Or([wq.Term(FIELD, term) for term in terms])
        matched = snap.mask(query) & allowed & ~(1 << docnum)
        return [self._hit(snap, found, score, set(terms))
                for found, score in ranking.rank(snap, query, matched, limit)]


def _check(sort: str, page: int, per_page: int, facets, filters) -> None:
    if sort not in SORTS:
        raise Invalid(_l("Unbekannte Sortierung: %(sort)s", sort=sort), "sort")
    if page < 1:
        raise Invalid(_l("Die Seite muss 1 oder größer sein."), "page")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise Invalid(_l("Treffer je Seite: 1 bis %(maximum)s.", maximum=MAX_PER_PAGE), "per_page")
    for name in [*facets, *(filters or {})]:
        if name not in FACETS:
            raise Invalid(_l("Unbekannter Filter: %(name)s", name=name), "facets")


def _page(snap: Snapshot, matched: int, column: str, reverse: bool, start: int, size: int) -> list[int]:
    """Document numbers ``start``… of ``matched`` in the order of a sort column."""
    if not matched:
        return []  # also: an empty index has no columns to read
    inside = snap.contains(matched)
    result: list[int] = []
    skipped = 0
    for docnum in snap.order(column, reverse):
        if inside(docnum):
            if skipped < start:
                skipped += 1
                continue
            result.append(docnum)
            if len(result) == size:
                break
    return result


def _counts(snap: Snapshot, name: str, matched: int) -> list[FacetValue]:
    """The values of facet ``name`` among ``matched`` with their counts, most frequent first."""
    counts = [(value, (snap.term(name, value) & matched).bit_count()) for value in snap.values(name)]
    return sorted((FacetValue(value, value, count) for value, count in counts if count),
                  key=lambda facet: (-facet.count, facet.value))
