"""Writing a run folder: the crawler writes it as it goes, an importer writes it in one pass.

``steps.jsonl`` is append-only and flushed after every line; a screen's files are written
before the first step that reaches it, so a killed crawl leaves a consistent prefix. A torn last
line (killed mid-write) is dropped when the folder is read back.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Any, Sequence

import numpy as np

import darkscan
from darkscan.device.protocol import DeviceInfo
from darkscan.errors import RunFolderError
from darkscan.runfolder.files import (now_iso, png_bytes, read_json, step_line, write_atomic,
                                      write_error, write_json)
from darkscan.runfolder.model import RunInfo
from darkscan.runfolder.reader import IMAGE_SUFFIXES, RunFolder


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
            self.previous_steps = [dict(s.raw) for s in
                                   RunFolder(self.out).steps(numbered=True)]
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
        """A new run goes into a new or empty folder, never among someone else's files."""
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
        good = "".join(step_line(s) for s in self.previous_steps)
        if self.steps_path.read_text(encoding="utf-8") != good:
            write_atomic(self.steps_path, good.encode("utf-8"))

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

    def write_run(self, info: RunInfo) -> None:
        """Write a whole run.json at once (an importer knows it all up front)."""
        self.run = info.to_json()
        self.run.setdefault("darkscan", darkscan.__version__)
        write_json(self.run_path, self.run)

    def update_run(self, **fields: Any) -> None:
        self.run.update(fields)
        write_json(self.run_path, self.run)

    # -- screens ----------------------------------------------------------------------------
    def has_screen(self, sid: str) -> bool:
        return (self.screens / f"{sid}.json").is_file()

    def write_screen(self, sid: str, meta: dict[str, Any], xml: str,
                     image: np.ndarray | None, *, image_file: Path | None = None) -> None:
        """A screen's screenshot, hierarchy and record. ``image_file``: copy this PNG/JPEG
        as it is instead of encoding ``image`` (imports keep the source's bytes)."""
        if image_file is not None:
            suffix = image_file.suffix.lower()
            if suffix not in IMAGE_SUFFIXES:
                raise RunFolderError(f"{image_file}: not a PNG or JPEG screenshot")
            try:
                data = image_file.read_bytes()
            except OSError as e:
                raise RunFolderError(f"{image_file}: cannot read: {e.strerror}") from None
            write_atomic(self.screens / f"{sid}{suffix}", data)
        elif image is not None:
            write_atomic(self.screens / f"{sid}.png", png_bytes(image))
        # the hierarchy was parsed (sanitised) before: nothing XML forbids is left to encode
        write_atomic(self.screens / f"{sid}.xml", xml.encode("utf-8", "replace"))
        # the record last: a screen counts as written once its .json exists
        write_json(self.screens / f"{sid}.json", meta)

    def write_segments(self, sid: str, segments: Sequence[tuple[int, np.ndarray | None, str]],
                       whole: np.ndarray | None) -> None:
        """A long screen's viewports below the top, ``(scroll, screenshot, hierarchy)`` each,
        as ``screens/<sid>.scroll/<scroll>.png|xml``, and the stitched whole screen as
        ``full.png`` (docs/run-folder.md). Written before the screen's record."""
        folder = self.screens / f"{sid}.scroll"
        try:
            folder.mkdir(exist_ok=True)
        except OSError as e:
            raise write_error(folder, e) from None
        for scroll, image, xml in segments:
            if image is not None:
                _save_png(folder / f"{scroll}.png", image)
            write_atomic(folder / f"{scroll}.xml", xml.encode("utf-8", "replace"))
        if whole is not None:
            _save_png(folder / "full.png", whole)

    # -- steps ------------------------------------------------------------------------------
    def append_step(self, record: dict[str, Any]) -> None:
        try:
            self._steps.write(step_line(record))
            self._steps.flush()
        except OSError as e:
            raise write_error(self.steps_path, e) from None

    def write_graph(self, data: dict[str, Any]) -> None:
        write_json(self.out / "graph.json", data)

    def write_metrics(self, data: dict[str, Any]) -> None:
        write_json(self.out / "metrics.json", data)

    def close(self) -> None:
        if not self._steps.closed:
            self._steps.close()

    def __enter__(self) -> "RunWriter":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _save_png(path: Path, image: np.ndarray) -> None:
    write_atomic(path, png_bytes(image))
