"""The oracle: each goal's true shortest depth and presence, from the app model alone.

Same conventions as metrics.json (docs/crawler.md "step counting"): one step per user action
(a tap or a system back), counted from the first screen after a fresh start, plus the final tap
on the goal's control; ``from_main`` counts from the main screen instead.

The search runs over the virtual device's semantics, reduced to states that a shortest path
can tell apart: an app screen, or a dialog together with the screen under it. Only *forward*
moves are searched (a ``go`` pushes the target, a tab replaces the current screen, a ``go``
from a dialog closes the dialog first), plus dismissing a dialog (back / close) back to the
screen under it. A back press from a screen, a "navigate up" arrow or a back button returns to
a stack state the path has already been in (or leaves the app), so a shortest path never
needs one; dismissing a dialog that opened *by itself* on entry (a popup) is the one return
that reaches a new state, and it is searched. Crashing screens and actions, other apps,
payments and account deletions end a path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from darkscan.evaluation.appgen.model import APP_GOALS, UNINSTALL_STEPS, AppModel, W

State = tuple[str, str | None]    # (top screen id, screen under it when the top is a dialog)


@dataclass(frozen=True)
class Truth:
    goal: str
    present: bool
    from_launch: int | None
    from_main: int | None
    path: tuple[str, ...] = ()     # the oracle's shortest path, as labels (for messages)
    screens: tuple[str, ...] = ()  # the screens it passes (top screen ids), goal screen last


def _enter(app: AppModel, sid: str, under: str | None) -> State | None:
    """The state after ``go`` to ``sid`` (``under``: the screen a dialog opens over).

    A screen that crashes only on its first entry (``crash: once``) is entered: the user who
    meets the crash starts again and gets there (how many extra actions that costs is the
    crawler's retry policy, not the app's depth)."""
    s = app.screen(sid)
    if s.crash is True:
        return None
    if s.dialog:
        return (sid, under)
    if s.popup is not None and s.popup[1] > 0:
        return (s.popup[0], sid)
    return (sid, None)


def _launch_step(app: AppModel, i: int) -> State | None:
    """The state showing launch step ``i`` of a fresh install's first launch (every step is
    shown then: ``always`` and ``first`` alike), or the start screen after the last."""
    if i >= len(app.launch):
        return _enter(app, app.start, None)
    sid = app.launch[i][0]
    if not app.screen(sid).dialog:
        return (sid, None)
    # a dialog step is drawn over the next full-screen step, or over the start screen
    under = next((s for s, _ in app.launch[i + 1:] if not app.screen(s).dialog), app.start)
    return (sid, under)


def moves(app: AppModel, state: State) -> list[tuple[str, State]]:
    """Forward moves (label, next state) from ``state``."""
    sid, under = state
    s = app.screen(sid)
    out: list[tuple[str, State]] = []
    step = next((i for i, (x, _) in enumerate(app.launch) if x == sid), None)
    if step is not None:
        for w in s.all_widgets():
            nxt: State | None = None
            if w.act == "next" or (w.act == "close" and s.dialog):
                nxt = _launch_step(app, step + 1)
            elif w.act == "go" and w.arg is not None:
                nxt = _enter(app, w.arg, None)
            if nxt is not None:
                out.append((w.text or str(w.opts.get("desc", "")), nxt))
        return out
    base = under if s.dialog else sid       # the screen a dialog opened from here lies over
    for w in s.all_widgets():
        if w.act != "go" or w.arg is None or w.opts.get("visible") is False:
            continue
        target = app.screen(w.arg)
        nxt = _enter(app, w.arg, base if target.dialog else None)
        if nxt is not None:
            out.append((w.text or str(w.opts.get("desc", "")), nxt))
    if s.dialog:
        if under is not None:
            out.append(("back", (under, None)))
    elif s.tabs:
        for i, (text, _icon, target) in enumerate(s.tabs):
            if i == s.tab_index:
                continue
            nxt = _enter(app, target, None)
            if nxt is not None:
                out.append((text, nxt))
    return out


Accept = Callable[[W], bool]


def _goal_on(app: AppModel, sid: str, goal: str, accept: Accept | None = None) -> bool:
    return any(w.goal == goal and w.opts.get("visible") is not False
               and (accept is None or accept(w)) for w in app.screen(sid).all_widgets())


Reach = dict[State, tuple[int, tuple[str, ...], tuple[str, ...]]]


def _bfs(app: AppModel, start: State) -> Reach:
    """state -> (actions, labels of the path, screens of the path)."""
    seen: Reach = {start: (0, (), (start[0],))}
    q = deque([start])
    while q:
        st = q.popleft()
        d, path, screens = seen[st]
        for label, nxt in moves(app, st):
            if nxt not in seen:
                seen[nxt] = (d + 1, path + (label,), screens + (nxt[0],))
                q.append(nxt)
    return seen


def _best(app: AppModel, reach: Reach, goal: str, accept: Accept | None = None
          ) -> tuple[int, tuple[str, ...], tuple[str, ...]] | None:
    best: tuple[int, tuple[str, ...], tuple[str, ...]] | None = None
    for st, found in reach.items():
        if _goal_on(app, st[0], goal, accept) and (best is None or found[0] < best[0]):
            best = found
    return best


def launch_state(app: AppModel) -> State | None:
    """What a fresh install shows first."""
    return _launch_step(app, 0)


def truths(app: AppModel, accept: Accept | None = None) -> dict[str, Truth]:
    """Every goal's truth (``uninstall`` from the launcher through the system Settings).

    ``accept``: count only the goal controls it accepts (the evaluation uses it to tell a
    wording miss from a navigation error; the truth itself takes every control)."""
    start = launch_state(app)
    from_launch = _bfs(app, start) if start is not None else {}
    from_main = _bfs(app, (app.main, None))
    out: dict[str, Truth] = {}
    for g in APP_GOALS:
        a, b = _best(app, from_launch, g, accept), _best(app, from_main, g, accept)
        if a is None:
            out[g] = Truth(g, False, None, None)
        else:
            out[g] = Truth(g, True, a[0] + 1, b[0] + 1 if b is not None else None, a[1], a[2])
    out["uninstall"] = Truth("uninstall", bool(app.label), UNINSTALL_STEPS if app.label else None,
                             UNINSTALL_STEPS if app.label else None)
    return out
