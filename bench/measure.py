"""Timing and memory helpers: latency percentiles and the peak resident memory of one phase.

Peak memory per phase uses Linux's resettable high-water mark (`/proc/self/clear_refs` = 5,
then `VmHWM`), which counts the database engine's native allocations too (tracemalloc sees only
Python objects and slows allocation-heavy code several times). Elsewhere the process-wide
`ru_maxrss` is reported instead, and the result says which one was used.
"""

from __future__ import annotations

import re
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _vm(name: str) -> int | None:
    try:
        match = re.search(rf"^{name}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    except OSError:
        return None
    return int(match.group(1)) if match else None


def _reset_peak() -> bool:
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


@dataclass
class Phase:
    """Wall time and peak resident memory (MiB) of one measured block."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0  # the process's CPU time (all threads): steadier than wall time on a shared machine
    peak_mib: float = 0.0
    rss_before_mib: float = 0.0
    method: str = "VmHWM"
    extra: dict[str, Any] = field(default_factory=dict)


@contextmanager
def phase() -> Iterator[Phase]:
    result = Phase()
    result.rss_before_mib = (_vm("VmRSS") or 0) / 1024
    if not _reset_peak():
        result.method = "ru_maxrss (process lifetime)"
    started, cpu_started = time.perf_counter(), time.process_time()
    yield result
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu_started
    peak_kib = _vm("VmHWM") if result.method == "VmHWM" else None
    if peak_kib is None:
        result.method = "ru_maxrss (process lifetime)"
        peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.peak_mib = peak_kib / 1024


def percentile(samples: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100) of the samples."""
    ordered = sorted(samples)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency(run: Callable[[], Any], *, iterations: int, budget_s: float, warmup: int = 2) -> dict[str, Any]:
    """Call `run` `warmup` times, then up to `iterations` times (at least 3, stopping after `budget_s`).

    Returns milliseconds: p50/p95/p99/mean and the number of timed calls."""
    for _ in range(warmup):
        run()
    samples: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(samples) < iterations and (len(samples) < 3 or time.perf_counter() < deadline):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(percentile(samples, 50), 3), "p95_ms": round(percentile(samples, 95), 3),
            "p99_ms": round(percentile(samples, 99), 3), "mean_ms": round(statistics.fmean(samples), 3),
            "n": len(samples)}
