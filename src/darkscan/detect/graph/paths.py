"""Walking the screen graph: the main screen, tap distances, and where a control first appears.

Depth convention (used by every graph rule and in docs/findings.md): the number of actions a
user needs from the app's *main screen* to activate a control, the final tap on the control
included. A privacy-policy link on the screen reached by tapping "我的" then "设置" has depth 3.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping

from darkscan.crawl.mainscreen import NavEdge, NavWidget, find_main
from darkscan.detect.graph.rundata import Edge, RunView, ScreenRecord, Widget

__all__ = [
    "PathStep", "Hit", "Matcher", "main_screen", "distances", "path_to", "find_controls",
    "path_evidence",
]

# Actions that leave the app or restart it: never part of a route a user takes inside the app.
_NOT_NAVIGATION = {"home", "launch", "restart", "app_start", "relaunch", "stop"}


@dataclass(frozen=True)
class PathStep:
    screen: str
    action: str
    label: str = ""  # the tapped control's text, "" for back / swipe / untitled icons

    def to_dict(self) -> dict[str, str]:
        return {"screen": self.screen, "action": self.action}


@dataclass(frozen=True)
class Hit:
    """A control found on a screen, with the shortest route from the main screen to it."""

    screen: str
    widget: Widget
    depth: int | None  # None: not reachable in the graph
    path: tuple[PathStep, ...]
    from_main: bool = True


def _dialog(run: RunView, node: str) -> bool:
    rec = run.screens.get(node)
    return rec.dialog if rec is not None else False


def _nav_edges(run: RunView, node: str) -> Iterator[Edge]:
    """Edges a path may take: a back from a full screen depends on how the user got there,
    so (as in the crawler's goal paths) only a dialog may be left by one."""
    dialog = _dialog(run, node)
    for e in run.out_edges(node):
        if e.kind not in _NOT_NAVIGATION and e.target != node and (dialog or not e.returns):
            yield e


def main_screen(run: RunView) -> str | None:
    """The screen a user lands on once splash screens, ads and first-run dialogs are passed.

    The crawler's structural rule (darkscan.crawl.mainscreen, docs/crawler.md "The main
    screen"): the screen with the app's navigation bar nearest to launch, else the first full
    screen of the launch path that its way onward returns to by back.
    """
    screens = {sid: (rec.dialog, [NavWidget(w.label or w.name, (w.bounds.x1, w.bounds.y1,
                                                                 w.bounds.x2, w.bounds.y2),
                                            w.clickable) for w in rec.widgets])
               for sid, rec in run.screens.items() if sid in run.graph}
    for n in run.graph.nodes:
        screens.setdefault(n, (False, []))
    edges = [NavEdge(e.source, e.target, e.kind, e.label, e.step or 0) for e in run.edges()
             if e.kind not in _NOT_NAVIGATION]
    first = {sid: rec.first_seen or 0 for sid, rec in run.screens.items()}
    return find_main(run.launch, screens, edges, first)


def distances(run: RunView, source: str) -> dict[str, tuple[int, Edge | None]]:
    """BFS over navigation edges: node -> (actions from ``source``, the edge that reached it)."""
    out: dict[str, tuple[int, Edge | None]] = {source: (0, None)}
    q = deque([source])
    while q:
        n = q.popleft()
        d = out[n][0]
        # deterministic: prefer edges in step order, so the route is the one first walked
        for e in sorted(_nav_edges(run, n), key=lambda e: (e.step is None, e.step or 0)):
            if e.target not in out:
                out[e.target] = (d + 1, e)
                q.append(e.target)
    return out


def path_to(dist: Mapping[str, tuple[int, Edge | None]], node: str) -> tuple[PathStep, ...]:
    """The route to ``node`` as (screen, action taken on it) steps."""
    steps: list[PathStep] = []
    cur = node
    while cur in dist and dist[cur][1] is not None:
        e = dist[cur][1]
        assert e is not None
        steps.append(PathStep(e.source, e.describe(), e.label))
        cur = e.source
    return tuple(reversed(steps))


Matcher = Callable[[ScreenRecord, Widget], Any]


def find_controls(run: RunView, match: Matcher, *, source: str | None = None) -> list[Hit]:
    """Every widget ``match`` accepts, shallowest first; unreachable ones last.

    Depths count from the main screen. A control reachable only from screens before it (a
    first-launch consent dialog) gets its depth from the launch screen and ``from_main`` False.
    """
    start = source or main_screen(run)
    dist = distances(run, start) if start else {}
    pre: dict[str, tuple[int, Edge | None]] = {}
    if run.launch and run.launch != start:
        pre = {n: v for n, v in distances(run, run.launch).items() if n not in dist}
    hits: list[Hit] = []
    for sid, screen in run.screens.items():
        for w in screen.widgets:
            if not match(screen, w):
                continue
            final = PathStep(sid, f"tap '{w.name}'", w.name)
            if sid in dist:
                hits.append(Hit(sid, w, dist[sid][0] + 1, path_to(dist, sid) + (final,)))
            elif sid in pre:
                hits.append(Hit(sid, w, pre[sid][0] + 1, path_to(pre, sid) + (final,),
                                from_main=False))
            else:
                hits.append(Hit(sid, w, None, (final,), from_main=False))
    hits.sort(key=lambda h: (not h.from_main, h.depth is None, h.depth or 0, h.screen,
                             h.widget.bounds))
    return hits


def path_evidence(path: tuple[PathStep, ...]) -> list[dict[str, Any]]:
    return [s.to_dict() for s in path]
