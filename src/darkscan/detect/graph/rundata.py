"""A run folder read for the graph detectors: screens, the screen graph, goals, probes, thresholds.

Only the documented files are read (docs/run-folder.md), never crawler internals, so the graph
detectors work on any run folder: one crawled here, on a phone, or written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any, Iterator, Mapping

import networkx as nx

from darkscan.errors import RunFolderError
from darkscan.runfolder import GraphData, RunFolder, ScreenMeta, read_json
from darkscan.geometry import Box

__all__ = [
    "Widget", "ScreenRecord", "Edge", "Exploration", "GoalResult", "RunView", "load_run",
    "read_json",
]


class Exploration(str, Enum):
    """How the crawl ended, as far as "not found" is concerned."""

    EXHAUSTED = "exhausted"  # every reachable action was tried: "not found" means absent
    BUDGET = "budget"        # stopped early (budget, user, crash): "not found" proves nothing


@dataclass(frozen=True)
class Widget:
    """One widget of ``screens/<id>.json``; ``label`` is what a user reads as its name."""

    bounds: Box
    cls: str = ""
    text: str = ""
    resource_id: str = ""
    checkable: bool = False
    checked: bool = False
    enabled: bool = True
    label: str = ""
    desc: str = ""
    clickable: bool = True
    password: bool = False

    @property
    def name(self) -> str:
        return (self.label or self.text or self.desc).strip()


@dataclass(frozen=True)
class ScreenRecord:
    id: str
    activity: str = ""
    widgets: tuple[Widget, ...] = ()
    secure: bool = False
    first_seen: int | None = None
    image: Path | None = None
    extra_texts: tuple[str, ...] = ()  # text read from pixels (OCR), when a stage stored it
    dialog: bool = False  # drawn over another screen (popup, confirmation, consent)

    @property
    def texts(self) -> tuple[str, ...]:
        own = tuple(t for w in self.widgets for t in (w.text, w.desc) if t.strip())
        return own + self.extra_texts

    def widgets_in_row(self, w: Widget) -> Iterator[Widget]:
        """Other widgets whose vertical extent overlaps ``w`` (same list row)."""
        for o in self.widgets:
            if o is w:
                continue
            if o.bounds.y1 < w.bounds.y2 and w.bounds.y1 < o.bounds.y2:
                yield o


@dataclass(frozen=True)
class Edge:
    """One action of the screen graph. ``label`` is the tapped widget's text ("" if none)."""

    source: str
    target: str
    kind: str
    label: str = ""
    bounds: Box | None = None
    step: int | None = None
    #: the outcome depended on the back stack (graph.json ``returns``: back, navigate up,
    #: a dialog dismissed) - walkable only to leave a dialog (docs/crawler.md)
    returns: bool = False

    def describe(self) -> str:
        if self.kind == "tap":
            return f"tap '{self.label}'" if self.label else "tap"
        return self.kind


class GoalReason(str, Enum):
    FOUND = "found"
    EXHAUSTED = "exhausted"
    BUDGET = "budget"


@dataclass(frozen=True)
class GoalResult:
    """One row of metrics.json's goal table."""

    name: str
    found: bool
    steps: int | None
    path: tuple[Mapping[str, Any], ...]
    reason: GoalReason


@dataclass(frozen=True)
class RunView:
    root: Path
    package: str
    label: str
    status: str
    screens: Mapping[str, ScreenRecord]
    graph: nx.MultiDiGraph = field(repr=False)
    launch: str | None
    goals: Mapping[str, GoalResult]
    probes: Mapping[str, Any] | None
    settings: Mapping[str, Any]  # the flow file's gate: mapping (thresholds), raw
    goal_set: Any = None         # the flow's darkscan.crawl.goals.GoalSet; None = built-ins
    events: tuple[Mapping[str, Any], ...] = ()

    @property
    def exploration(self) -> Exploration:
        return Exploration.EXHAUSTED if self.status == "done" else Exploration.BUDGET

    def edges(self) -> Iterator[Edge]:
        for u, v, data in self.graph.edges(data=True):
            yield data["edge"]

    def out_edges(self, node: str) -> Iterator[Edge]:
        for _, _, data in self.graph.out_edges(node, data=True):
            yield data["edge"]


def _box(value: Any) -> Box | None:
    if isinstance(value, (list, tuple)) and len(value) == 4:
        try:
            return Box(*[int(v) for v in value])
        except (TypeError, ValueError):
            return None
    return None


def _is_dialog(xml_path: Path, package: str, size: tuple[int, int]) -> bool:
    """Whether the saved hierarchy shows a dialog, judged the way the crawler keys screens."""
    from darkscan.crawl.state import top_windows
    from darkscan.device.hierarchy import parse_hierarchy
    from darkscan.errors import HierarchyError

    if not xml_path.is_file():
        return False
    try:
        h = parse_hierarchy(xml_path.read_bytes())
    except HierarchyError:
        return False
    if package:
        h = h.for_package(package)
    return top_windows(h, *size)[1]


def _screen(folder: RunFolder, sid: str, package: str = "", size: tuple[int, int] = (0, 0),
            lazy_dialog: bool = True) -> ScreenRecord:
    """One ``screens/<id>.json``; ``lazy_dialog``: judge dialogs from the XML if not stated."""
    d: ScreenMeta = folder.screen(sid)
    widgets = []
    for w in d.widgets:
        widgets.append(Widget(
            bounds=_box(w.get("bounds")) or Box(0, 0, 0, 0),
            cls=str(w.get("class") or ""),
            text=str(w.get("text") or ""),
            resource_id=str(w.get("resource_id") or ""),
            checkable=bool(w.get("checkable", False)),
            checked=bool(w.get("checked_first_seen", w.get("checked", False))),
            enabled=bool(w.get("enabled", True)),
            label=str(w.get("label") or ""),
            desc=str(w.get("content_desc") or ""),
            clickable=bool(w.get("clickable", True)),
            password=bool(w.get("password", False)),
        ))
    ocr = d.get("ocr_texts") or ()
    return ScreenRecord(
        id=d.id, activity=d.activity, widgets=tuple(widgets),
        secure=d.secure,
        first_seen=d.first_seen,
        image=folder.image_path(sid),
        extra_texts=tuple(str(t) for t in ocr if isinstance(t, str)),
        dialog=d.dialog if d.dialog is not None
        else (lazy_dialog and _is_dialog(folder.screen_path(sid).with_suffix(".xml"), package,
                                         size)),
    )


def _action_edge(source: str, target: str, action: Any, kind: Any, step: Any) -> Edge:
    """An edge from a graph.json link (``action`` = the label) or a steps.jsonl action."""
    label = ""
    bounds = None
    if isinstance(action, Mapping):  # a steps.jsonl action: {"kind", "target": {"text", ...}}
        kind = action.get("kind") or kind
        tgt = action.get("target") if isinstance(action.get("target"), Mapping) else {}
        label = str(tgt.get("text") or tgt.get("label") or tgt.get("content_desc") or "")
        bounds = _box(tgt.get("bounds"))
    elif isinstance(action, str):
        label = action
    kind = str(kind or "tap")
    if kind != "tap" and label.strip().lower() == kind:
        label = ""
    return Edge(source=source, target=target, kind=kind, label=label.strip(), bounds=bounds,
                step=step if isinstance(step, int) else None)


def _graph(gd: GraphData | None, steps: list[Mapping[str, Any]]
           ) -> tuple[nx.MultiDiGraph, Mapping[str, Mapping[str, Any]], Mapping[str, Any]]:
    """(app graph, node attributes, graph attributes) from graph.json, else from the steps.

    Only the app's own screens are kept (the crawler's graph also holds the launcher and
    system Settings screens of the uninstall path, an import the other apps' screens).
    """
    g = nx.MultiDiGraph()
    attrs: dict[str, Mapping[str, Any]] = {}
    if gd is not None:
        for n in gd.nodes:
            if "id" in n and n.get("kind", "app") == "app":
                g.add_node(str(n["id"]))
                attrs[str(n["id"])] = n
        for e in gd.links:
            if "source" not in e or "target" not in e:
                continue
            src, dst = str(e["source"]), str(e["target"])
            if src not in attrs or dst not in attrs:
                continue
            edge = _action_edge(src, dst, e.get("action"), e.get("kind"), e.get("step"))
            if e.get("returns") is True:
                edge = replace(edge, returns=True)
            g.add_edge(src, dst, edge=edge)
        return g, attrs, gd.attrs
    for s in steps:
        if s.get("from") is None or s.get("to") is None or s.get("from") == s.get("to"):
            continue
        edge = _action_edge(str(s["from"]), str(s["to"]), s.get("action"), None, s.get("step"))
        g.add_edge(edge.source, edge.target, edge=edge)
    return g, attrs, {}


def _goals(metrics: Mapping[str, Any]) -> dict[str, GoalResult]:
    out: dict[str, GoalResult] = {}
    goals = metrics.get("goals") or {}
    if not isinstance(goals, Mapping):
        return out
    for name, g in goals.items():
        if not isinstance(g, Mapping):
            continue
        try:
            reason = GoalReason(str(g.get("reason") or ("found" if g.get("found") else "budget")))
        except ValueError:
            reason = GoalReason.BUDGET
        steps = g.get("steps")
        path = tuple(p for p in g.get("path") or () if isinstance(p, Mapping))
        out[str(name)] = GoalResult(str(name), bool(g.get("found")),
                                    int(steps) if isinstance(steps, (int, float)) else None,
                                    path, reason)
    return out


def _launch(screens: Mapping[str, ScreenRecord], steps: list[Mapping[str, Any]],
            g: nx.MultiDiGraph, meta: Mapping[str, Any]) -> str | None:
    """The screen the app opens on: the graph's root, else the first screen the crawl saw."""
    if meta.get("root") is not None and str(meta["root"]) in g:
        return str(meta["root"])
    for s in steps:
        if s.get("from") is not None and str(s["from"]) in screens:
            return str(s["from"])
    seen = [s for s in screens.values() if s.first_seen is not None]
    if seen:
        return min(seen, key=lambda s: s.first_seen or 0).id
    return next(iter(g.nodes), None)


def load_run(root: Path | str, settings: Mapping[str, Any] | None = None) -> RunView:
    """Read a run folder. ``settings`` overrides the thresholds the flow file gives."""
    folder = RunFolder(root)
    if folder.info is None:
        raise RunFolderError(f"{folder.root}: not a run folder (no run.json)",
                             hint="run `darkscan crawl FLOW --out DIR` first")
    info = folder.info
    size = (info.width, info.height)
    steps = [s.raw for s in folder.steps(skip_invalid=True)]
    g, node_attrs, meta = _graph(folder.graph, steps)
    screens: dict[str, ScreenRecord] = {}
    for sid in folder.screen_ids():
        rec = _screen(folder, sid, info.app.package, size, lazy_dialog=not node_attrs)
        screens[rec.id] = rec
    for sid, rec in list(screens.items()):
        na = node_attrs.get(sid)
        if na is not None and isinstance(na.get("dialog"), bool) and na["dialog"] != rec.dialog:
            screens[sid] = replace(rec, dialog=na["dialog"])
        if node_attrs and na is None:
            del screens[sid]  # a system / launcher / other app's screen
        elif sid not in g:
            g.add_node(sid)
    metrics = folder.metrics
    from darkscan.detect.graph.settings import flow_settings  # local: avoids an import cycle
    fs = flow_settings(info.raw, folder.root)
    merged = dict(fs.gate)
    merged.update(settings or {})
    merged.setdefault("__source__", fs.source)
    return RunView(
        root=folder.root, package=info.app.package, label=info.app.label,
        status=info.status, screens=screens, graph=g,
        launch=_launch(screens, steps, g, meta),
        goals=_goals(metrics.raw if metrics is not None else {}),
        probes=folder.probes,
        settings=merged,
        goal_set=fs.goals,
        events=tuple(s for s in steps if s.get("event")),
    )
