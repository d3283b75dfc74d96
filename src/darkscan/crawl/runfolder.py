"""The run folder, written as the crawl goes (docs/run-folder.md).

``steps.jsonl`` is append-only and flushed after every line; a screen's files are written
before the first step that reaches it, so a killed crawl leaves a consistent prefix. A torn last
line (killed mid-write) is dropped when the folder is read back.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

import darkscan
from darkscan.device.protocol import DeviceInfo
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


def read_steps(path: Path) -> list[dict[str, Any]]:
    """Every complete step of steps.jsonl, in order, checked to be numbered 1, 2, 3 ..."""
    out: list[dict[str, Any]] = []
    for n, d in read_step_lines(path):
        if not isinstance(d, dict):
            raise RunFolderError(f"{path}:{n}: expected a JSON object")
        out.append(d)
    for i, s in enumerate(out):
        if s.get("step") != i + 1:
            raise RunFolderError(f"{path}: step {i + 1} is numbered {s.get('step')!r}")
    return out


class RunWriter:
    """Creates or reopens ``RUN/`` and writes its files."""

    def __init__(self, out: Path, *, resume: bool) -> None:
        self.out = Path(out)
        self.screens = self.out / "screens"
        self.steps_path = self.out / "steps.jsonl"
        self.run_path = self.out / "run.json"
        if self.out.exists() and not self.out.is_dir():
            raise RunFolderError(f"{self.out}: is a file, not a run folder; choose another --out")
        if resume:
            if not self.run_path.is_file():
                raise RunFolderError(f"{self.out}: no run.json to resume (start without --resume)")
            self.run: dict[str, Any] = read_json(self.run_path)
            if not isinstance(self.run, dict):
                raise RunFolderError(f"{self.run_path}: expected a JSON object")
            self.previous_steps = read_steps(self.steps_path)
            self._truncate_torn_line()
        else:
            if self.run_path.exists() or self.steps_path.exists():
                raise RunFolderError(
                    f"{self.out} already holds a run; use --resume to continue it or choose "
                    "another --out")
            self._refuse_foreign_folder()
            self.run = {}
            self.previous_steps = []
        try:
            self.screens.mkdir(parents=True, exist_ok=True)
            self._steps = open(self.steps_path, "a", encoding="utf-8")
        except OSError as e:
            raise RunFolderError(f"{self.out}: cannot write the run folder: {e.strerror}") from None

    def _refuse_foreign_folder(self) -> None:
        """A new crawl writes into a new or empty folder, never among someone else's files."""
        if not self.out.is_dir():
            return
        others = sorted(p.name for p in self.out.iterdir()
                        if not (p == self.screens and p.is_dir() and not any(p.iterdir())))
        if others:
            raise RunFolderError(
                f"{self.out} exists and is not a run folder (it holds {others[0]!r}); "
                "choose a new or empty --out")

    def _truncate_torn_line(self) -> None:
        if not self.steps_path.is_file():
            return
        good = "".join(json.dumps(s, ensure_ascii=False) + "\n" for s in self.previous_steps)
        if self.steps_path.read_text(encoding="utf-8") != good:
            self.steps_path.write_text(good, encoding="utf-8")

    # -- run.json ---------------------------------------------------------------------------
    def start(self, *, package: str, label: str, device: DeviceInfo, flow: str) -> None:
        if not self.run:
            self.run = {"app": {"package": package, "label": label}, "device": asdict(device),
                        "flow": flow, "started": now_iso(), "finished": None,
                        "status": "running", "darkscan": darkscan.__version__, "elapsed": 0.0,
                        "resumes": 0}
        else:
            app = self.run.get("app")
            logged = app.get("package") if isinstance(app, dict) else None
            if logged and logged != package:
                raise RunFolderError(
                    f"{self.out} holds a crawl of {logged}, not {package}; resume it with the "
                    "flow it was crawled with, or choose another --out")
            self.run["status"] = "running"
            self.run["finished"] = None
            self.run["resumes"] = int(self.run.get("resumes", 0)) + 1
        write_json(self.run_path, self.run)

    def update_run(self, **fields: Any) -> None:
        self.run.update(fields)
        write_json(self.run_path, self.run)

    # -- screens ----------------------------------------------------------------------------
    def has_screen(self, sid: str) -> bool:
        return (self.screens / f"{sid}.json").is_file()

    def write_screen(self, sid: str, meta: dict[str, Any], xml: str,
                     image: np.ndarray | None) -> None:
        if image is not None:
            png = self.screens / f"{sid}.png"
            tmp = png.with_name(png.name + ".tmp")
            Image.fromarray(np.asarray(image, dtype=np.uint8)).save(tmp, format="PNG")
            os.replace(tmp, png)
        xml_path = self.screens / f"{sid}.xml"
        xml_path.write_text(xml, encoding="utf-8")
        write_json(self.screens / f"{sid}.json", meta)

    # -- steps ------------------------------------------------------------------------------
    def append_step(self, record: dict[str, Any]) -> None:
        self._steps.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._steps.flush()

    def write_graph(self, data: dict[str, Any]) -> None:
        write_json(self.out / "graph.json", data)

    def write_metrics(self, data: dict[str, Any]) -> None:
        write_json(self.out / "metrics.json", data)

    def close(self) -> None:
        if not self._steps.closed:
            self._steps.close()


class Timer:
    """Wall time of this process plus what earlier (interrupted) runs already spent."""

    def __init__(self, before: float = 0.0) -> None:
        self.before = before
        self.t0 = time.monotonic()

    def elapsed(self) -> float:
        return self.before + (time.monotonic() - self.t0)

