"""The baseline: SQLite FTS5 through Python's ``sqlite3``, doing the same job as the search engine.

Tokenizer ``unicode61 remove_diacritics 2`` (case and accent folding, no stemming: SQLite has
no German stemmer), BM25 with the same field weights as the engine's boosts (title 3, teaser 2,
body 1, tags 1), an ``optimize`` after the bulk load, and for each query the first page of
twenty hits with a highlighted snippet plus the total count, as a result page needs.
"""

import re
import sqlite3
from pathlib import Path

FACETS = ("topic", "land", "size_class", "status", "funding", "cost_range")
TERM = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')


def match_expression(query: str, any_word: bool = False) -> str | None:
    """The user's query (words, "phrases", -exclusions) as an FTS5 MATCH expression.

    Every term is quoted, so punctuation never breaks FTS5's syntax; words are joined by AND
    (FTS5's default), or by OR when ``any_word``.
    """
    wanted, excluded = [], []
    for match in TERM.finditer(query):
        negative = match.group(1) or match.group(3)
        text = (match.group(2) if match.group(2) is not None else match.group(4)).replace('"', "")
        if not re.search(r"\w", text):
            continue
        (excluded if negative else wanted).append(f'"{text}"')
    if not wanted:
        return None
    expression = (" OR " if any_word else " ").join(wanted)
    if excluded:
        expression = f"({expression}) NOT " + " NOT ".join(excluded)
    return expression


class Fts5Index:
    """One FTS5 table of documents and a plain table of their facet values."""

    def __init__(self, path: Path):
        self.path = path
        self.db = sqlite3.connect(path)

    def rebuild(self, documents, progress=None) -> int:
        """Load every document (dicts as for the engine), then merge the index into one segment."""
        self.db.executescript(
            """
            DROP TABLE IF EXISTS docs; DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS doc_topic;
            CREATE VIRTUAL TABLE docs USING fts5(
                title, teaser, body, tags, tokenize = 'unicode61 remove_diacritics 2');
            INSERT INTO docs(docs, rank) VALUES ('rank', 'bm25(3.0, 2.0, 1.0, 1.0)');
            CREATE TABLE meta (id INTEGER PRIMARY KEY, land, size_class, status, funding, cost_range);
            CREATE TABLE doc_topic (id INTEGER, topic);
            """
        )
        count = 0
        with self.db:
            for count, document in enumerate(documents, start=1):
                pk = int(document["id"].split(":")[1])
                self.db.execute(
                    "INSERT INTO docs(rowid, title, teaser, body, tags) VALUES (?, ?, ?, ?, ?)",
                    (pk, document["title"], document.get("teaser", ""), document.get("body", ""),
                     " ".join(document.get("tags", []))),
                )
                self.db.execute(
                    "INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?)",
                    (pk, *(document.get(f) for f in FACETS[1:])),
                )
                self.db.executemany("INSERT INTO doc_topic VALUES (?, ?)",
                                    [(pk, t) for t in document.get("topic", [])])
                if progress and count % 1000 == 0:
                    progress(count)
            self.db.execute("CREATE INDEX doc_topic_id ON doc_topic (id)")
            self.db.execute("INSERT INTO docs(docs) VALUES ('optimize')")
        self.db.execute("VACUUM")
        return count

    def search(self, query: str, any_word: bool = False, per_page: int = 20,
               facets: bool = False) -> tuple[list[str], int]:
        """The first page of hits (document ids, best first, with snippets) and the total."""
        expression = match_expression(query, any_word)
        if expression is None:
            return [], 0
        rows = self.db.execute(
            "SELECT rowid, snippet(docs, -1, '<mark>', '</mark>', '…', 24) FROM docs "
            "WHERE docs MATCH ? ORDER BY rank LIMIT ?",
            (expression, per_page),
        ).fetchall()
        total = self.db.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (expression,)).fetchone()[0]
        if facets:
            self._facets(expression)
        return [f"practice:{rowid}" for rowid, _snippet in rows], total

    def _facets(self, expression: str) -> dict[str, list[tuple[str, int]]]:
        """Counts per facet value over the whole result set, as the search page shows them."""
        matched = "SELECT rowid FROM docs WHERE docs MATCH ?"
        counts = {
            "topic": self.db.execute(
                f"SELECT topic, count(*) FROM doc_topic WHERE id IN ({matched}) GROUP BY 1 ORDER BY 2 DESC",
                (expression,),
            ).fetchall()
        }
        for field in FACETS[1:]:
            counts[field] = self.db.execute(
                f"SELECT {field}, count(*) FROM meta WHERE id IN ({matched}) AND {field} IS NOT NULL "
                "GROUP BY 1 ORDER BY 2 DESC",
                (expression,),
            ).fetchall()
        return counts

    def size(self) -> int:
        """Bytes on disk."""
        return self.path.stat().st_size
