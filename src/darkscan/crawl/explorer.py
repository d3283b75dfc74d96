"""The exploration policy: which unexplored action to take next, and how to get there.

Deterministic by construction (no randomness, no clocks): the choice depends only on the
graph and the current screen, so replaying a run's log rebuilds the same decisions - which is
how ``--resume`` continues a crawl exactly where it stopped.

Policy: among every unexplored action of every app screen reachable through known edges,
take the one with the highest *priority* (labels that point toward the goals - 我的, 设置, 账号,
会员, 自动续费, 隐私, Settings, Account, Subscription... - first; shares, downloads and back
arrows last), then the nearest, then the oldest screen, then top-to-bottom order. If the best
action is elsewhere, take the first step of the shortest known path to it. With nothing
reachable left, relaunch; with nothing left at all, the app is exhausted.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from enum import Enum

from darkscan.crawl.goals import GoalSet
from darkscan.crawl.graph import ActionStatus, ScreenGraph
from darkscan.crawl.state import ScreenKind, Widget
from darkscan.lexicon.navigation import AWAY, BACK_WORDS, CONSENT, DISMISS, TOWARD, TOWARD_EXACT
from darkscan.lexicon.normalize import normalize

BACK = "back"
PRIO_LEVELS = 6   # priority() returns 0..5


class Move(Enum):
    ACT = "act"            # take an unexplored action here
    NAV = "nav"            # take a known action toward a screen with unexplored actions
    BACK = "back"          # system back (no known way on)
    RELAUNCH = "relaunch"  # restart the app on its launch screen
    DONE = "done"          # nothing left to explore


@dataclass(frozen=True)
class Decision:
    move: Move
    sig: str | None = None
    target: tuple[str, str] | None = None   # (screen, sig) the move works toward


@dataclass
class _Walk:
    """A NAV decision kept while the walk toward its target continues unchanged."""

    version: int                   # Explorer._version when it was chosen
    blocked: int                   # len(blocked) then
    target: tuple[str, str]
    expect: str                    # the screen the move is known to lead to
    dist: dict[str, int] | None    # screen -> steps to the target's screen (lazily)


def priority(w: Widget, goals: GoalSet, found: set[str], dialog: bool = False) -> int:
    """5/4 = accept / dismiss a dialog, 3 = an unfound goal's widget, 2 = points toward goals,
    1 = neutral, 0 = away / back.

    A dialog is answered the way a user moves on first (同意 / OK, else 跳过 / 关闭): consent
    dialogs and welcome popups are often shown only once, so the way forward must be the
    action recorded for them.
    """
    label = normalize(w.label)
    if dialog and label in CONSENT:
        return 5
    if dialog and label in DISMISS:
        return 4
    for g in goals.app_goals():
        if g.name not in found and g.tappable and g.match(w):
            return 3
    if label in BACK_WORDS:
        return 0
    if label in TOWARD_EXACT or any(p in label for p in TOWARD):
        return 2
    if any(p in label for p in AWAY):
        return 0
    return 1


class Explorer:
    """The policy above, kept incremental so a step costs the same in a small and a big app.

    The graph tells the explorer of every opened / settled action and every new latest outcome
    (``GraphListener``). The explorer keeps the number of unexplored actions per priority, and
    a set of screens closed under known outcomes (once a search from the current screen ran to
    the end: everything reachable from a screen of the set stays in the set; new outcomes grow
    it). ``choose`` searches breadth-first from the current screen and stops as soon as no
    screen it has not reached yet can hold a better action: nothing unreached has a higher
    priority, and everything unreached is farther away. The decision is the one a full search
    over every screen would take (same score, same tie-breaks, same first step).
    """

    def __init__(self, graph: ScreenGraph) -> None:
        self.graph = graph
        self.prio: dict[tuple[str, str], int] = {}
        self.order: dict[tuple[str, str], int] = {}
        self._open = [0] * (PRIO_LEVELS)          # unexplored actions per priority, all screens
        self._region: set[str] | None = None       # closed under known outcomes
        self._region_open = [0] * (PRIO_LEVELS)   # ... of those, on screens in the region
        self._into: dict[str, dict[str, int]] = {}  # screen -> {screen leading to it: count}
        self._version = 0                          # bumped by every change the graph reports
        self._walk: _Walk | None = None            # the NAV walk in progress
        graph.listener = self

    def register(self, nid: str, sig: str, prio: int) -> None:
        self.prio.setdefault((nid, sig), prio)
        self.order.setdefault((nid, sig), len(self.order))

    # -- GraphListener ----------------------------------------------------------------------
    def _count(self, nid: str, sig: str, delta: int) -> None:
        if self.graph.kind(nid) is not ScreenKind.APP:
            return
        p = self.prio.get((nid, sig), 1)
        self._open[p] += delta
        if self._region is not None and nid in self._region:
            self._region_open[p] += delta

    def opened(self, nid: str, sig: str) -> None:
        self._version += 1
        self._count(nid, sig, 1)

    def closed(self, nid: str, sig: str) -> None:
        self._version += 1
        self._count(nid, sig, -1)

    def nav_changed(self, src: str, sig: str, old: str | None, dst: str) -> None:
        self._version += 1
        if old is not None and self._edge(src, old):
            into = self._into[old]
            into[src] -= 1
            if not into[src]:
                del into[src]
        if self._edge(src, dst):
            into = self._into.setdefault(dst, {})
            into[src] = into.get(src, 0) + 1
        region = self._region
        if region is None or src not in region or dst in region or dst == src \
                or self.graph.kind(dst) is not ScreenKind.APP:
            return
        # the region must stay closed: add everything the new outcome leads to
        region.add(dst)
        q = deque([dst])
        while q:
            n = q.popleft()
            for p in self._prios(n):
                self._region_open[p] += 1
            for _, nxt in self._neighbours(n):
                if nxt not in region:
                    region.add(nxt)
                    q.append(nxt)

    def _prios(self, nid: str) -> list[int]:
        return [self.prio.get((nid, s), 1) for s in self.graph.open_actions(nid)]

    def _edge(self, src: str, dst: str) -> bool:
        """Whether an outcome src -> dst is an edge of the search (app screen to another)."""
        return dst != src and dst in self.graph.g and src in self.graph.g \
            and self.graph.kind(dst) is ScreenKind.APP and self.graph.kind(src) is ScreenKind.APP

    # -- search -----------------------------------------------------------------------------
    def _neighbours(self, nid: str) -> list[tuple[str, str]]:
        """(action sig, destination) by the latest known outcomes, in registration order."""
        out = []
        for sig, dst in self.graph.nav.get(nid, {}).items():
            if dst != nid and dst in self.graph.g and self.graph.kind(dst) is ScreenKind.APP:
                out.append((sig, dst))
        return out

    def routes(self, start: str) -> dict[str, tuple[int, str | None]]:
        """BFS over known outcomes: screen -> (distance, first action sig)."""
        best: dict[str, tuple[int, str | None]] = {start: (0, None)}
        q = deque([start])
        while q:
            n = q.popleft()
            d, first = best[n]
            for sig, dst in self._neighbours(n):
                if dst not in best:
                    best[dst] = (d + 1, first if first is not None else sig)
                    q.append(dst)
        return best

    def choose(self, cur: str, blocked: set[tuple[str, str]]) -> Decision:
        """The next move from app screen ``cur``. ``blocked`` = targets given up on.

        Among unexplored, unblocked actions of screens reachable from ``cur``, the minimum of
        (-priority, distance, screen first seen, registration order); see the class docstring
        for why the search may stop early.
        """
        walk = self._walk
        self._walk = None
        if walk is not None and walk.version == self._version and walk.blocked == len(blocked) \
                and walk.expect == cur:
            return self._continue(walk, cur)
        nodes = self.graph.g.nodes
        in_region = self._region is not None and cur in self._region
        # unexplored actions (per priority) on screens not reached yet that might be reachable
        left = list(self._region_open if in_region else self._open)
        seen = [0] * PRIO_LEVELS
        routes: dict[str, tuple[int, str | None]] = {cur: (0, None)}
        best: tuple[tuple[int, int, int, int], str, str] | None = None

        def visit(n: str, d: int) -> None:
            nonlocal best
            open_ = self.graph.open_actions(n)
            if not open_:
                return
            first_seen = nodes[n]["first_seen"]
            for sig in open_:
                p = self.prio.get((n, sig), 1)
                left[p] -= 1
                seen[p] += 1
                if (n, sig) in blocked:
                    continue
                score = (-p, d, first_seen, self.order.get((n, sig), 0))
                if best is None or score < best[0]:
                    best = (score, n, sig)

        visit(cur, 0)
        q = deque([cur])
        complete = True
        while q:
            n = q.popleft()
            d, first = routes[n]
            if best is not None and best[0][1] <= d and not any(left[-best[0][0] + 1:]):
                complete = False   # nothing unreached can beat it (class docstring)
                break
            for sig, dst in self._neighbours(n):
                if dst not in routes:
                    routes[dst] = (d + 1, first if first is not None else sig)
                    visit(dst, d + 1)
                    q.append(dst)
        if complete:
            # everything reachable from ``cur`` was searched: a closed region, tighter bounds
            self._region = set(routes)
            self._region_open = seen
        if best is None:
            any_left = any((n, s) not in blocked for n in self.graph.app_nodes()
                           for s in self.graph.open_actions(n))
            return Decision(Move.RELAUNCH) if any_left else Decision(Move.DONE)
        _, nid, sig = best
        if nid == cur:
            return Decision(Move.ACT, sig, (nid, sig))
        first = routes[nid][1]
        assert first is not None
        self._walk = _Walk(self._version, len(blocked), (nid, sig),
                           self.graph.nav[cur][first], None)
        return Decision(Move.NAV, first, (nid, sig))

    def _continue(self, walk: _Walk, cur: str) -> Decision:
        """The next move of a NAV walk while nothing changed since it was chosen.

        With the graph, the statuses and ``blocked`` unchanged, the target chosen one step
        earlier is still the best from the screen its first step led to (everything reachable
        from here was reachable from there, one step farther at most). The search's first step
        toward it is the first neighbour, in search order, one step nearer to it: distances
        to the target come from one backward search per walk.
        """
        target = walk.target
        if cur == target[0]:
            return Decision(Move.ACT, target[1], target)
        if walk.dist is None:
            walk.dist = self._distances_to(target[0], cur)
        need = walk.dist[cur] - 1
        seen: set[str] = set()
        for sig, dst in self._neighbours(cur):
            if dst in seen:
                continue   # the search reaches a screen through its first action only
            seen.add(dst)
            if walk.dist.get(dst) == need:
                self._walk = _Walk(walk.version, walk.blocked, target, dst, walk.dist)
                return Decision(Move.NAV, sig, target)
        raise AssertionError("a NAV walk lost its way with the graph unchanged")

    def _distances_to(self, target: str, upto: str) -> dict[str, int]:
        """Backward BFS: screen -> steps to ``target``, complete for every screen nearer to it
        than ``upto`` (the search stops once ``upto`` is reached)."""
        dist = {target: 0}
        q = deque([target])
        while q and upto not in dist:
            n = q.popleft()
            for src in self._into.get(n, ()):
                if src not in dist:
                    dist[src] = dist[n] + 1
                    q.append(src)
        return dist

    def unreachable(self, blocked: set[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(n, s) for n in self.graph.app_nodes() for s in self.graph.unexplored(n)
                if (n, s) not in blocked]


def mark_failed(graph: ScreenGraph, pairs: list[tuple[str, str]],
                status: ActionStatus = ActionStatus.FAILED) -> None:
    for n, s in pairs:
        graph.set_status(n, s, status)
