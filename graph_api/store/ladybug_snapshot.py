"""A safety copy of the LadybugDB file around bulk writes, restored when a bulk write was killed.

Measured with LadybugDB 0.22: rows written by `COPY FROM` are not in the write-ahead log, and a
process killed during the checkpoint that follows their commit leaves a database that holds the
WAL-logged part of the batch but not the copied part (relationships then point at missing nodes,
and a rerun duplicates them). Rows written by ordinary statements recover correctly. So before a
batch that uses COPY, the store checkpoints and copies the database file; after the batch it
checkpoints again and drops the copy. A copy still present at open means the last bulk write did
not finish: the database goes back to the copy, and rerunning the same load completes it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from graph_api.store.base import StoreUnavailable

# files LadybugDB keeps beside the database file while it writes or checkpoints
_SIDE_FILES = (".wal", ".shadow", ".wal.checkpoint", ".checkpoint.apply.lock", ".checkpoint.intent.lock")


class BulkSnapshot:
    def __init__(self, db_path: str | Path):
        self.db = Path(db_path)
        self.copy = Path(f"{db_path}.before-bulk")

    def interrupted(self) -> bool:
        """True when a bulk write started and never finished (the process died)."""
        return self.copy.exists()

    def take(self, checkpoint: Callable[[], None]) -> None:
        """Checkpoint (so the file alone is the whole database), then copy it atomically."""
        checkpoint()
        partial = Path(f"{self.copy}.partial")
        try:
            with self.db.open("rb") as source, partial.open("wb") as target:
                shutil.copyfileobj(source, target, 1 << 20)
                target.flush()
                os.fsync(target.fileno())
            os.replace(partial, self.copy)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise StoreUnavailable(f"cannot write a safety copy of the database next to {self.db} "
                                   f"({exc.strerror or exc}); nothing was written") from exc

    def release(self) -> None:
        self.copy.unlink(missing_ok=True)

    def restore(self) -> None:
        """Put the database back to its state before the interrupted bulk write (database closed)."""
        for suffix in _SIDE_FILES:
            Path(f"{self.db}{suffix}").unlink(missing_ok=True)
        os.replace(self.copy, self.db)
