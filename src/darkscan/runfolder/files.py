"""Bytes on disk: atomic writes, JSON reads and the append-only step log.

Every way a file can be wrong becomes one :class:`RunFolderError` line naming the file.
Every file but the step log (JSON, PNG, XML) is written through :func:`write_atomic`: to a
temporary file beside it, then renamed over it, so a full disk or a kill leaves the old file or
none, never half of one. A full disk is a machine problem (exit 3); an output folder that cannot
be written (read-only, no permission) is a bad ``--out`` (exit 2).
"""

from __future__ import annotations

import errno
import io
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from darkscan.errors import EnvironmentProblem, RunFolderError

_DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def write_error(path: Path, e: OSError) -> Exception:
    """The one-line error for a failed write: disk full -> exit 3, else a bad --out (exit 2)."""
    if e.errno in _DISK_FULL:
        return EnvironmentProblem(f"{path}: cannot write: the disk is full ({e.strerror})",
                                  hint="free some space; `darkscan crawl --resume` continues "
                                       "an interrupted crawl")
    return RunFolderError(f"{path}: cannot write: {e.strerror or e}")


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename: ``path`` then holds
    the old content or the new, never a part. Failures are one-line darkscan errors."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as e:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise write_error(path, e) from None


def json_bytes(data: Any, *, indent: int | None = 1) -> bytes:
    """UTF-8 JSON as darkscan writes it; a lone surrogate from app text stays a \\u escape
    (valid JSON that reads back as the same string) instead of failing to encode."""
    return json.dumps(data, ensure_ascii=False, indent=indent).encode("utf-8", "backslashreplace")


def step_line(record: Any) -> str:
    """One steps.jsonl line (newline included), safe to write as UTF-8."""
    return json_bytes(record, indent=None).decode("utf-8") + "\n"


def png_bytes(image: np.ndarray) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


def write_json(path: Path, data: Any) -> None:
    """Atomic JSON write (temp file + rename): readers never see half a file."""
    write_atomic(path, json_bytes(data))


def read_json(path: Path) -> Any:
    """A run-folder JSON file; every way it can be wrong is one RunFolderError line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RunFolderError(f"{path}: missing") from None
    except UnicodeDecodeError as e:
        raise RunFolderError(f"{path}: not UTF-8 text ({e.reason})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise RunFolderError(f"{path}:{e.lineno}: corrupt JSON: {e.msg}",
                             hint="re-run the stage that writes this file") from None
    except RecursionError:
        raise RunFolderError(f"{path}: corrupt JSON: nested too deeply") from None


def read_step_lines(path: Path) -> list[tuple[int, Any]]:
    """(line number, value) of every complete line of steps.jsonl; a torn last line is dropped.

    The crawler appends as it goes, so a cut-off last line is a crash, not corruption; a bad
    line anywhere else is.
    """
    if not path.is_file():
        return []
    out: list[tuple[int, Any]] = []
    # "\n" only: str.splitlines() would also break inside a JSON string holding U+2028/U+2029
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except UnicodeDecodeError as e:
        raise RunFolderError(f"{path}: not UTF-8 text ({e.reason})") from None
    except OSError as e:
        raise RunFolderError(f"{path}: cannot read: {e.strerror or e}") from None
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append((n, json.loads(line)))
        except RecursionError:
            raise RunFolderError(f"{path}:{n}: corrupt JSON: nested too deeply") from None
        except json.JSONDecodeError as e:
            if n == len(lines):
                break  # killed mid-write
            raise RunFolderError(f"{path}:{n}: corrupt JSON: {e.msg}") from None
    return out
