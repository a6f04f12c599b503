"""Small measuring helpers: timing percentiles, memory, sizes on disk and ranking quality."""

import math
import resource
import statistics
from pathlib import Path


def percentiles(seconds: list[float]) -> dict[str, float]:
    """p50, p95, p99 and the mean of durations, in milliseconds."""
    if len(seconds) < 2:
        return {"p50": math.nan, "p95": math.nan, "p99": math.nan, "mean": math.nan}
    cuts = statistics.quantiles([s * 1000 for s in seconds], n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "mean": statistics.fmean(seconds) * 1000}


def memory_mb() -> dict[str, float]:
    """Resident memory now and at its peak, of this process (and the peak of any children)."""
    status = dict(
        line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line
    )
    kb = {key: int(status[key].split()[0]) for key in ("VmRSS", "VmHWM")}
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kB on Linux
    return {"rss": kb["VmRSS"] / 1024, "peak": kb["VmHWM"] / 1024, "children_peak": children / 1024}


def disk_mb(path: Path) -> float:
    """Megabytes of a file or of every file under a folder."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 1e6


def reciprocal_rank(ranked: list[str], relevant: set[str], depth: int = 10) -> float:
    """1/rank of the first relevant hit within ``depth``, else 0."""
    return next((1 / rank for rank, doc in enumerate(ranked[:depth], 1) if doc in relevant), 0.0)


def ndcg(ranked: list[str], relevant: set[str], depth: int = 10) -> float:
    """Normalised discounted cumulative gain at ``depth`` with binary judgements."""
    gain = sum(1 / math.log2(rank + 1) for rank, doc in enumerate(ranked[:depth], 1) if doc in relevant)
    ideal = sum(1 / math.log2(rank + 1) for rank in range(1, min(depth, len(relevant)) + 1))
    return gain / ideal if ideal else 0.0
