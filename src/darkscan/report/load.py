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

from darkscan.detect.finding import Finding
from darkscan.crawl.runfolder import read_json, read_step_lines
from darkscan.errors import RunFolderError


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

    @property
    def app_label(self) -> str:
        app = self.run.get("app") or {}
        return str(app.get("label") or app.get("package") or "")

    @property
    def app_package(self) -> str:
        return str((self.run.get("app") or {}).get("package") or "")

    @property
    def goals(self) -> Mapping[str, Mapping[str, Any]]:
        goals = (self.metrics or {}).get("goals") or {}
        return goals if isinstance(goals, Mapping) else {}


def _mapping(path: Path, value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise RunFolderError(f"{path}: expected a JSON object, found {type(value).__name__}")
    return value


def read_steps(path: Path) -> tuple[Step, ...]:
    if not path.is_file():
        return ()
    steps: list[Step] = []
    for n, d in read_step_lines(path):
        if not isinstance(d, Mapping):
            raise RunFolderError(f"{path}:{n}: expected a JSON object")
        action = d.get("action") if isinstance(d.get("action"), Mapping) else {}
        steps.append(Step(index=int(d.get("step", n)), source=d.get("from"),
                          target=d.get("to"), action=action, event=d.get("event"),
                          reason=d.get("reason")))
    return tuple(steps)


def read_screens(folder: Path) -> dict[str, Screen]:
    if not folder.is_dir():
        return {}
    ids = {p.stem for p in folder.iterdir() if p.suffix in (".png", ".json")}
    screens: dict[str, Screen] = {}
    for sid in sorted(ids):
        png = folder / f"{sid}.png"
        meta = folder / f"{sid}.json"
        info = _mapping(meta, read_json(meta)) if meta.is_file() else {}
        screens[sid] = Screen(id=sid, image=png if png.is_file() else None, info=info)
    return screens


def read_graph(path: Path) -> nx.MultiDiGraph | None:
    if not path.is_file():
        return None
    data = _mapping(path, read_json(path))
    edges_key = "links" if "links" in data else "edges"
    try:
        g = nx.node_link_graph(data, directed=True, multigraph=True, edges=edges_key)
    except (KeyError, TypeError, nx.NetworkXError) as e:
        raise RunFolderError(f"{path}: not networkx node-link data ({e})") from None
    return nx.MultiDiGraph(g)


def graph_from_steps(steps: tuple[Step, ...]) -> nx.MultiDiGraph | None:
    """The graph the steps describe, for a run whose graph.json is not written yet."""
    if not steps:
        return None
    g = nx.MultiDiGraph()
    for s in steps:
        if s.source is not None and s.target is not None:
            g.add_edge(str(s.source), str(s.target), action=dict(s.action), step=s.index)
    return g if g.number_of_nodes() else None


def read_findings(path: Path) -> tuple[Finding, ...] | None:
    if not path.is_file():
        return None
    data = _mapping(path, read_json(path))
    items = data.get("findings")
    if not isinstance(items, list):
        raise RunFolderError(f"{path}: 'findings' must be a list")
    out: list[Finding] = []
    for i, item in enumerate(items):
        try:
            out.append(Finding.from_dict(item))
        except KeyError as e:
            raise RunFolderError(f"{path}: finding #{i + 1} has no {e}") from None
        except (ValueError, TypeError) as e:
            raise RunFolderError(f"{path}: finding #{i + 1} is invalid: {e}") from None
    return tuple(out)


def load_run(root: Path | str, *, require_metrics: bool = False) -> RunData:
    """Read the run folder at ``root``; raises RunFolderError when it is missing or corrupt."""
    root = Path(root)
    if not root.is_dir():
        raise RunFolderError(f"{root}: no such run folder",
                             hint="give the folder `darkscan crawl --out` wrote")
    run_path = root / "run.json"
    if not run_path.is_file():
        raise RunFolderError(f"{root}: not a run folder (no run.json)")
    run = _mapping(run_path, read_json(run_path))
    metrics_path = root / "metrics.json"
    metrics = _mapping(metrics_path, read_json(metrics_path)) if metrics_path.is_file() else None
    if metrics is None and require_metrics:
        raise RunFolderError(f"{metrics_path}: missing; the crawl has not finished",
                             hint="run `darkscan crawl` (or `--resume`) to completion first")
    if metrics is not None and not isinstance(metrics.get("goals", {}), Mapping):
        raise RunFolderError(f"{metrics_path}: 'goals' must be an object")
    steps = read_steps(root / "steps.jsonl")
    graph = read_graph(root / "graph.json")
    return RunData(root=root, run=run, steps=steps, screens=read_screens(root / "screens"),
                   graph=graph if graph is not None else graph_from_steps(steps),
                   metrics=metrics, findings=read_findings(root / "findings.json"))
