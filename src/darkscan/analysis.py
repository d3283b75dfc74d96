"""Running the detectors: over one screen, a list of image files, or a crawl's run folder.

    analyze_context(ctx)                 every registered screen detector on one ScreenContext
    scan_file(png, xml=None, density=None)  -> ScreenResult (a bad file -> result.error, no raise)
    analyze_run(RUN, progress=cb)        screens/<id>.* -> findings, + graph detectors; writes
                                         RUN/findings.json {"findings": [... + "screen": id]}

Screens of one run share one OCR engine with a content cache, so a screenshot seen twice is
read once; OCR runs only where the hierarchy has no text (WebViews, images, canvas).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from darkscan.detect.arrival import Shown, shown_from_steps
from darkscan.detect.finding import Finding
from darkscan.detect.registry import Detector, RunGraph, graph_detectors, screen_detectors
from darkscan.errors import DarkscanError, InputError, RunFolderError
from darkscan.runfolder import RunFolder, RunInfo, write_json
from darkscan.vision.context import ScreenContext, first_seen_from_record
from darkscan.vision.hierarchy_io import parse_xml_file
from darkscan.vision.imageio import load_image
from darkscan.vision.ocr import CachedOcrEngine, OcrEngine, default_engine


def analyze_context(ctx: ScreenContext, detectors: Sequence[Detector] | None = None,
                    screen: str | None = None) -> list[Finding]:
    out: list[Finding] = []
    for d in screen_detectors() if detectors is None else detectors:
        for f in d.detect(ctx):
            out.append(f if screen is None else _with_screen(f, screen))
    return out


def _with_screen(f: Finding, screen: str) -> Finding:
    return Finding(f.category, f.rule, f.severity, f.bbox, f.message, f.evidence,
                   f.regulations, screen)


@dataclass(frozen=True)
class ScreenResult:
    image: str
    width: int = 0
    height: int = 0
    findings: tuple[Finding, ...] = ()
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"image": self.image, "width": self.width, "height": self.height,
                             "findings": [f.to_dict() for f in self.findings]}
        if self.error is not None:
            d["error"] = self.error
        return d


def scan_file(png: str | Path, *, xml: str | Path | None = None, density: float | None = None,
              ocr: OcrEngine | None = None,
              detectors: Sequence[Detector] | None = None) -> ScreenResult:
    """Analyse one screenshot file. Problems with the user's files become ``error``."""
    try:
        image = load_image(png)
        hierarchy = parse_xml_file(xml) if xml is not None else None
    except InputError as e:
        return ScreenResult(str(png), error=e.message)
    ctx = ScreenContext(image, hierarchy, density=density, ocr=ocr or default_engine(),
                        name=Path(png).stem)
    return ScreenResult(str(png), ctx.width, ctx.height, tuple(analyze_context(ctx, detectors)))


# ---------------------------------------------------------------------------- run folders
@dataclass
class RunAnalysis:
    findings: list[Finding] = field(default_factory=list)
    screens: int = 0
    seconds: float = 0.0
    ocr_seconds: float = 0.0
    ocr_inferences: int = 0
    ocr_pixels: int = 0
    errors: dict[str, str] = field(default_factory=dict)


def screen_context(run: Path | RunFolder, sid: str, *, ocr: OcrEngine | None = None,
                   run_info: RunInfo | None = None,
                   shown: Shown | None = None) -> ScreenContext:
    """The ScreenContext of ``RUN/screens/<sid>``; secure screens get a black frame."""
    folder = run if isinstance(run, RunFolder) else RunFolder(run)
    record = folder.screen(sid)
    info = run_info if run_info is not None else folder.info_or_default()
    xml = folder.xml_path(sid)
    hierarchy = parse_xml_file(xml) if xml is not None else None
    secure = record.secure
    png = folder.image_path(sid)
    if png is not None:
        image = load_image(png)
    else:
        w, h = info.width or 720, info.height or 1280
        image = np.zeros((h, w, 3), np.uint8)
        secure = True
    density = record.density or info.density
    return ScreenContext(image, hierarchy, density=density,
                         first_seen=first_seen_from_record(record.raw), ocr=ocr,
                         secure=secure, name=sid, shown=shown)


def _shown(folder: RunFolder) -> dict[str, Shown]:
    """How each screen was reached, from ``steps.jsonl`` (empty without it)."""
    return shown_from_steps(s.raw for s in folder.steps(numbered=True))


def _graph(folder: RunFolder) -> Any:
    import networkx as nx

    data = folder.graph
    if data is None:
        return nx.DiGraph()
    return data.networkx(multigraph=False, path=folder.root / "graph.json")


def analyze_run(run: str | Path, *, ocr: OcrEngine | None = None,
                progress: Callable[[str, int, int], None] | None = None,
                write: bool = True, only: Sequence[str] | None = None) -> RunAnalysis:
    """Every screen detector over every screen, then the graph detectors; ``findings.json``."""
    folder = RunFolder(run).require(screens=True)
    run = folder.root
    info = folder.info_or_default()
    ids = folder.screen_ids()
    engine: OcrEngine = ocr or default_engine()
    stats = engine.stats if isinstance(engine, CachedOcrEngine) else None
    before = (stats.inference_seconds, stats.inferences, stats.pixels_inferred) if stats else None
    detectors = screen_detectors(only)
    result = RunAnalysis()
    t0 = time.perf_counter()
    records: dict[str, Any] = {}
    shown = _shown(folder)
    for i, sid in enumerate(ids):
        if progress is not None:
            progress(sid, i, len(ids))
        try:
            ctx = screen_context(folder, sid, ocr=engine, run_info=info,
                                 shown=shown.get(sid, Shown()) if shown else None)
        except InputError as e:
            result.errors[sid] = e.message
            continue
        records[sid] = folder.screen(sid).raw
        result.findings.extend(analyze_context(ctx, detectors, screen=sid))
        result.screens += 1
    if progress is not None:
        progress("", len(ids), len(ids))
    gds = graph_detectors(only)
    if gds:
        metrics = folder.metrics.raw if folder.metrics is not None else {}
        rg = RunGraph(run, _graph(folder), metrics, info.raw, records, tuple(result.findings))
        for d in gds:
            result.findings.extend(d.detect(rg))
    result.seconds = time.perf_counter() - t0
    if stats is not None and before is not None:
        result.ocr_seconds = stats.inference_seconds - before[0]
        result.ocr_inferences = stats.inferences - before[1]
        result.ocr_pixels = stats.pixels_inferred - before[2]
    if write:
        write_json(run / "findings.json", {"findings": [f.to_dict() for f in result.findings]})
    return result


__all__ = [
    "DarkscanError",
    "RunAnalysis",
    "ScreenResult",
    "analyze_context",
    "analyze_run",
    "scan_file",
    "screen_context",
]
