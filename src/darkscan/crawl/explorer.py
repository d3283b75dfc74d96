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
    def __init__(self, graph: ScreenGraph) -> None:
        self.graph = graph
        self.prio: dict[tuple[str, str], int] = {}
        self.order: dict[tuple[str, str], int] = {}

    def register(self, nid: str, sig: str, prio: int) -> None:
        self.prio.setdefault((nid, sig), prio)
        self.order.setdefault((nid, sig), len(self.order))

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
        """The next move from app screen ``cur``. ``blocked`` = targets given up on."""
        routes = self.routes(cur)
        best: tuple[tuple[int, int, int, int], str, str] | None = None
        any_left = False
        for nid in self.graph.app_nodes():
            for sig in self.graph.unexplored(nid):
                if (nid, sig) in blocked:
                    continue
                any_left = True
                if nid not in routes:
                    continue
                score = (-self.prio.get((nid, sig), 1), routes[nid][0],
                         self.graph.g.nodes[nid]["first_seen"], self.order.get((nid, sig), 0))
                if best is None or score < best[0]:
                    best = (score, nid, sig)
        if best is None:
            return Decision(Move.RELAUNCH) if any_left else Decision(Move.DONE)
        _, nid, sig = best
        if nid == cur:
            return Decision(Move.ACT, sig, (nid, sig))
        return Decision(Move.NAV, routes[nid][1], (nid, sig))

    def unreachable(self, blocked: set[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(n, s) for n in self.graph.app_nodes() for s in self.graph.unexplored(n)
                if (n, s) not in blocked]


def mark_failed(graph: ScreenGraph, pairs: list[tuple[str, str]]) -> None:
    for n, s in pairs:
        graph.set_status(n, s, ActionStatus.FAILED)
