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

from darkscan.crawl.runfolder import read_json, read_step_lines
from darkscan.errors import RunFolderError
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


def _screen(path: Path, package: str = "", size: tuple[int, int] = (0, 0),
            lazy_dialog: bool = True) -> ScreenRecord:
    """One ``screens/<id>.json``; ``lazy_dialog``: judge dialogs from the XML if not stated."""
    d = read_json(path)
    if not isinstance(d, Mapping):
        raise RunFolderError(f"{path}: expected a JSON object")
    widgets = []
    for w in d.get("widgets") or ():
        if not isinstance(w, Mapping):
            continue
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
    sid = str(d.get("id") or path.stem)
    png = path.with_suffix(".png")
    ocr = d.get("ocr_texts") or ()
    return ScreenRecord(
        id=sid, activity=str(d.get("activity") or ""), widgets=tuple(widgets),
        secure=bool(d.get("secure", False)),
        first_seen=d.get("first_seen") if isinstance(d.get("first_seen"), int) else None,
        image=png if png.is_file() else None,
        extra_texts=tuple(str(t) for t in ocr if isinstance(t, str)),
        dialog=bool(d["dialog"]) if isinstance(d.get("dialog"), bool)
        else (lazy_dialog and _is_dialog(path.with_suffix(".xml"), package, size)),
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


def _graph(root: Path, steps: list[Mapping[str, Any]]
           ) -> tuple[nx.MultiDiGraph, Mapping[str, Mapping[str, Any]], Mapping[str, Any]]:
    """(app graph, node attributes, graph attributes) from graph.json, else from the steps.

    Only the app's own screens are kept (the crawler's graph also holds the launcher and
    system Settings screens of the uninstall path).
    """
    g = nx.MultiDiGraph()
    attrs: dict[str, Mapping[str, Any]] = {}
    gpath = root / "graph.json"
    if gpath.is_file():
        d = read_json(gpath)
        if not isinstance(d, Mapping):
            raise RunFolderError(f"{gpath}: expected networkx node-link JSON")
        for n in d.get("nodes") or ():
            if isinstance(n, Mapping) and "id" in n and n.get("kind", "app") == "app":
                g.add_node(str(n["id"]))
                attrs[str(n["id"])] = n
        links = d.get("links") if d.get("links") is not None else d.get("edges")
        for e in links or ():
            if not isinstance(e, Mapping) or "source" not in e or "target" not in e:
                continue
            src, dst = str(e["source"]), str(e["target"])
            if src not in attrs or dst not in attrs:
                continue
            edge = _action_edge(src, dst, e.get("action"), e.get("kind"), e.get("step"))
            g.add_edge(src, dst, edge=edge)
        meta = d.get("graph") if isinstance(d.get("graph"), Mapping) else {}
        return g, attrs, meta
    for s in steps:
        if s.get("from") is None or s.get("to") is None or s.get("from") == s.get("to"):
            continue
        edge = _action_edge(str(s["from"]), str(s["to"]), s.get("action"), None, s.get("step"))
        g.add_edge(edge.source, edge.target, edge=edge)
    return g, attrs, {}


def _steps(path: Path) -> list[Mapping[str, Any]]:
    return [d for _, d in read_step_lines(path) if isinstance(d, Mapping)]


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
    root = Path(root)
    run_json = root / "run.json"
    if not run_json.is_file():
        raise RunFolderError(f"{root}: not a run folder (no run.json)",
                             hint="run `darkscan crawl FLOW --out DIR` first")
    run = read_json(run_json)
    if not isinstance(run, Mapping):
        raise RunFolderError(f"{run_json}: expected a JSON object")
    app = run.get("app") if isinstance(run.get("app"), Mapping) else {}
    dev = run.get("device") if isinstance(run.get("device"), Mapping) else {}
    size = (int(dev.get("width") or 0), int(dev.get("height") or 0))
    steps = _steps(root / "steps.jsonl")
    g, node_attrs, meta = _graph(root, steps)
    screens: dict[str, ScreenRecord] = {}
    sdir = root / "screens"
    if sdir.is_dir():
        for p in sorted(sdir.glob("*.json")):
            rec = _screen(p, str(app.get("package") or ""), size, lazy_dialog=not node_attrs)
            screens[rec.id] = rec
    for sid, rec in list(screens.items()):
        na = node_attrs.get(sid)
        if na is not None and isinstance(na.get("dialog"), bool) and na["dialog"] != rec.dialog:
            screens[sid] = replace(rec, dialog=na["dialog"])
        if node_attrs and na is None:
            del screens[sid]  # a system / launcher screen of the uninstall path
        elif sid not in g:
            g.add_node(sid)
    metrics_path = root / "metrics.json"
    metrics = read_json(metrics_path) if metrics_path.is_file() else {}
    probes_path = root / "probes.json"
    probes = read_json(probes_path) if probes_path.is_file() else None
    from darkscan.detect.graph.settings import flow_settings  # local: avoids an import cycle
    fs = flow_settings(run, root)
    merged = dict(fs.gate)
    merged.update(settings or {})
    merged.setdefault("__source__", fs.source)
    return RunView(
        root=root, package=str(app.get("package") or ""), label=str(app.get("label") or ""),
        status=str(run.get("status") or "running"), screens=screens, graph=g,
        launch=_launch(screens, steps, g, meta),
        goals=_goals(metrics if isinstance(metrics, Mapping) else {}),
        probes=probes if isinstance(probes, Mapping) else None,
        settings=merged,
        goal_set=fs.goals,
        events=tuple(s for s in steps if s.get("event")),
    )
