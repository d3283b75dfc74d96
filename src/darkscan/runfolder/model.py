"""Typed values of the run folder's files (docs/run-folder.md).

Each value is frozen and keeps the parsed JSON it came from as ``raw``, so a consumer that needs
a field this model does not name still reads it from the same single parse. ``from_json``
validates the shape (one :class:`RunFolderError` line naming the file); ``to_json`` is what the
writer stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from darkscan.errors import RunFolderError

__all__ = ["AppRef", "SourceRef", "RunInfo", "ScreenMeta", "StepRecord", "Metrics",
           "GraphData", "expect_mapping"]


def expect_mapping(path: Path | str, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RunFolderError(f"{path}: expected a JSON object, found {type(value).__name__}")
    return value


def _str(v: Any) -> str:
    return str(v) if v is not None else ""


def _opt_int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


@dataclass(frozen=True)
class AppRef:
    package: str = ""
    label: str = ""


@dataclass(frozen=True)
class SourceRef:
    """Who produced the crawl when darkscan did not: ``darkscan import TOOL``."""

    tool: str
    path: str = ""
    version: str = ""
    warnings: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"tool": self.tool, "path": self.path, "version": self.version,
                "warnings": self.warnings}


@dataclass(frozen=True)
class RunInfo:
    """``run.json``."""

    app: AppRef = AppRef()
    device: Mapping[str, Any] = field(default_factory=dict)
    flow: str | None = None
    status: str = "running"
    started: str | None = None
    finished: str | None = None
    source: SourceRef | None = None  # None: crawled by darkscan itself
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def imported(self) -> bool:
        return self.source is not None

    @property
    def width(self) -> int:
        return int(self.device.get("width") or 0)

    @property
    def height(self) -> int:
        return int(self.device.get("height") or 0)

    @property
    def density(self) -> float | None:
        d = self.device.get("density")
        return float(d) if isinstance(d, (int, float)) and d else None

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    @classmethod
    def from_json(cls, data: Any, path: Path | str = "run.json") -> "RunInfo":
        d = expect_mapping(path, data)
        app = d.get("app") if isinstance(d.get("app"), Mapping) else {}
        dev = d.get("device") if isinstance(d.get("device"), Mapping) else {}
        src = d.get("source") if isinstance(d.get("source"), Mapping) else None
        source = None
        if src is not None and src.get("tool"):
            source = SourceRef(tool=_str(src.get("tool")), path=_str(src.get("path")),
                               version=_str(src.get("version")),
                               warnings=int(src.get("warnings") or 0))
        flow = d.get("flow")
        return cls(app=AppRef(_str(app.get("package")), _str(app.get("label"))), device=dev,
                   flow=flow if isinstance(flow, str) and flow else None,
                   status=_str(d.get("status")) or "running",
                   started=d.get("started") if isinstance(d.get("started"), str) else None,
                   finished=d.get("finished") if isinstance(d.get("finished"), str) else None,
                   source=source, raw=d)

    def to_json(self) -> dict[str, Any]:
        out = dict(self.raw)
        out.update({"app": {"package": self.app.package, "label": self.app.label},
                    "device": dict(self.device), "flow": self.flow, "started": self.started,
                    "finished": self.finished, "status": self.status})
        if self.source is not None:
            out["source"] = self.source.to_json()
        return out


@dataclass(frozen=True)
class ScreenMeta:
    """``screens/<id>.json``; ``widgets`` are the stored widget objects as they are."""

    id: str
    kind: str = "app"
    activity: str = ""
    package: str = ""
    dialog: bool | None = None  # None: not stated (older runs); judge from the XML
    secure: bool = False
    first_seen: int | None = None
    density: float | None = None
    widgets: tuple[Mapping[str, Any], ...] = ()
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    @property
    def segments(self) -> tuple[tuple[int, int], ...]:
        """(scroll, offset px) of each viewport below the top of a long screen (``segments``);
        empty for a screen that fits the display or a run from before long-screen capture."""
        out = []
        for s in self.raw.get("segments") or ():
            if isinstance(s, Mapping):
                scroll, offset = _opt_int(s.get("scroll")), _opt_int(s.get("offset"))
                if scroll is not None and scroll > 0 and offset is not None and offset >= 0:
                    out.append((scroll, offset))
        return tuple(out)

    @classmethod
    def from_json(cls, data: Any, path: Path) -> "ScreenMeta":
        d = expect_mapping(path, data)
        ws = d.get("widgets") or ()
        dens = d.get("density")
        return cls(id=_str(d.get("id")) or path.stem, kind=_str(d.get("kind")) or "app",
                   activity=_str(d.get("activity")), package=_str(d.get("package")),
                   dialog=d["dialog"] if isinstance(d.get("dialog"), bool) else None,
                   secure=bool(d.get("secure", False)), first_seen=_opt_int(d.get("first_seen")),
                   density=float(dens) if isinstance(dens, (int, float)) and dens else None,
                   widgets=tuple(w for w in ws if isinstance(w, Mapping))
                   if isinstance(ws, (list, tuple)) else (),
                   raw=d)


@dataclass(frozen=True)
class StepRecord:
    """One line of ``steps.jsonl``; ``line`` is its line number in the file."""

    line: int
    step: int | None
    source: str | None
    target: str | None
    action: Mapping[str, Any] = field(default_factory=dict)
    event: str | None = None
    events: tuple[str, ...] = ()
    reason: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def kind(self) -> str:
        return _str(self.action.get("kind"))

    @classmethod
    def from_json(cls, data: Any, line: int, path: Path) -> "StepRecord":
        if not isinstance(data, Mapping):
            raise RunFolderError(f"{path}:{line}: expected a JSON object")
        action = data.get("action") if isinstance(data.get("action"), Mapping) else {}
        evs = data.get("events")
        src, dst = data.get("from"), data.get("to")
        return cls(line=line, step=_opt_int(data.get("step")),
                   source=str(src) if src is not None else None,
                   target=str(dst) if dst is not None else None, action=action,
                   event=data.get("event") if isinstance(data.get("event"), str) else None,
                   events=tuple(str(e) for e in evs) if isinstance(evs, list) else (),
                   reason=data.get("reason") if isinstance(data.get("reason"), str) else None,
                   raw=data)


@dataclass(frozen=True)
class Metrics:
    """``metrics.json``: the goal table (name -> {found, steps, path, reason}) and coverage."""

    goals: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    coverage: Mapping[str, Any] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    @classmethod
    def from_json(cls, data: Any, path: Path) -> "Metrics":
        d = expect_mapping(path, data)
        goals = d.get("goals", {})
        if not isinstance(goals, Mapping):
            raise RunFolderError(f"{path}: 'goals' must be an object")
        for name, g in goals.items():
            _check_goal(path, str(name), g)
        cov = d.get("coverage") if isinstance(d.get("coverage"), Mapping) else {}
        return cls(goals={str(k): v for k, v in goals.items() if isinstance(v, Mapping)},
                   coverage=cov, raw=d)


def _check_goal(path: Path, name: str, g: Any) -> None:
    """One goal row of metrics.json has the types its readers rely on (else one line naming
    the file and the key)."""
    key = f"goals.{name}"
    if not isinstance(g, Mapping):
        raise RunFolderError(f"{path}: {key}: expected an object, found {type(g).__name__}")
    types: dict[str, tuple[type, ...]] = {"found": (bool,), "steps": (int, float, type(None)),
                                          "path": (list, type(None)),
                                          "reason": (str, type(None))}
    for k, allowed in types.items():
        if k in g and (not isinstance(g[k], allowed) or (k == "steps" and g[k] is True)):
            raise RunFolderError(f"{path}: {key}.{k}: unexpected {type(g[k]).__name__} "
                                 f"{str(g[k])[:40]!r}")
    for i, hop in enumerate(g.get("path") or ()):
        if not isinstance(hop, Mapping):
            raise RunFolderError(f"{path}: {key}.path[{i}]: expected an object")


@dataclass(frozen=True)
class GraphData:
    """``graph.json``: networkx node-link data (``links`` or ``edges``)."""

    nodes: tuple[Mapping[str, Any], ...] = ()
    links: tuple[Mapping[str, Any], ...] = ()
    attrs: Mapping[str, Any] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def links_key(self) -> str:
        return "links" if "links" in self.raw else "edges"

    @classmethod
    def from_json(cls, data: Any, path: Path) -> "GraphData":
        d = expect_mapping(path, data)
        links = d.get("links") if d.get("links") is not None else d.get("edges")
        for key, value in (("nodes", d.get("nodes")), ("links", links)):
            if value is not None and not isinstance(value, list):
                raise RunFolderError(f"{path}: '{key}' must be a list, found "
                                     f"{type(value).__name__}")
        attrs = d.get("graph") if isinstance(d.get("graph"), Mapping) else {}
        return cls(nodes=tuple(n for n in d.get("nodes") or () if isinstance(n, Mapping)),
                   links=tuple(e for e in links or () if isinstance(e, Mapping)),
                   attrs=attrs, raw=d)

    def networkx(self, *, multigraph: bool, path: Path | str = "graph.json") -> Any:
        """The graph as networkx (imported lazily: networkx is slow to import)."""
        import networkx as nx

        try:
            return nx.node_link_graph(self.raw, directed=True, multigraph=multigraph,
                                      edges=self.links_key)
        except (KeyError, TypeError, nx.NetworkXError) as e:
            raise RunFolderError(f"{path}: not networkx node-link data ({e})") from None
