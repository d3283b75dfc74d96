"""Bytes on disk: atomic JSON writes, JSON reads and the append-only step log.

Every way a file can be wrong becomes one :class:`RunFolderError` line naming the file.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from darkscan.errors import RunFolderError


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def write_json(path: Path, data: Any) -> None:
    """Atomic JSON write (temp file + rename): readers never see half a file."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        raise RunFolderError(f"{path}: cannot write: {e.strerror}") from None


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


def read_step_lines(path: Path) -> list[tuple[int, Any]]:
    """(line number, value) of every complete line of steps.jsonl; a torn last line is dropped.

    The crawler appends as it goes, so a cut-off last line is a crash, not corruption; a bad
    line anywhere else is.
    """
    if not path.is_file():
        return []
    out: list[tuple[int, Any]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append((n, json.loads(line)))
        except json.JSONDecodeError as e:
            if n == len(lines):
                break  # killed mid-write
            raise RunFolderError(f"{path}:{n}: corrupt JSON: {e.msg}") from None
    return out
