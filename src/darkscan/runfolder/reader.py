"""Reading a run folder: one :class:`RunFolder` per ``RUN/`` that analyze, report, gate, the
graph detectors and batch all read through.

Only ``run.json`` and ``screens/`` are needed for most stages; every later file is optional
(a run can be read while crawling, crawled, or analysed), so each accessor returns ``None`` or
an empty value for a file that is absent. A file that exists but is malformed is one
:class:`RunFolderError` line naming the file and the problem. Parsed values are cached: a
consumer may ask twice without reading twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Mapping

from darkscan.errors import RunFolderError
from darkscan.runfolder.files import read_json, read_step_lines
from darkscan.runfolder.model import (GraphData, Metrics, RunInfo, ScreenMeta, StepRecord,
                                      expect_mapping)

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")  # crawls write PNG; imports keep the source's JPEG


class RunFolder:
    """A run folder on disk, read lazily and typed."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)
        self.screens_dir = self.root / "screens"
        self._screens: dict[str, ScreenMeta] = {}

    # -- presence -----------------------------------------------------------------------------
    def require(self, *, screens: bool = False, run_json: bool = False,
                hint: str | None = None) -> "RunFolder":
        """Raise the usual one-line errors when this is not a run folder."""
        if not self.root.is_dir():
            raise RunFolderError(f"{self.root}: no such run folder", hint=hint)
        if run_json and not self.run_path.is_file():
            raise RunFolderError(f"{self.root}: not a run folder (no run.json)", hint=hint)
        if screens and not self.screens_dir.is_dir():
            raise RunFolderError(f"{self.root}: not a run folder (no screens/ directory)")
        return self

    @property
    def run_path(self) -> Path:
        return self.root / "run.json"

    # -- run.json -----------------------------------------------------------------------------
    @cached_property
    def info(self) -> RunInfo | None:
        """``run.json``, or None when it is absent."""
        if not self.run_path.is_file():
            return None
        return RunInfo.from_json(read_json(self.run_path), self.run_path)

    def info_or_default(self) -> RunInfo:
        return self.info if self.info is not None else RunInfo()

    # -- steps.jsonl --------------------------------------------------------------------------
    @property
    def steps_path(self) -> Path:
        return self.root / "steps.jsonl"

    @cached_property
    def step_lines(self) -> tuple[tuple[int, Any], ...]:
        """(line number, parsed value) of every complete line (a torn last line dropped)."""
        return tuple(read_step_lines(self.steps_path))

    def steps(self, *, skip_invalid: bool = False, numbered: bool = False
              ) -> tuple[StepRecord, ...]:
        """Every step in file order. A line that is not an object is an error unless
        ``skip_invalid``; ``numbered`` also checks the steps are numbered 1, 2, 3 ..."""
        out: list[StepRecord] = []
        for n, d in self.step_lines:
            if skip_invalid and not isinstance(d, Mapping):
                continue
            out.append(StepRecord.from_json(d, n, self.steps_path))
        if numbered:
            for i, s in enumerate(out):
                if s.raw.get("step") != i + 1:
                    raise RunFolderError(
                        f"{self.steps_path}: step {i + 1} is numbered {s.raw.get('step')!r}")
        return tuple(out)

    # -- screens/ -----------------------------------------------------------------------------
    def screen_ids(self, *, with_images: bool = False) -> list[str]:
        """Ids of the screens with a ``<id>.json`` record (``with_images``: or a screenshot)."""
        if not self.screens_dir.is_dir():
            return []
        suffixes = (".json", *IMAGE_SUFFIXES) if with_images else (".json",)
        return sorted({p.stem for p in self.screens_dir.iterdir() if p.suffix in suffixes})

    def screen_path(self, sid: str) -> Path:
        return self.screens_dir / f"{sid}.json"

    def screen(self, sid: str) -> ScreenMeta:
        """``screens/<sid>.json`` (missing -> RunFolderError)."""
        if sid not in self._screens:
            p = self.screen_path(sid)
            self._screens[sid] = ScreenMeta.from_json(read_json(p), p)
        return self._screens[sid]

    def has_screen(self, sid: str) -> bool:
        return self.screen_path(sid).is_file()

    def image_path(self, sid: str) -> Path | None:
        """The screenshot of ``sid`` (PNG, or JPEG as imported), None if there is none."""
        for suffix in IMAGE_SUFFIXES:
            p = self.screens_dir / f"{sid}{suffix}"
            if p.is_file():
                return p
        return None

    def xml_path(self, sid: str) -> Path | None:
        p = self.screens_dir / f"{sid}.xml"
        return p if p.is_file() else None

    def segments(self, sid: str) -> list[SegmentFiles]:
        """The viewports below the top of a long screen (``screens/<sid>.scroll/``), in scroll
        order; only those whose screenshot is on disk."""
        folder = self.screens_dir / f"{sid}.scroll"
        out = []
        for scroll, offset in self.screen(sid).segments:
            png, xml = folder / f"{scroll}.png", folder / f"{scroll}.xml"
            if png.is_file():
                out.append(SegmentFiles(scroll, offset, png, xml if xml.is_file() else None))
        return out

    def full_image_path(self, sid: str) -> Path | None:
        """The whole screen: the stitched image of a long screen, else its screenshot."""
        p = self.screens_dir / f"{sid}.scroll" / "full.png"
        return p if p.is_file() else self.image_path(sid)

    # -- graph.json, metrics.json, probes.json, findings.json ---------------------------------
    @cached_property
    def graph(self) -> GraphData | None:
        p = self.root / "graph.json"
        return GraphData.from_json(read_json(p), p) if p.is_file() else None

    @cached_property
    def metrics(self) -> Metrics | None:
        p = self.root / "metrics.json"
        return Metrics.from_json(read_json(p), p) if p.is_file() else None

    @cached_property
    def probes(self) -> Mapping[str, Any] | None:
        p = self.root / "probes.json"
        if not p.is_file():
            return None
        d = read_json(p)
        return d if isinstance(d, Mapping) else None

    @cached_property
    def findings_json(self) -> list[Any] | None:
        """The raw ``findings`` list of findings.json (None: not analysed yet)."""
        p = self.root / "findings.json"
        if not p.is_file():
            return None
        items = expect_mapping(p, read_json(p)).get("findings")
        if not isinstance(items, list):
            raise RunFolderError(f"{p}: 'findings' must be a list")
        return items


@dataclass(frozen=True)
class SegmentFiles:
    """One viewport of a long screen: ``offset`` px = how far the content moved up since the
    top (a point inside the scroller is at y + offset on the whole screen)."""

    scroll: int
    offset: int
    image: Path
    xml: Path | None


def open_run(root: Path | str) -> RunFolder:
    return RunFolder(root)
