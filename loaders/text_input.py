"""Reading a source file as UTF-8 text, with a located problem instead of a crash when it is not."""

from __future__ import annotations

from pathlib import Path

from graph_api.rows import LoadProblem


def read_utf8(file: Path) -> tuple[str | None, LoadProblem | None]:
    """(text, None), or (None, the problem) for a file that is not valid UTF-8 (say, Latin-1)."""
    try:
        return file.read_text(encoding="utf-8"), None
    except UnicodeDecodeError as exc:
        return None, LoadProblem(str(file), None, "encoding", f"not UTF-8 (byte {exc.start})")
