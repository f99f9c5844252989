"""Try a damaged write-ahead log in a child process before this process replays it.

Measured with LadybugDB 0.22 (tests/attacks/test_write_crashes.py): some torn logs do not fail
with an exception when the engine opens them but crash it (SIGSEGV) - which log does depends on
the records it holds (a curated load's log cut at 60 % opened, an OParl load's crashed). In the
server that would kill the process at every start; in the CLI, every command. So when a write
was interrupted (its intent marker is present) the log is first opened in a child process, on a
copy of the files: the child says whether the log replays normally, replays up to a torn record,
or takes the engine down. Only the first two are then done here.

Cost: nothing on a normal open; after an interrupted write, one copy of the database file and
one engine start in a child (a second or two at Germany territorial scale).
"""

from __future__ import annotations

import enum
import subprocess
import sys
import tempfile
from pathlib import Path

from graph_api.store.file_copy import copy_keeping_locks

# files the engine reads at open beside the database file (the log and what a checkpoint leaves)
_FILES_READ_AT_OPEN = ("", ".wal", ".shadow", ".wal.checkpoint")

_PROBE = (
    "import sys, ladybug\n"
    "try:\n"
    "    ladybug.Database(sys.argv[1], throw_on_wal_replay_failure=True).close()\n"
    "    sys.exit(0)\n"
    "except Exception:\n"
    "    pass\n"
    "try:\n"
    "    ladybug.Database(sys.argv[1], throw_on_wal_replay_failure=False).close()\n"
    "    sys.exit(10)\n"
    "except Exception:\n"
    "    sys.exit(11)\n"
)


class LogVerdict(enum.Enum):
    """What opening the log did to the engine in the child."""

    REPLAYS = "the log replays"
    REPLAYS_UP_TO_TORN_RECORD = "the log replays up to a torn record"
    REFUSED = "the engine refuses the log in either mode"
    CRASHES_ENGINE = "opening the log crashes the engine"


def probe_log(db_path: Path) -> LogVerdict:
    """Open a copy of the database and its log in a child process and report what happened."""
    with tempfile.TemporaryDirectory(prefix=f".{db_path.name}.probe-", dir=db_path.parent) as scratch:
        copy = Path(scratch) / db_path.name
        try:
            for suffix in _FILES_READ_AT_OPEN:
                source = Path(f"{db_path}{suffix}")
                if source.exists():
                    copy_keeping_locks(source, f"{copy}{suffix}")
        except OSError:  # no room for a copy: the child opens the files themselves (replay is idempotent)
            for partial in Path(scratch).iterdir():
                partial.unlink()
            copy = db_path
        done = subprocess.run([sys.executable, "-c", _PROBE, str(copy)], capture_output=True, check=False)
    if done.returncode < 0:  # killed by a signal: the engine crashed
        return LogVerdict.CRASHES_ENGINE
    return {0: LogVerdict.REPLAYS, 10: LogVerdict.REPLAYS_UP_TO_TORN_RECORD}.get(done.returncode, LogVerdict.REFUSED)
