"""Running the detectors: over one screen, a list of image files, or a crawl's run folder.

    analyze_context(ctx)                 every registered screen detector on one ScreenContext
    scan_file(png, xml=None, density=None)  -> ScreenResult (a bad file -> result.error, no raise)
    analyze_run(RUN, progress=cb, jobs=N)  screens/<id>.* -> findings, + graph detectors; writes
                                         RUN/findings.json {"findings": [... + "screen": id]}
                                         (screens of other packages - launcher, system, other
                                         apps - are not scanned: they are not the app's)
    analyze_run(RUN, only=[...])         just those detectors; their findings replace theirs in
                                         an existing findings.json, the others' are kept
    scan_files(pngs, jobs=N)             scan_file over many files
    analyze_screen(folder, sid, dets)    one screen of a run, long screens in all their
                                         viewports (boxes on the whole, stitched screen)

OCR runs only where the hierarchy has no text (WebViews, images, canvas), through the OCR
engine's content cache - in memory and on disk (``vision.ocr.cache_dir``), so a screenshot seen
twice, in this run or an earlier one, is read once. With ``jobs`` > 1 screens are analysed in
worker processes (``darkscan.workers``: one OCR engine and a share of the cores each; they get
paths, not pixels); the results are the same, in the same order, as sequential analysis.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from darkscan.crawl.segments import WholeHierarchy, below_the_top
from darkscan.detect.arrival import Shown, shown_from_steps
from darkscan.detect.finding import Finding, parse_findings
from darkscan.detect.registry import (Detector, RunGraph, check_only, graph_detectors,
                                      screen_detectors)
from darkscan.errors import DarkscanError, InputError
from darkscan.geometry import Box
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
    warnings: tuple[str, ...] = ()  # limits the analysis hit (ScreenContext.warnings)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"image": self.image, "width": self.width, "height": self.height,
                             "findings": [f.to_dict() for f in self.findings]}
        if self.error is not None:
            d["error"] = self.error
        if self.warnings:
            d["warnings"] = list(self.warnings)
        return d


def scan_files(pngs: Sequence[str | Path], *, density: float | None = None, jobs: int = 1,
               progress: Callable[[str, int, int], None] | None = None) -> list[ScreenResult]:
    """``scan_file`` over many screenshots (no XML), in ``jobs`` worker processes; input order."""
    out: list[ScreenResult | None] = [None] * len(pngs)
    if jobs > 1 and len(pngs) > 1:
        from darkscan.workers import AnalysisPool

        with AnalysisPool(min(jobs, len(pngs))) as pool:
            for n, (i, r) in enumerate(pool.map(_scan_task, ((str(p), density) for p in pngs))):
                out[i] = r
                if progress is not None:
                    progress(str(pngs[i]), n + 1, len(pngs))
    else:
        for i, p in enumerate(pngs):
            out[i] = scan_file(p, density=density)
            if progress is not None:
                progress(str(p), i + 1, len(pngs))
    return [r for r in out if r is not None]


def _scan_task(png: str, density: float | None) -> ScreenResult:
    return scan_file(png, density=density)


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
    findings = tuple(analyze_context(ctx, detectors))
    return ScreenResult(str(png), ctx.width, ctx.height, findings, warnings=tuple(ctx.warnings))


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
    other_screens: int = 0  # screens of other packages (launcher, system, other apps): not scanned
    warnings: dict[str, list[str]] = field(default_factory=dict)  # screen -> limits hit
    kept: int = 0  # --only: findings of the other detectors kept from findings.json


def screen_context(run: Path | RunFolder, sid: str, *, ocr: OcrEngine | None = None,
                   run_info: RunInfo | None = None,
                   shown: Shown | None = None) -> ScreenContext:
    """The ScreenContext of ``RUN/screens/<sid>``; secure screens get a black frame."""
    folder = run if isinstance(run, RunFolder) else RunFolder(run)
    record = folder.screen(sid)
    info = run_info if run_info is not None else folder.info_or_default()
    xml = folder.xml_path(sid)
    hierarchy: Any = parse_xml_file(xml) if xml is not None else None
    scroller = record.get("scroller")
    if hierarchy is not None and isinstance(scroller, list) and len(scroller) == 4:
        # a long screen: the top viewport also knows what lies below it (as off-screen nodes,
        # like a phone's dump of a ScrollView), so rules that judge the whole screen - renewal
        # terms missing? - see all of it
        segs = [(s.offset, parse_xml_file(s.xml)) for s in folder.segments(sid) if s.xml]
        hierarchy = WholeHierarchy.of(hierarchy, below_the_top(Box(*scroller), segs))
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


def segment_contexts(run: Path | RunFolder, sid: str, *, ocr: OcrEngine | None = None,
                     run_info: RunInfo | None = None,
                     shown: Shown | None = None) -> list[ScreenContext]:
    """A long screen's viewports below the top (``screens/<sid>.scroll/``), each a
    ScreenContext with its ``scroll_offset``; empty for a screen that fits the display."""
    folder = run if isinstance(run, RunFolder) else RunFolder(run)
    record = folder.screen(sid)
    info = run_info if run_info is not None else folder.info_or_default()
    out = []
    for seg in folder.segments(sid):
        hierarchy = parse_xml_file(seg.xml) if seg.xml is not None else None
        out.append(ScreenContext(load_image(seg.image), hierarchy,
                                 density=record.density or info.density,
                                 first_seen=first_seen_from_record(record.raw, seg.scroll),
                                 ocr=ocr, secure=record.secure, name=f"{sid}@{seg.scroll}",
                                 shown=shown, scroll_offset=seg.offset))
    return out


def _on_whole_screen(f: Finding, ctx: ScreenContext) -> Finding:
    """A finding of a viewport below the top, placed on the whole (stitched) screen."""
    off = ctx.scroll_offset
    b = f.bbox
    return replace(f, bbox=Box(b.x1, b.y1 + off, b.x2, b.y2 + off),
                   evidence={**f.evidence, "scroll_offset": off})


def _same_finding(a: Finding, b: Finding) -> bool:
    """The same pattern seen again (where two viewports overlap, or on a node below the top
    viewport and again in the viewport that shows it)."""
    if (a.category, a.rule) != (b.category, b.rule):
        return False
    if a.bbox.empty or b.bbox.empty:
        return a.bbox.empty and b.bbox.empty
    inter = a.bbox.intersection(b.bbox)
    return a.bbox.iou(b.bbox) > 0.5 or (
        not inter.empty and inter.area > 0.6 * min(a.bbox.area, b.bbox.area))


def analyze_screen(folder: RunFolder, sid: str, detectors: Sequence[Detector], *,
                   ocr: OcrEngine | None = None, run_info: RunInfo | None = None,
                   shown: Shown | None = None,
                   warnings: list[str] | None = None) -> list[Finding]:
    """Every screen detector on all of a screen: its top viewport, then each viewport below
    (long screens), with boxes on the whole screen and repeats in overlaps dropped. Rules that
    judge a screen as a whole (``WHOLE_SCREEN_RULES`` of a detector module: an absence, a
    takeover) count on the top viewport only. ``warnings`` collects the limits the analysis
    hit (``ScreenContext.warnings``)."""
    ctx = screen_context(folder, sid, ocr=ocr, run_info=run_info, shown=shown)
    found = analyze_context(ctx, detectors, screen=sid)
    if warnings is not None:
        warnings.extend(ctx.warnings)
    whole = {r for d in detectors for r in d.whole_screen_rules}
    for seg in segment_contexts(folder, sid, ocr=ocr, run_info=run_info, shown=shown):
        for f in analyze_context(seg, detectors, screen=sid):
            if f.rule in whole:
                continue
            f = _on_whole_screen(f, seg)
            same = next((i for i, g in enumerate(found) if _same_finding(f, g)), None)
            if same is None:
                found.append(f)
            elif found[same].bbox.y1 >= ctx.height:
                found[same] = f  # seen on pixels beats a node below the fold
    return found


def _shown(folder: RunFolder) -> dict[str, Shown]:
    """How each screen was reached, from ``steps.jsonl`` (empty without it)."""
    return shown_from_steps(s.raw for s in folder.steps(numbered=True))


def _graph(folder: RunFolder) -> Any:
    import networkx as nx

    data = folder.graph
    if data is None:
        return nx.DiGraph()
    return data.networkx(multigraph=False, path=folder.root / "graph.json")


@dataclass
class _ScreenOut:
    """One screen's analysis as a worker returns it (small: no pixels)."""

    findings: list[Finding]
    record: dict[str, Any] | None = None
    error: str | None = None
    ocr: tuple[float, int, int] = (0.0, 0, 0)   # inference seconds, inferences, pixels
    warnings: list[str] = field(default_factory=list)


_FOLDERS: dict[str, RunFolder] = {}   # per worker process: run folders already opened


def _analyze_screen(folder: RunFolder, sid: str, engine: OcrEngine, shown: Shown | None,
                    only: Sequence[str] | None) -> _ScreenOut:
    stats = engine.stats if isinstance(engine, CachedOcrEngine) else None
    before = (stats.inference_seconds, stats.inferences, stats.pixels_inferred) if stats else None
    warnings: list[str] = []
    try:
        findings = analyze_screen(folder, sid, screen_detectors(only), ocr=engine,
                                  run_info=folder.info_or_default(), shown=shown,
                                  warnings=warnings)
    except InputError as e:
        return _ScreenOut([], error=e.message)
    ocr = (0.0, 0, 0)
    if stats is not None and before is not None:
        ocr = (stats.inference_seconds - before[0], stats.inferences - before[1],
               stats.pixels_inferred - before[2])
    return _ScreenOut(findings, folder.screen(sid).raw, ocr=ocr, warnings=warnings)


def _screen_task(run: str, sid: str, shown: Shown | None,
                 only: tuple[str, ...] | None) -> _ScreenOut:
    """A worker's task: paths in, findings out; the worker's own default OCR engine."""
    folder = _FOLDERS.get(run)
    if folder is None:
        folder = _FOLDERS[run] = RunFolder(run)
    return _analyze_screen(folder, sid, default_engine(), shown, only)


def _in_report_order(findings: Sequence[Finding], screen_ids: Sequence[str]) -> list[Finding]:
    """Findings in the order a full analysis writes them: screen by screen in run order (on a
    screen, the top viewport's, then each viewport below it), detectors in registry order;
    then the graph rules in registry order. The sort is stable: one detector's findings keep
    their own order."""
    order = {d.category: i for i, d in enumerate((*screen_detectors(), *graph_detectors()))}
    screen_cats = {d.category for d in screen_detectors()}
    at = {sid: i for i, sid in enumerate(screen_ids)}

    def key(f: Finding) -> tuple[int, int, float, int]:
        rank = order.get(f.category, len(order))
        if f.category not in screen_cats:
            return (1, 0, 0.0, rank)
        off = f.evidence.get("scroll_offset", 0)
        return (0, at.get(f.screen or "", len(at)),
                float(off) if isinstance(off, (int, float)) else 0.0, rank)

    return sorted(findings, key=key)


def analyze_run(run: str | Path, *, ocr: OcrEngine | None = None,
                progress: Callable[[str, int, int], None] | None = None,
                write: bool = True, only: Sequence[str] | None = None,
                jobs: int = 1) -> RunAnalysis:
    """Every screen detector over every screen, then the graph detectors; ``findings.json``.

    ``jobs`` > 1: screens in that many worker processes (each with the default OCR engine, so
    not with a custom ``ocr``); findings come out in the same order as with one job.
    ``only``: just these detectors (names or categories); ``findings`` is then theirs plus the
    other detectors' findings of an existing findings.json (``kept`` of them), in full-analysis
    order, and that is what is written.
    """
    check_only(only)
    folder = RunFolder(run).require(screens=True)
    run = folder.root
    # --only: the other detectors' findings of an earlier analysis are kept (read, and so
    # checked, before any work)
    old: tuple[Finding, ...] = ()
    if only and folder.findings_json is not None:
        old = parse_findings(folder.findings_json, run / "findings.json")
    # every file read below is checked before the first OCR call: a corrupt run folder fails
    # in a second, not after minutes of reading screens
    info = folder.info_or_default()
    result = RunAnalysis()
    ids = []
    for sid in folder.screen_ids():
        try:
            if folder.screen(sid).kind != "app":
                result.other_screens += 1  # not the app's screen: its patterns are not the app's
                continue
        except InputError as e:
            result.errors[sid] = e.message
            continue
        ids.append(sid)
    shown = _shown(folder)
    graph = _graph(folder)
    metrics = folder.metrics.raw if folder.metrics is not None else {}
    t0 = time.perf_counter()
    records: dict[str, Any] = {}
    outs: list[_ScreenOut | None] = [None] * len(ids)
    arrivals = [shown.get(sid, Shown()) if shown else None for sid in ids]
    if progress is not None:
        progress(ids[0] if ids else "", 0, len(ids))
    if jobs > 1 and ocr is None and len(ids) > 1:
        from darkscan.workers import AnalysisPool

        only_t = tuple(only) if only else None
        with AnalysisPool(min(jobs, len(ids))) as pool:
            tasks = ((str(run), sid, arrivals[i], only_t) for i, sid in enumerate(ids))
            for n, (i, out) in enumerate(pool.map(_screen_task, tasks)):
                outs[i] = out
                if progress is not None:
                    progress(ids[i], n + 1, len(ids))
    else:
        engine: OcrEngine = ocr or default_engine()
        for i, sid in enumerate(ids):
            outs[i] = _analyze_screen(folder, sid, engine, arrivals[i], only)
            if progress is not None:
                progress(sid, i + 1, len(ids))
    for sid, out in zip(ids, outs):
        assert out is not None
        if out.error is not None:
            result.errors[sid] = out.error
            continue
        records[sid] = out.record
        result.findings.extend(out.findings)
        if out.warnings:
            result.warnings[sid] = out.warnings
        result.screens += 1
        result.ocr_seconds += out.ocr[0]
        result.ocr_inferences += out.ocr[1]
        result.ocr_pixels += out.ocr[2]
    gds = graph_detectors(only)
    kept: list[Finding] = []
    if only:
        ran = {d.category for d in (*screen_detectors(only), *gds)}
        kept = [f for f in old if f.category not in ran]
        result.kept = len(kept)
    if gds:
        screen_found = [*result.findings, *(f for f in kept if f.screen is not None)] \
            if only else result.findings
        rg = RunGraph(run, graph, metrics, info.raw, records, tuple(screen_found))
        for d in gds:
            result.findings.extend(d.detect(rg))
    if only:
        result.findings = _in_report_order([*kept, *result.findings], folder.screen_ids())
    result.seconds = time.perf_counter() - t0
    if write:
        write_json(run / "findings.json", {"findings": [f.to_dict() for f in result.findings]})
    return result


__all__ = [
    "DarkscanError",
    "RunAnalysis",
    "ScreenResult",
    "analyze_context",
    "analyze_run",
    "analyze_screen",
    "scan_file",
    "scan_files",
    "screen_context",
]
