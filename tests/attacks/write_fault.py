"""Child process of the crash tests: run one write and SIGKILL the process at a named moment.

`python -m tests.attacks.write_fault DB MOMENT PATH-KIND ARG...`; the moments are steps of the
write protocol (`graph_api/store/ladybug_snapshot.py`) or states of the engine's files, watched
by a thread (the engine releases the GIL while it writes, so the watcher sees the log grow):

* `intent`      - the marker is on disk, nothing written yet
* `log`         - the log of this write has reached LOG_BYTES bytes (the engine is writing it)
* `committed`   - COMMIT returned, the checkpoint has not started
* `checkpoint`  - the engine's checkpoint files exist (it is applying the write to the file)
* `checkpointed`- the checkpoint finished, the marker is still there
* `none`        - no kill (the reference run)
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any

from graph_api.store.ladybug_snapshot import WriteProtocol

TOKEN = "fault-token-0123456789"
UPSERT = "mutation($input: SolutionInput!) { upsertSolution(input: $input) { id } }"


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _after(method: str) -> None:
    original = getattr(WriteProtocol, method)

    def patched(self: WriteProtocol, *args: Any) -> Any:
        result = original(self, *args)
        die()
        return result

    setattr(WriteProtocol, method, patched)


def _before(method: str) -> None:
    def patched(self: WriteProtocol, *args: Any) -> None:
        die()

    setattr(WriteProtocol, method, patched)


def _watch(db: Path, ready: Any) -> None:
    """Kill as soon as `ready()` holds while a write is marked in flight."""
    intent = Path(f"{db}.write-intent")

    def loop() -> None:
        while True:
            if intent.exists() and ready():
                die()
            time.sleep(0.0001)

    threading.Thread(target=loop, daemon=True).start()


def arm(db: Path, moment: str, log_bytes: int) -> None:
    wal = Path(f"{db}.wal")
    if moment == "intent":
        _after("_mark_intent")
    elif moment == "committed":
        _before("_checkpoint_committed")
    elif moment == "checkpointed":
        _before("_finish")
    elif moment == "log":
        _watch(db, lambda: wal.exists() and wal.stat().st_size >= log_bytes)
    elif moment == "checkpoint":
        _watch(db, lambda: Path(f"{db}.shadow").exists() or Path(f"{db}.wal.checkpoint").exists())
    elif moment != "none":
        raise SystemExit(f"unknown moment {moment}")


def mutate(db: Path, solution_json: str) -> int:
    import json

    from fastapi.testclient import TestClient

    from graph_api.app import create_app
    from graph_api.config import Settings

    app = create_app(Settings(db_path=str(db), api_token=TOKEN))
    body = {"query": UPSERT, "variables": {"input": json.loads(solution_json)}}
    client = TestClient(app)
    response = client.post("/graphql", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    print(response.text, flush=True)
    # the server goes on answering after the write, whatever became of it
    after = client.post("/graphql", json={"query": "{ solution(id: \"Solution:crash-test-loesung\") { id } }"})
    print(f"read after the write: {after.status_code}", flush=True)
    print("closing the store", flush=True)  # a shutdown: the engine writes at close even after no write
    app.state.store.close()
    return 0 if response.status_code == 200 and "errors" not in response.json() else 1


def main(argv: list[str]) -> int:
    db, moment, kind, *rest = argv
    log_bytes = int(os.environ.get("LOG_BYTES", "1"))
    arm(Path(db), moment, log_bytes)
    if kind == "mutation":
        return mutate(Path(db), rest[0])
    from graph_api.cli import main as cli

    return cli(["--db", db, "load", kind, *rest])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
