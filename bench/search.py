"""Search benchmark: Stadtnetz's Whoosh engine beside SQLite FTS5, on real German text.

For each corpus size it generates practice documents from ``../shared/data`` (see
``corpus.py``), builds both indexes, and runs the same fixed queries (``queries.py``) through
both, interleaved, printing build time, size on disk, latency percentiles and memory. Then it
measures ranking quality on the 318 real documents: known items by title words (MRR@10) and
topics judged by the corpus's own Einsatzbereiche tags (nDCG@10). Run from the project root:

    .venv/bin/python bench/search.py                  # 10,000 and 100,000 documents
    .venv/bin/python bench/search.py --quick          # a smoke run on small corpora
"""

import argparse
import cProfile
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

from corpus import generated_documents, load_projects, real_documents
from fts5 import Fts5Index
from measure import disk_mb, memory_mb, ndcg, percentiles, reciprocal_rank
from queries import known_item_queries, latency_queries, topic_queries

from stadtnetz.search.engine import SearchEngine

FACETS = ("kind", "topic", "land", "size_class", "status", "funding", "cost_range")
TARGET_P95_MS, TARGET_RATIO, TARGET_BUILD_S = 50.0, 1.5, 120.0


def log(message: str) -> None:
    """Progress on stderr, so the summary on stdout stays clean."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def progress_printer(label: str, total: int):
    """A progress callback that tolerates any signature and prints about every tenth."""
    step = max(total // 10, 1)
    state = {"next": step}

    def report(done=None, *_args, **_kwargs):
        if isinstance(done, int) and done >= state["next"]:
            state["next"] = done + step
            log(f"  {label}: {done:,} / {total:,}")

    return report


def hit_ids(results) -> list[str]:
    """The engine's hits as "kind:id" strings."""
    return [f"{hit.kind}:{hit.id}" for hit in results.hits]


def timed(call) -> tuple[float, object]:
    """Seconds a call takes, and what it returns."""
    start = time.perf_counter()
    value = call()
    return time.perf_counter() - start, value


def build(engine, fts, documents, size: int, procs: int) -> dict:
    """Build both indexes from the same (regenerated) documents; time and measure them."""
    log(f"Whoosh: indexing {size:,} documents with {procs} process(es)")
    whoosh_s, _ = timed(lambda: engine.rebuild(documents(), progress=progress_printer("Whoosh", size),
                                               procs=procs))
    whoosh_memory = memory_mb()
    log(f"Whoosh: {whoosh_s:.1f} s; FTS5: indexing")
    fts_s, _ = timed(lambda: fts.rebuild(documents(), progress=progress_printer("FTS5", size)))
    log(f"FTS5: {fts_s:.1f} s")
    return {"whoosh_build_s": whoosh_s, "fts5_build_s": fts_s, "memory_after_whoosh_build": whoosh_memory}


def run_queries(engine, fts, queries, rounds: int) -> dict:
    """Every query through both engines, interleaved, after one warm-up round; plus with facets."""
    times = {"whoosh": [], "fts5": [], "whoosh_facets": [], "fts5_facets": []}
    by_type: dict[str, list[float]] = {}
    totals = {"whoosh": [], "fts5": []}
    errors: dict[str, str] = {}
    for round_number in range(rounds + 1):
        for kind, query in queries:
            try:
                spent, results = timed(lambda q=query: engine.search(q, per_page=20))
            except Exception as error:  # a query the engine cannot take is counted and shown, not fatal
                errors[query] = repr(error)
                continue
            fts_spent, (_ids, fts_total) = timed(lambda q=query: fts.search(q))
            if round_number:  # round 0 warms caches
                times["whoosh"].append(spent)
                times["fts5"].append(fts_spent)
                by_type.setdefault(kind, []).append(spent)
            if round_number == 1:
                totals["whoosh"].append(results.total)
                totals["fts5"].append(fts_total)
        log(f"  query round {round_number}/{rounds} done" + (" (warm-up)" if not round_number else ""))
    for _kind, query in queries:
        if query not in errors:
            times["whoosh_facets"].append(timed(lambda q=query: engine.search(q, facets=FACETS))[0])
            times["fts5_facets"].append(timed(lambda q=query: fts.search(q, facets=True))[0])
    return {
        "latency_ms": {name: percentiles(values) for name, values in times.items()},
        "whoosh_latency_ms_by_query_type": {kind: percentiles(values) for kind, values in by_type.items()},
        "mean_total_hits": {name: sum(v) / max(len(v), 1) for name, v in totals.items()},
        "errors": errors,
    }


def run_size(size: int, projects, queries, workdir: Path, rounds: int, procs: int, profile: bool) -> dict:
    """Build and query corpora of ``size`` documents."""
    log(f"== {size:,} documents")
    generation_s, _ = timed(lambda: sum(1 for _ in generated_documents(projects, size)))
    log(f"generating the documents alone takes {generation_s:.1f} s (included in both build times)")
    engine = SearchEngine(workdir / f"whoosh-{size}")
    fts = Fts5Index(workdir / f"fts5-{size}.sqlite3")
    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    figures = build(engine, fts, lambda: generated_documents(projects, size), size, procs)
    figures.update(run_queries(engine, fts, queries, rounds))
    if profiler:
        profiler.disable()
        log("profile (cumulative time, top 40):")
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    figures.update(
        size=size,
        generation_s=generation_s,
        whoosh_mb=disk_mb(workdir / f"whoosh-{size}"),
        fts5_mb=fts.size() / 1e6,
        memory_after_queries=memory_mb(),
    )
    return figures


def run_quality(projects, workdir: Path) -> dict:
    """MRR@10 of known-item queries and nDCG@10 of topic queries, for Whoosh and FTS5 (AND, OR)."""
    log("== quality on the real corpus")
    documents = real_documents(projects)
    engine = SearchEngine(workdir / "whoosh-real")
    engine.rebuild(iter(documents))
    fts = Fts5Index(workdir / "fts5-real.sqlite3")
    fts.rebuild(iter(documents))
    rankers = {
        "whoosh": lambda q: hit_ids(engine.search(q, per_page=10)),
        "fts5_and": lambda q: fts.search(q, per_page=10)[0],
        "fts5_or": lambda q: fts.search(q, any_word=True, per_page=10)[0],
    }
    suites = {"mrr10_known_item": (known_item_queries(projects), reciprocal_rank),
              "ndcg10_topic": (topic_queries(projects), ndcg)}
    quality: dict = {"queries": {name: len(judged) for name, (judged, _) in suites.items()}}
    for name, (judged, metric) in suites.items():
        for ranker_name, ranker in rankers.items():
            scores = [metric(ranker(query), relevant) for query, relevant in judged]
            quality.setdefault(name, {})[ranker_name] = sum(scores) / len(scores)
    return quality


def _latency_row(size: str, variant: str, build_s: str, mb: str, latency: dict, hits: str) -> str:
    return (f"{size:>8} {variant:<14} {build_s:>8} {mb:>9} {latency['p50']:>8.1f} {latency['p95']:>8.1f} "
            f"{latency['p99']:>8.1f} {hits:>10}")


def print_summary(rows: list[dict], quality: dict, query_count: int, rounds: int) -> list[str]:
    """The summary table and the targets; returns the missed targets."""
    print(f"\nLatency: {query_count} queries x {rounds} rounds; each answers the first 20 hits with "
          "snippets and the total")
    print(f"{'docs':>8} {'engine':<14} {'build s':>8} {'index MB':>9} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'mean hits':>10}")
    for row in rows:
        lat, size = row["latency_ms"], f"{row['size']:,}"
        for engine in ("whoosh", "fts5"):
            print(_latency_row(size, engine, f"{row[engine + '_build_s']:.1f}", f"{row[engine + '_mb']:.0f}",
                               lat[engine], f"{row['mean_total_hits'][engine]:.0f}"))
            print(_latency_row(size, f"{engine}+facets", "", "", lat[engine + "_facets"], ""))
        memory = row["memory_after_queries"]
        print(f"{'':>8} p95 ratio Whoosh/FTS5 {lat['whoosh']['p95'] / lat['fts5']['p95']:.2f} "
              f"(with facets {lat['whoosh_facets']['p95'] / lat['fts5_facets']['p95']:.2f}); "
              f"RSS {memory['rss']:.0f} MB, peak {memory['peak']:.0f} MB; "
              f"generating the documents {row['generation_s']:.1f} s; query errors {len(row['errors'])}")
        print(f"{'':>8} Whoosh p95 by query type: " + ", ".join(
            f"{kind} {lat['p95']:.0f} ms" for kind, lat in row["whoosh_latency_ms_by_query_type"].items()))
        for query, error in list(row["errors"].items())[:5]:
            print(f"{'':>8} error: {query!r}: {error}")
    print(f"\nQuality on the real corpus ({quality['queries']['mrr10_known_item']} known-item, "
          f"{quality['queries']['ndcg10_topic']} topic queries)")
    print(f"{'metric':<18} {'Whoosh':>8} {'FTS5 AND':>9} {'FTS5 OR':>8}")
    for metric in ("mrr10_known_item", "ndcg10_topic"):
        values = quality[metric]
        print(f"{metric:<18} {values['whoosh']:>8.3f} {values['fts5_and']:>9.3f} {values['fts5_or']:>8.3f}")
    return check_targets(rows, quality)


def check_targets(rows: list[dict], quality: dict) -> list[str]:
    """Print each acceptance target as met or missed (with the measured value), for the largest corpus."""
    row = max(rows, key=lambda r: r["size"])
    p95, fts_p95 = row["latency_ms"]["whoosh"]["p95"], row["latency_ms"]["fts5"]["p95"]
    checks = [
        (f"query p95 at {row['size']:,} docs <= {TARGET_P95_MS:.0f} ms: {p95:.1f} ms", p95 <= TARGET_P95_MS),
        (f"p95 <= {TARGET_RATIO}x FTS5's {fts_p95:.1f} ms: {p95 / fts_p95:.2f}x",
         p95 <= TARGET_RATIO * fts_p95),
        (f"full reindex of {row['size']:,} docs <= {TARGET_BUILD_S:.0f} s: {row['whoosh_build_s']:.1f} s",
         row["whoosh_build_s"] <= TARGET_BUILD_S),
    ]
    for metric in ("mrr10_known_item", "ndcg10_topic"):
        scores = quality[metric]
        ours, best_fts = scores["whoosh"], max(scores["fts5_and"], scores["fts5_or"])
        checks.append((f"{metric} above FTS5's best {best_fts:.3f}: {ours:.3f}", ours > best_fts))
    print("\nTargets")
    for label, ok in checks:
        print(f"  {'met   ' if ok else 'MISSED'} {label}")
    return [label for label, ok in checks if not ok]


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the benchmark, print the summary; exit 1 when a target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="corpus sizes, comma separated")
    parser.add_argument("--quick", action="store_true", help="smoke run: sizes 500,2000, one round")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds over the queries")
    parser.add_argument("--procs", type=int, default=min(2, os.cpu_count() or 1),
                        help="indexing processes, as `flask search reindex --procs` (default as there)")
    parser.add_argument("--profile", action="store_true", help="cProfile the Whoosh build and queries")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--workdir", type=Path, help="where the indexes go (default: a temporary folder)")
    args = parser.parse_args(argv)
    sizes = [500, 2000] if args.quick else [int(s) for s in args.sizes.split(",")]
    rounds = 1 if args.quick else args.rounds

    projects = load_projects()
    queries = latency_queries(projects)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="stadtnetz-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    log(f"{len(projects)} real documents, {len(queries)} queries, indexes in {workdir}")
    try:
        rows = [run_size(size, projects, queries, workdir, rounds, args.procs, args.profile)
                for size in sizes]
        quality = run_quality(projects, workdir)
    finally:
        if not args.workdir:
            shutil.rmtree(workdir, ignore_errors=True)
    missed = print_summary(rows, quality, len(queries), rounds)
    if args.json:
        args.json.write_text(json.dumps({"sizes": rows, "quality": quality, "missed": missed},
                                        indent=2, default=str))
    return 1 if missed and not args.quick else 0


if __name__ == "__main__":
    sys.exit(main())
