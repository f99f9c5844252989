"""Where the server holding a LadybugDB file listens: written beside the file by `copgraph serve`.

While `copgraph serve` holds the database, `copgraph query|cypher|export` must ask it over HTTP
(see `remote`). Guessing the address (port 8000) failed as soon as the server ran on another
port, and `export -o` then left an empty file. So the server announces its address in
`<db>.server.json` for as long as it runs; a file left by a killed server names a process that
no longer exists and is ignored (and the lock it held is gone, so the CLI opens the file itself).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

DEFAULT_URL = "http://127.0.0.1:8000"


def address_file(db_path: str | Path) -> Path:
    return Path(f"{db_path}.server.json")


def local_url(host: str, port: int) -> str:
    """The URL a process on this machine reaches a server listening on `host:port` by."""
    if host in ("0.0.0.0", "", "localhost"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


@contextlib.contextmanager
def announced(db_path: str | Path, url: str) -> Iterator[None]:
    """Keep `url` in the database's address file while the block runs (written atomically)."""
    target = address_file(db_path)
    temporary = target.with_name(target.name + f".{os.getpid()}.tmp")
    try:
        temporary.write_text(json.dumps({"url": url, "pid": os.getpid()}), encoding="utf-8")
        os.replace(temporary, target)
    except OSError:  # a read-only directory: the CLI falls back to COPGRAPH_SERVER_URL / the default
        temporary.unlink(missing_ok=True)
        yield
        return
    # uvicorn shuts down on SIGTERM and then raises the signal again with the handler found before it
    # started: the default one would end the process before `finally` runs and leave the file behind
    previous = signal.getsignal(signal.SIGTERM)
    if previous in (signal.SIG_DFL, None) and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        yield
    finally:
        if signal.getsignal(signal.SIGTERM) is _exit_on_signal:
            signal.signal(signal.SIGTERM, previous or signal.SIG_DFL)
        with contextlib.suppress(OSError):
            if _read(target) == (url, os.getpid()):  # not a newer server's file
                target.unlink()


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # the shell's convention for "ended by a signal"


def announced_url(db_path: str | Path) -> str | None:
    """The URL a live server announced for this database, or None."""
    found = _read(address_file(db_path))
    if found is None or not _alive(found[1]):
        return None
    return found[0]


def _read(path: Path) -> tuple[str, int] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    url, pid = (data.get("url"), data.get("pid")) if isinstance(data, dict) else (None, None)
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or not isinstance(pid, int) or pid < 1:
        return None
    return url, pid


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: it exists
        return True
    except OverflowError:
        return False
    return True
