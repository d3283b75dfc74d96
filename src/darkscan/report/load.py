"""Read a run folder (docs/run-folder.md) into one frozen value the report and the gate share.

Only ``run.json`` is required; every later file is optional because a run can be read at any
stage (crawling, crawled, analysed). A file that exists but cannot be parsed is an error: the
user gets one line naming the file and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import networkx as nx

from darkscan.detect.finding import Finding, parse_findings
from darkscan.errors import RunFolderError
from darkscan.runfolder import RunFolder, RunInfo, StepRecord


@dataclass(frozen=True)
class Step:
    """One line of ``steps.jsonl``."""

    index: int
    source: str | None
    target: str | None
    action: Mapping[str, Any]
    event: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Screen:
    """One abstract screen: its screenshot path (if written) and its ``<id>.json`` record."""

    id: str
    image: Path | None
    info: Mapping[str, Any] = field(default_factory=dict)

    @property
    def activity(self) -> str:
        return str(self.info.get("activity") or "")

    @property
    def secure(self) -> bool:
        return bool(self.info.get("secure", False))

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(str(w.get("text")) for w in self.info.get("widgets", ())
                     if isinstance(w, Mapping) and w.get("text"))


@dataclass(frozen=True)
class RunData:
    root: Path
    run: Mapping[str, Any]
    steps: tuple[Step, ...]
    screens: Mapping[str, Screen]
    graph: nx.MultiDiGraph | None
    metrics: Mapping[str, Any] | None
    findings: tuple[Finding, ...] | None  # None: not analysed yet
    info: RunInfo = RunInfo()

    @property
    def app_label(self) -> str:
        return self.info.app.label or self.info.app.package

    @property
    def app_package(self) -> str:
        return self.info.app.package

    @property
    def source_tool(self) -> str | None:
        """The tool that made the crawl when it was imported (None: crawled by darkscan)."""
        return self.info.source.tool if self.info.source is not None else None

    @property
    def goals(self) -> Mapping[str, Mapping[str, Any]]:
        goals = (self.metrics or {}).get("goals") or {}
        return goals if isinstance(goals, Mapping) else {}


def _step(s: StepRecord) -> Step:
    return Step(index=s.step if s.step is not None else s.line, source=s.source,
                target=s.target, action=s.action, event=s.event, reason=s.reason)


def read_steps(folder: RunFolder) -> tuple[Step, ...]:
    return tuple(_step(s) for s in folder.steps())


def read_screens(folder: RunFolder) -> dict[str, Screen]:
    screens: dict[str, Screen] = {}
    for sid in folder.screen_ids(with_images=True):
        info: Mapping[str, Any] = folder.screen(sid).raw if folder.has_screen(sid) else {}
        # a long screen is shown whole (its stitched image; findings' boxes are on it)
        screens[sid] = Screen(id=sid, image=folder.full_image_path(sid), info=info)
    return screens


def graph_from_steps(steps: tuple[Step, ...]) -> nx.MultiDiGraph | None:
    """The graph the steps describe, for a run whose graph.json is not written yet."""
    if not steps:
        return None
    g = nx.MultiDiGraph()
    for s in steps:
        if s.source is not None and s.target is not None:
            g.add_edge(str(s.source), str(s.target), action=dict(s.action), step=s.index)
    return g if g.number_of_nodes() else None


def read_findings(folder: RunFolder) -> tuple[Finding, ...] | None:
    items = folder.findings_json
    return None if items is None else parse_findings(items, folder.root / "findings.json")


def load_run(root: Path | str, *, require_metrics: bool = False) -> RunData:
    """Read the run folder at ``root``; raises RunFolderError when it is missing or corrupt."""
    folder = RunFolder(root).require(run_json=True,
                                     hint="give the folder `darkscan crawl --out` wrote")
    info = folder.info
    assert info is not None
    metrics = folder.metrics
    metrics_path = folder.root / "metrics.json"
    if metrics is None and require_metrics:
        raise RunFolderError(f"{metrics_path}: missing; the crawl has not finished",
                             hint="run `darkscan crawl` (or `--resume`) to completion first")
    steps = read_steps(folder)
    gd = folder.graph
    graph = nx.MultiDiGraph(gd.networkx(multigraph=True, path=folder.root / "graph.json")) \
        if gd is not None else None
    return RunData(root=folder.root, run=info.raw, steps=steps, screens=read_screens(folder),
                   graph=graph if graph is not None else graph_from_steps(steps),
                   metrics=metrics.raw if metrics is not None else None,
                   findings=read_findings(folder), info=info)
