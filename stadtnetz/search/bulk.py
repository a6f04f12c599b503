"""Writing a whole index at once (``SearchEngine.rebuild``): the same index as Whoosh's writer
makes, several times faster.

Whoosh's ``SegmentWriter`` puts every posting through a sorting pool as a tuple, then writes it
with a few method calls each, reading the document's field length back from disk for every
one: at 100,000 practices that is some 23 million postings and most of a reindex. ``BulkWriter``
keeps each term's postings in arrays instead (documents arrive in order, so nothing needs
sorting) and writes Whoosh's posting blocks a whole block at a time. The index holds exactly
what Whoosh's writer makes of the same documents (``tests/search/test_bulk.py``).

``write_index`` runs it in ``procs`` processes, each writing one segment of every ``procs``-th
batch of documents, while this process reads the documents and sends them.
"""

import multiprocessing
import queue
import traceback
import zlib
from array import array
from collections.abc import Iterable, Iterator
from itertools import chain, islice
from operator import sub
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.fields import ID, KEYWORD
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

from .analysis import ContentField, encoded_positions

#: Documents sent to a process at a time.
BATCH = 200
#: Posting blocks shorter than this (pickled, in bytes) are stored uncompressed.
COMPRESS_FROM = 200
#: Seconds between checks that the writer processes are still alive.
POLL = 1.0


class BulkWriter(SegmentWriter):
    """A segment writer for a rebuild: ``add_document`` for every document, then ``segment``.

    It writes one new segment with Whoosh's default codec (W3) and merges nothing; the fields
    may not carry ``_boost`` or ``_stored_`` keys, spelling or vectors (the schema has none).
    """

    def __init__(self, ix, schema, **kwargs):
        super().__init__(ix, **kwargs)
        self.schema = schema  # the code's, not the one the index was last written with
        # field name → term → (document numbers, weights, encoded positions or nothing)
        self._postings: dict[str, dict[str, tuple[array, array, list]]] = {}
        # field name → length of that field per document, rounded as Whoosh stores it
        self._lengths: dict[str, array] = {}
        # (field name, value) → its postings, for facet fields: their values repeat
        self._facet_items: dict[tuple[str, str], list] = {}
        self._facets = {name for name, field in self.schema.items()
                        if isinstance(field, ID | KEYWORD) and not field.unique}

    def add_document(self, **fields) -> None:
        self._check_state()
        docnum = self.docnum
        writer = self.perdocwriter
        writer.start_doc(docnum)
        for name in sorted(fields):
            value = fields[name]
            if value is None:
                continue
            field = self.schema[name]
            length = self._index(name, field, value, docnum) if field.indexed else 0
            writer.add_field(name, field, value if field.stored else None, length)
            if field.column_type:
                writer.add_column_value(name, field.column_type, field.to_column_value(value))
        writer.finish_doc()
        self._added = True
        self.docnum += 1

    def _index(self, name: str, field, value, docnum: int) -> int:
        """Add the postings of one field of a document; returns its length (scorable fields)."""
        terms = self._postings.setdefault(name, {})
        if isinstance(field, ContentField):
            # The bulk of all postings: one loop, terms kept as str (encoded once, when written).
            found = field.postings(value)
            for text, entry in found.items():
                postings = terms.get(text)
                if postings is None:
                    postings = terms[text] = (array("I"), array("f"), [])
                postings[0].append(docnum)
                postings[1].append(entry[0])
                postings[2].append(encoded_positions(entry))
            length = sum(map(len, found.values())) - len(found)
        else:
            if name in self._facets:
                items = self._facet_items.get((name, value))
                if items is None:
                    items = self._facet_items[name, value] = list(field.index(value))
            else:
                items = list(field.index(value))
            for text, _freq, weight, vbytes in items:
                postings = terms.get(text)
                if postings is None:
                    postings = terms[text] = (array("I"), array("f"), [])
                postings[0].append(docnum)
                postings[1].append(weight)
                if vbytes:
                    postings[2].append(vbytes)
            length = sum(freq for _text, freq, _weight, _vbytes in items)
        if not field.scorable:
            return 0
        lengths = self._lengths.setdefault(name, array("I"))
        lengths.extend([0] * (docnum + 1 - len(lengths)))
        lengths[docnum] = byte_to_length(length_to_byte(length)) if length else 0
        return length

    def _flush_segment(self) -> None:
        """Write the postings, field by field and term by term in Whoosh's order."""
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        for name in sorted(self._postings):
            field = self.schema[name]
            fieldwriter.start_field(name, field)
            terms = _TermWriter(fieldwriter, field, self._lengths.get(name))
            for text, postings in sorted(self._postings[name].items()):
                # str (``content``) sorts as its UTF-8 bytes do: in code point order
                terms.write(text.encode() if isinstance(text, str) else text, *postings)
            fieldwriter.finish_field()
        fieldwriter.close()
        self._postings.clear()

    def segment(self):
        """Write the segment's files and return it, or None without documents (files closed)."""
        if not self._added:
            self._close_segment()
            return None
        return self._finalize_segment()


class _TermWriter:
    """Writes a term's postings as ``W3PostingsWriter`` and ``W3FieldWriter`` would, posting by
    posting, but a block at a time, and leaves small blocks uncompressed (the block says so;
    readers handle both). The same postings, in a fraction of the time (see the test)."""

    def __init__(self, fieldwriter, field, lengths: array | None):
        self.postfile = fieldwriter._postfile
        self.terms = fieldwriter._tindex
        self.prefix = pack_ushort(fieldwriter._fieldid)
        self.size = fieldwriter._codec._blocklimit
        self.compression = fieldwriter._codec._compression
        self.fixed = field.format.fixed_value_size()
        self.lengths = lengths

    def write(self, btext: bytes, docnums: array, weights: array, values: list) -> None:
        postfile = self.postfile
        info = W3TermInfo()
        offset = postfile.tell()
        postfile.write(WHOOSH3_HEADER_MAGIC)
        count = len(docnums)
        for start in range(0, count, self.size):
            end = min(start + self.size, count)
            self._block(info, docnums[start:end], weights[start:end], values[start:end], end == count)
        info.set_extent(offset, postfile.tell() - offset)
        self.terms.add(self.prefix + btext, info.to_bytes())

    def _block(self, info, ids: array, weights: array, values: list, last: bool) -> None:
        """``W3PostingsWriter._write_block`` with ``TermInfo.add_block``."""
        minlength, maxlength = None, 0
        if self.lengths is not None:
            known = [length for length in map(self.lengths.__getitem__, ids) if length]
            if known:
                minlength, maxlength = min(known), max(known)
        top = max(weights)
        maxweight = top if top > 0 else 0
        info._weight += sum(weights)
        info._df += len(ids)
        info._minlength = minlength if info._minlength is None else min(info._minlength, minlength)
        info._maxlength = max(info._maxlength, maxlength)
        info._maxweight = max(info._maxweight, maxweight)
        if info._minid is None:
            info._minid = ids[0]
        info._maxid = ids[-1]

        deltas = tuple(map(sub, ids, chain((0,), ids)))
        if weights.count(1.0) == len(weights):
            weights = None
        elif weights.count(weights[0]) == len(weights):
            weights = weights[0]
        else:
            weights = tuple(weights)
        if self.fixed is None or self.fixed < 0:
            values = tuple(values)
        elif self.fixed == 0:
            values = None
        else:
            values = b"".join(values)
        data = dumps((deltas, weights, values), 2)
        # Whoosh compresses every block; below this size zlib's output is no smaller (and
        # compressing most of the blocks, rare terms' single postings, was a tenth of a rebuild).
        compression = self.compression if len(data) >= COMPRESS_FROM else 0
        if compression:
            data = zlib.compress(data, compression)
        head = dumps((len(ids), ids[-1], maxweight, compression,
                      length_to_byte(minlength), length_to_byte(maxlength)), 2)
        length = len(head) + len(data)
        self.postfile.write_int(-length if last else length)
        self.postfile.write(head)
        self.postfile.write(data)


def write_index(ix, schema, documents: Iterable[dict], procs: int = 1, timeout: float = 30) -> int:
    """Replace everything in ``ix`` by ``documents`` (dicts of the fields of ``schema``);
    returns their number. Readers keep the old index until the new table of contents is
    written, at the end.
    """
    owner = BulkWriter(ix, schema, timeout=timeout)  # holds the index's write lock throughout
    try:
        if procs <= 1:
            count = sum(1 for fields in documents if owner.add_document(**fields) is None)
            segments = [owner.segment()]
        else:
            owner._close_segment()
            count, segments = _write_in_processes(ix, schema, documents, procs)
        owner._commit_toc([segment for segment in segments if segment is not None])
    except BaseException:
        owner._close_segment()
        raise
    finally:
        owner._finish()
    return count


def _write_in_processes(ix, schema, documents: Iterable[dict], procs: int) -> tuple[int, list]:
    """Send batch n of ``documents`` to process n mod ``procs``; collect their segments."""
    context = multiprocessing.get_context("fork")  # the children share the loaded lexicon
    inboxes = [context.Queue(maxsize=4) for _ in range(procs)]
    results = context.Queue()
    workers = [context.Process(target=_worker, args=(ix, schema, inbox, results), daemon=True)
               for inbox in inboxes]
    for worker in workers:
        worker.start()
    try:
        count = 0
        for n, batch in enumerate(_batches(documents)):
            _put(inboxes[n % procs], batch, workers)
            count += len(batch)
        for inbox in inboxes:
            _put(inbox, None, workers)
        segments = _collect(results, workers)
        for worker in workers:
            worker.join()
        return count, segments
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.kill()


def _batches(documents: Iterable[dict]) -> Iterator[list[dict]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _worker(ix, schema, inbox, results) -> None:
    """One writer process: index the batches it is sent until None, then send its segment."""
    try:
        writer = BulkWriter(ix, schema, _lk=False)
        while (batch := inbox.get()) is not None:
            for fields in batch:
                writer.add_document(**fields)
        results.put(("segment", writer.segment()))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def _put(inbox, item, workers) -> None:
    while True:
        try:
            inbox.put(item, timeout=POLL)
            return
        except queue.Full:
            if not all(worker.is_alive() for worker in workers):
                raise RuntimeError("An indexing process ended early.") from None


def _collect(results, workers) -> list:
    """One segment from each worker; an error if one failed or ended without sending it."""
    segments = []
    while len(segments) < len(workers):
        try:
            kind, value = results.get(timeout=POLL)
        except queue.Empty:
            ended = sum(not worker.is_alive() for worker in workers)
            # A worker sends before it ends; one more wait lets what it sent arrive.
            if ended > len(segments) and results.empty():
                raise RuntimeError("An indexing process ended without its segment.") from None
            continue
        if kind == "error":
            raise RuntimeError(f"An indexing process failed:\n{value}")
        segments.append(value)
    return segments
