"""The CPU priority of the analysts' query workers, so that their queries cannot starve the server.

An analyst's query may keep a core busy for its whole time limit; two of them on a 2-core
machine took the CPU that the server's GraphQL readers needed (bench/mixed.py, see
docs/benchmarks.md). The workers are separate processes (graph_api/sandbox), so the operating
system's scheduler can rank them below the server:

- `normal`: as the server;
- `low`: niceness 19, the lowest share the ordinary scheduler gives (about 1.5 % of a contended
  core against a niceness-0 task), though a waking server thread may wait for its time slice;
- `idle`: Linux's SCHED_IDLE class: the worker runs on CPU time that no other task of the
  machine wants, and a waking server thread takes its core at once. A worker starved this way
  holds nothing the server waits for (it reads its own copy) and its query still ends at its
  time limit, which is wall-clock time (the supervisor kills it after the limit plus a grace).

Set by the supervisor right after the worker starts (its start-up is ranked low too) and by the
worker itself before the engine starts its threads, which inherit it (on Linux, priority and
scheduling class are per thread). Lowering one's own priority needs no privilege; raising it
back would, and is never needed: a worker stays at its priority until it ends.
"""

from __future__ import annotations

import os
from typing import get_args

from graph_api.config import WorkerPriority as Priority

PRIORITIES: tuple[Priority, ...] = get_args(Priority)
LOWEST_NICENESS = 19


def lower(pid: int, priority: Priority) -> None:
    """Rank process `pid` (0: the calling thread) as `priority` says; OSError if it is gone."""
    if priority == "low":
        os.setpriority(os.PRIO_PROCESS, pid, LOWEST_NICENESS)
    elif priority == "idle":
        os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0))
    elif priority != "normal":
        raise ValueError(f"unknown priority {priority!r}; one of {', '.join(PRIORITIES)}")
