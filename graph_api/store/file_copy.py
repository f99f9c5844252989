"""Copy the open database file without giving up this process's lock on it.

LadybugDB keeps other processes out of a database with a POSIX record lock on the file, and
POSIX drops every such lock a process holds on a file as soon as that process closes *any*
descriptor of the file. Copying the file in the server process (for the query workers' copy,
for the safety copy before a bulk write) opened and closed it, and from then on a second
process could open the database read-write beside the server (found: `copgraph cypher` opened
the file of a running server after its first named query). So the copy is made by a child
process, whose descriptors are its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

_COPY = (
    "import os, shutil, sys\n"
    "with open(sys.argv[1], 'rb') as source, open(sys.argv[2], 'wb') as target:\n"
    "    shutil.copyfileobj(source, target, 1 << 20)\n"
    "    target.flush()\n"
    "    os.fsync(target.fileno())\n"
)


def copy_keeping_locks(source: str | Path, target: str | Path) -> None:
    """Copy `source` to `target` (flushed to disk) in a child process; OSError when it fails."""
    if Path(target).exists() and Path(target).samefile(source):  # opening the target would empty the source
        raise OSError(f"cannot copy {source} onto itself")
    done = subprocess.run([sys.executable, "-c", _COPY, str(source), str(target)], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["the copying process failed"])[-1]
        raise OSError(f"cannot copy {source} to {target}: {reason}")
