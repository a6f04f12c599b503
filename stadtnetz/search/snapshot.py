"""One open, unchanging state of the index with the caches that make queries fast.

Result sets are bitmasks (a Python int, bit n = document n): intersecting two sets and counting
the result are single C operations, so facet counts over 100,000 documents cost a few
microseconds per value. A term's bitmask is read from its postings once per snapshot; a new
snapshot (after the indexer committed) starts with empty caches.
"""

from array import array
from collections import OrderedDict
from math import log
from threading import Lock

from whoosh import query as wq

from .analysis import word_terms, words
from .querying import FIELD as TEXT_FIELD
from .ranking import K1, B

#: Bitmasks and score lists kept per snapshot; at 100,000 documents a mask is at most 12.5 kB,
#: a score list 8 bytes per posting (twice: by document and best first).
CACHE_SIZE = 2048
#: For each byte of a bitmask, its eight bits as eight bytes (lowest bit first).
_BYTE_FLAGS = [bytes((byte >> bit) & 1 for bit in range(8)) for byte in range(256)]


class Snapshot:
    """A searcher with bitmask and sort caches; safe to share between threads."""

    def __init__(self, searcher):
        self.searcher = searcher
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self._nbytes = (self.size + 7) // 8
        self._cache: OrderedDict[tuple, object] = OrderedDict()
        self._orders: dict[tuple[str, bool], list[int]] = {}
        self._lock = Lock()
        self._norms: list[float] | None = None
        self._titles: dict[int, frozenset[str]] = {}
        self.live = self.from_docnums(self.reader.all_doc_ids())

    def close(self) -> None:
        self.searcher.close()

    def from_docnums(self, docnums) -> int:
        """The bitmask of ``docnums``."""
        buffer = bytearray(self._nbytes)
        for docnum in docnums:
            buffer[docnum >> 3] |= 1 << (docnum & 7)
        return int.from_bytes(buffer, "little")

    def contains(self, mask: int):
        """A fast membership test for the documents of ``mask``."""
        data = mask.to_bytes(self._nbytes, "little")
        return lambda docnum: data[docnum >> 3] >> (docnum & 7) & 1

    def flags(self, mask: int) -> bytes:
        """One byte per document, 1 inside ``mask``: ``flags[docnum]`` and ``map`` run in C."""
        return b"".join(map(_BYTE_FLAGS.__getitem__, mask.to_bytes(self._nbytes, "little")))

    def _cached(self, key: tuple, compute):
        """The cached value under ``key``, computed (outside the lock) when missing."""
        with self._lock:
            value = self._cache.get(key)
            if value is not None:
                self._cache.move_to_end(key)
                return value
        value = compute()
        with self._lock:
            self._cache[key] = value
            if len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return value

    def term(self, field: str, text: str) -> int:
        """The documents containing ``text`` in ``field`` (deleted ones excluded)."""

        def compute() -> int:
            # A text term is ranked too: read its postings once, for both.
            postings = self.impacts(field, text)[0] if field == TEXT_FIELD else self._postings(field, text)
            return self.from_docnums(postings) & self.live

        return self._cached(("term", field, text), compute)

    def _blocks(self, field: str, text: str):
        """(offset, posting reader) at each block of a term's postings, deleted ones included.

        Whoosh's ``all_ids()`` makes three method calls per posting; reading the decoded arrays
        of each block (``_ids``, ``_weights``: private attributes of the posting reader) is ten
        times faster.
        """
        for searcher, offset in self.searcher.leaf_searchers():
            reader = searcher.reader()
            if (field, text) not in reader:
                continue
            matcher = reader.postings(field, text)
            matcher = getattr(matcher, "child", matcher)  # deletions: the live mask drops them
            while matcher.is_active():
                if matcher._ids is None:
                    matcher._read_ids()
                yield offset, matcher
                matcher._next_block()

    def _postings(self, field: str, text: str):
        for offset, block in self._blocks(field, text):
            yield from (docnum + offset for docnum in block._ids)

    def impacts(self, field: str, text: str) -> tuple[array, array]:
        """(document numbers, BM25 score) of every posting of a term."""
        return self._cached(("impacts", field, text), lambda: self._impacts(field, text))

    def by_impact(self, field: str, text: str) -> tuple[array, array]:
        """``impacts`` ordered best first (ties: lower document number first), so that the best
        hits of a query can be found without reading every posting (see ``ranking.rank``)."""

        def compute() -> tuple[array, array]:
            docnums, scores = self.impacts(field, text)
            order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)  # stable
            return array("I", map(docnums.__getitem__, order)), array("f", map(scores.__getitem__, order))

        return self._cached(("by_impact", field, text), compute)

    def _impacts(self, field: str, text: str) -> tuple[array, array]:
        docnums, scores = array("I"), array("f")
        frequency = self.reader.doc_frequency(field, text)
        if not frequency:
            return docnums, scores
        factor = (log(self.size / (frequency + 1)) + 1) * (K1 + 1)
        norms = self.norms()
        for offset, block in self._blocks(field, text):
            block._read_weights()
            ids = [docnum + offset for docnum in block._ids] if offset else block._ids
            docnums.extend(ids)
            scores.extend([factor * weight / (weight + norms[docnum])
                           for docnum, weight in zip(ids, block._weights, strict=True)])
        return docnums, scores

    def norms(self) -> list[float]:
        """BM25's length normalisation of ``content`` per document, K1 * (1 - B + B * len / avg)."""
        if self._norms is None:
            average = self.searcher.avg_field_length("content") or 1.0
            length = self.reader.doc_field_length
            self._norms = [K1 * (1 - B + B * length(docnum, "content") / average)
                           for docnum in range(self.size)]
        return self._norms

    def title_stems(self, docnum: int) -> frozenset[str]:
        """The stems of the words of a document's title (each word's own, not its parts')."""
        stems = self._titles.get(docnum)
        if stems is None:
            title = self.reader.stored_fields(docnum)["data"].get("title") or ""
            stems = self._titles[docnum] = frozenset(terms[0] for word in words(title)
                                                     if (terms := word_terms(word)))
        return stems

    def any_of(self, field: str, values) -> int:
        mask = 0
        for value in values:
            mask |= self.term(field, value)
        return mask

    def mask(self, query: wq.Query) -> int:
        """The documents matching ``query`` (as built by ``querying``), without scoring."""
        if isinstance(query, wq.Term):
            return self.term(query.fieldname, query.text)
        if isinstance(query, wq.Every):
            return self.live
        if isinstance(query, wq.AndNot):
            return self.mask(query.a) & ~self.mask(query.b)
        if isinstance(query, wq.And):
            # Rarest term first, and stop at nothing: the common parts of a compound need not
            # be read when a rare one already rules every document out.
            result = self.live
            for sub in sorted(query.subqueries, key=self._rarity):
                result &= self.mask(sub)
                if not result:
                    break
            return result
        if isinstance(query, wq.Or):
            result = 0
            for sub in query.subqueries:
                result |= self.mask(sub)
            return result
        return self._cached(("docs", repr(query)),
                            lambda: self.from_docnums(self.searcher.docs_for_query(query)) & self.live)

    def _rarity(self, query: wq.Query) -> int:
        """How many documents a term query can match at most (others: as many as there are)."""
        if isinstance(query, wq.Term):
            return self.reader.doc_frequency(query.fieldname, query.text)
        return self.size

    def values(self, field: str) -> list[str]:
        """Every value a facet field holds in this index."""
        return [value.decode("utf-8") for value in self.reader.lexicon(field)]

    def order(self, column: str, reverse: bool) -> list[int]:
        """All document numbers sorted by a sortable field."""
        if not self.size:  # an empty index has no columns to read
            return []
        key = (column, reverse)
        if key not in self._orders:
            values = list(self.reader.column_reader(column))
            self._orders[key] = sorted(range(self.size), key=values.__getitem__, reverse=reverse)
        return self._orders[key]
