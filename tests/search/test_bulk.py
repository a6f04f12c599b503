"""A rebuild (``bulk``) writes what Whoosh's own writer would: same postings, same results."""

from whoosh import writing
from whoosh.fields import FieldType
from whoosh.formats import Positions

from stadtnetz.search import bulk
from stadtnetz.search.analysis import ContentField, GermanAnalyzer, Segments
from stadtnetz.search.engine import SearchEngine, _fields, schema
from tests.search.conftest import doc, ids

DOCUMENTS = [
    doc(1, "Leerstandsmanagement in der Altstadt", "Ausgangslage: Leere Läden. Umsetzung: Ein Kataster.",
        teaser="Der Leerstand sinkt", tags=["Leerstand", "Handel"], topic=["leerstand"], land="05"),
    doc(2, "Bürgerbeteiligung für die Innenstadtentwicklung", "Die Innenstadt und ihre Entwicklung, "
        "Beteiligung der Bürger und Buerger. " * 3, topic=["beteiligung", "leerstand"], cost=12000),
    doc(3, "Pop-up-Store im Kaufhaus", "Zwischennutzung für ein Jahr; danach Umnutzung.",
        audience=["group:4"], status="umsetzung"),
    *[doc(n, f"Wochenmarkt {n}", "Markt am Abend mit regionalen Händlern, Markt und Musik.",
          land="09" if n % 2 else "05") for n in range(4, 300)],
]


def postings(engine: SearchEngine) -> dict:
    """Everything the index holds per term: statistics, postings and their block summaries."""
    reader = engine.snapshot().reader
    held = {}
    for field, text in reader.all_terms():
        info = reader.term_info(field, text)
        matcher = reader.postings(field, text)
        found, blocks = [], []
        while matcher.is_active():
            blocks.append((matcher.block_max_weight(), matcher.block_min_length(),
                           matcher.block_max_length()))
            found.append((matcher.id(), matcher.weight(), matcher.value()))
            matcher.next()
        held[field, text] = (info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                             info.max_weight(), info.min_id(), info.max_id(), found, blocks)
    return held


def per_document(engine: SearchEngine) -> list:
    reader = engine.snapshot().reader
    return [(fields, reader.doc_field_length(docnum, "content")) for docnum, fields in reader.iter_docs()]


def test_a_rebuild_holds_what_whooshs_writer_writes(tmp_path):
    whoosh = SearchEngine(tmp_path / "whoosh")
    with whoosh.index.writer() as writer:
        writer.mergetype = writing.CLEAR
        for document in DOCUMENTS:
            writer.add_document(**_fields(document))
    whoosh.refresh()
    rebuilt = SearchEngine(tmp_path / "bulk")
    assert rebuilt.rebuild(DOCUMENTS) == len(DOCUMENTS)

    assert postings(rebuilt) == postings(whoosh)
    assert per_document(rebuilt) == per_document(whoosh)
    for column in ("published", "cost", "title_sort"):
        assert (list(rebuilt.snapshot().reader.column_reader(column))
                == list(whoosh.snapshot().reader.column_reader(column)))


def test_the_content_field_indexes_as_its_analyzer_does():
    value = Segments([("Leerstand und Leerstandsmanagement", 3.0), ("Der Bürger, die Buerger.", 2.0),
                      ("Leerstand im Zentrum; Leerstandskataster " * 40, 1.0)])
    whoosh = FieldType(Positions(), GermanAnalyzer(), scorable=True)
    assert sorted(ContentField().index(value)) == sorted(whoosh.index(value))


def test_several_processes_find_the_same(tmp_path):
    one, two = SearchEngine(tmp_path / "one"), SearchEngine(tmp_path / "two")
    assert one.rebuild(DOCUMENTS, procs=1) == two.rebuild(DOCUMENTS, procs=2) == len(DOCUMENTS)
    assert len(two.index._segments()) == 2
    for query in ("Leerstand", "Markt", "Innenstadtentwicklung", '"regionalen Händlern"', "Bürger"):
        first, second = one.search(query, facets=("land",)), two.search(query, facets=("land",))
        assert first.total == second.total and first.facets == second.facets
        # The same scores; equal ones may come in another order (document numbers differ).
        assert [round(hit.score, 5) for hit in first.hits] == [round(hit.score, 5) for hit in second.hits]
        scores = {hit.id: round(hit.score, 5) for hit in first.hits}
        assert all(scores[hit.id] == round(hit.score, 5) for hit in second.hits if hit.id in scores)


def test_a_failed_rebuild_leaves_the_index_as_it_was(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    engine.rebuild(DOCUMENTS[:3])
    broken = [*DOCUMENTS[3:], {"id": "practice:999", "kind": "practice", "cost": "teuer"}]
    for procs in (1, 2):
        try:
            engine.rebuild(broken, procs=procs)
        except (RuntimeError, ValueError) as error:
            assert "teuer" in str(error)
        else:
            raise AssertionError("the rebuild should fail")
        engine.refresh()
        assert sorted(ids(engine.search("", audiences={"public", "group:4"}))) == [1, 2, 3]
        assert engine.search("Markt").total == 0
    assert engine.rebuild([]) == 0 and engine.search("").total == 0


def test_a_rebuild_writes_the_current_schema(tmp_path):
    engine = SearchEngine(tmp_path / "index")
    engine.rebuild(DOCUMENTS[:3])
    assert engine.index.schema.names() == schema().names()
    assert not engine.index.schema["title_sort"].indexed
    assert bulk.COMPRESS_FROM > 0
