"""The app's *main screen*: where a user lands once the launch sequence is passed.

One structural rule, shared by the crawler (metrics.json ``main``) and the graph detectors
(depths "from the main screen"); see docs/crawler.md, "The main screen":

1. **Primary navigation.** A *navigation bar* is a row of at least two clickable controls at
   one height that appears with the same labels at the same place on at least two full screens,
   where every observed tap on one of its items led to a screen carrying the same bar (or stayed),
   and one item always led to the same screen (tabs, a bottom navigation). The main screen is the
   screen carrying a navigation bar that is fewest actions from the launch screen (ties: first
   seen). A pager of onboarding pages with a shared Skip / Next row is not one: "Next" leads to
   different pages, "Skip" to a screen without the row.
2. **Otherwise: the launch sequence is walked.** From the launch screen, a dialog is passed to
   the screen its way onward opens; a full screen is passed unless the app beyond it leads back
   to it (by back, navigate-up or a tap, from a screen reached through its way onward): a splash,
   a consent page or a guide page is replaced and never returned to. The way onward is the
   forward action whose screen leads on to the most screens (links to terms pages, an ad's
   landing page lead nowhere new, so returning from them does not count). The first full screen
   the user returns to is the main screen.

Neither part reads texts as words: consent pages with many links, a consent dialog that leads
into a splash and a splash with an ad are passed because of how they connect, not what they say.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from darkscan.lexicon.navigation import BACK_WORDS
from darkscan.lexicon.normalize import normalize

_ROW_TOLERANCE = 6  # px: items of one row have centres this close vertically


@dataclass(frozen=True)
class NavWidget:
    label: str
    box: tuple[int, int, int, int]
    clickable: bool


@dataclass(frozen=True)
class NavEdge:
    source: str
    target: str
    kind: str     # tap | back | ...
    label: str    # the tapped control's label ("" / "back" for a back press)
    step: int = 0


def _is_back(e: NavEdge) -> bool:
    return e.kind == "back" or normalize(e.label) in BACK_WORDS


def _rows(widgets: Iterable[NavWidget]) -> list[frozenset[tuple[str, tuple[int, int, int, int]]]]:
    """Rows of >= 2 clickable, differently labelled controls at one height."""
    items = sorted(((w.box[1] + w.box[3]) / 2, normalize(w.label), w.box)
                   for w in widgets if w.clickable and normalize(w.label))
    rows: list[list[tuple[float, str, tuple[int, int, int, int]]]] = []
    for it in items:
        if rows and abs(rows[-1][0][0] - it[0]) <= _ROW_TOLERANCE:
            rows[-1].append(it)
        else:
            rows.append([it])
    out = []
    for r in rows:
        labels = {lab for _, lab, _ in r}
        if len(labels) >= 2 and len(labels) == len(r):
            out.append(frozenset((lab, box) for _, lab, box in r))
    return out


def nav_bar_screens(screens: Mapping[str, tuple[bool, Iterable[NavWidget]]],
                    edges: Iterable[NavEdge]) -> set[str]:
    """Full screens carrying a navigation bar (rule 1). ``screens``: id -> (dialog, widgets)."""
    rows: dict[str, list[frozenset]] = {sid: _rows(ws) for sid, (dialog, ws) in screens.items()
                                        if not dialog}
    carriers: dict[frozenset, set[str]] = {}
    for sid, rs in rows.items():
        for r in rs:
            carriers.setdefault(r, set()).add(sid)
    edges = list(edges)
    onward: dict[str, set[str]] = {}
    for e in edges:
        if e.target != e.source and not _is_back(e):
            onward.setdefault(e.source, set()).add(e.target)

    out: set[str] = set()
    for bar, holders in carriers.items():
        if len(holders) < 2:
            continue
        labels = {lab for lab, _ in bar}
        target_of: dict[str, str] = {}
        ok, linked = True, False
        for e in edges:
            if e.source not in holders or e.kind != "tap" or normalize(e.label) not in labels \
                    or e.target == e.source:
                continue
            if screens[e.target][0]:
                # a popup over the tab's screen: seen through to a screen with the bar
                linked |= bool(onward.get(e.target, set()) & (holders - {e.source}))
                continue
            lab = normalize(e.label)
            if e.target not in holders or target_of.setdefault(lab, e.target) != e.target:
                ok = False
                break
            linked = True
        if ok and linked:
            out |= holders
    return out


def _distances(root: str, edges: list[NavEdge]) -> dict[str, int]:
    adj: dict[str, list[str]] = {}
    for e in sorted(edges, key=lambda e: e.step):
        adj.setdefault(e.source, []).append(e.target)
    dist = {root: 0}
    q = deque([root])
    while q:
        n = q.popleft()
        for t in adj.get(n, ()):
            if t not in dist:
                dist[t] = dist[n] + 1
                q.append(t)
    return dist


def find_main(root: str | None, screens: Mapping[str, tuple[bool, Iterable[NavWidget]]],
              edges: Iterable[NavEdge], first_seen: Mapping[str, int] | None = None
              ) -> str | None:
    """The main screen (module docstring) of an app graph, or None without a launch screen."""
    if root is None or root not in screens:
        return None
    edges = [e for e in edges if e.source in screens and e.target in screens]
    screens = {sid: (dialog, tuple(ws)) for sid, (dialog, ws) in screens.items()}
    first_seen = first_seen or {}
    dist = _distances(root, edges)
    bars = [s for s in nav_bar_screens(screens, edges) if s in dist]
    if bars:
        return min(bars, key=lambda s: (dist[s], first_seen.get(s, 0), s))
    forward: dict[str, list[NavEdge]] = {}
    into: dict[str, set[str]] = {}  # screen -> screens with an action (tap or back) into it
    for e in sorted(edges, key=lambda e: e.step):
        if e.target == e.source:
            continue
        into.setdefault(e.target, set()).add(e.source)
        if not _is_back(e):
            forward.setdefault(e.source, []).append(e)

    def reach(start: str) -> set[str]:
        seen, q = {start}, deque([start])
        while q:
            for e in forward.get(q.popleft(), ()):
                if e.target not in seen:
                    seen.add(e.target)
                    q.append(e.target)
        return seen

    node, seen = root, {root}
    last_full = None if screens[root][0] else root
    while True:
        onward = [e.target for e in forward.get(node, ()) if e.target not in seen]
        if not onward:
            return node if not screens[node][0] else (last_full or node)
        nxt = max(dict.fromkeys(onward), key=lambda t: len(reach(t)))
        if not screens[node][0]:
            last_full = node
            if into.get(node, set()) & (reach(nxt) - seen):
                return node  # the app beyond leads back to it: the user returns here
        seen.add(nxt)
        node = nxt
