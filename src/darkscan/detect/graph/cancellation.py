"""buried_cancellation: cancelling a subscription is deep, harder than subscribing, or obstructed.

Measured on the screen graph from the main screen:

* depth: taps to the control that starts cancelling (the crawler's ``cancel_subscription``
  goal), compared with the flow's ``cancel_depth`` (default 4);
* harder than subscribing: that depth against the depth of the subscribe funnel (the first
  subscribe control, then each further subscribe control it leads to), per EU DSA Art. 25
  and California's "as easy as" rule; a margin of ``cancel_vs_subscribe_margin`` taps is
  tolerated;
* friction on the way: a retention screen (lost benefits, "are you sure", an offer),
  confirmshaming wording, more than one confirmation, the entry under an unrelated menu;
* cancelling only off-line: the flow ends in "call / e-mail us to cancel" (always high).

Severity: one point per tap beyond the threshold plus one per friction; 1 low, 2 medium, 3+
high. A subscription app where no cancel control exists at all is high when exploration was
exhausted and info (inconclusive) when the budget ran out.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph.base import (
    hit_finding,
    missing,
    run_rule,
    screen_finding,
    settings_screen,
    steps_text,
)
from darkscan.detect.graph.controls import goal_matcher
from darkscan.detect.graph.paths import Hit, PathStep, find_controls, path_evidence
from darkscan.detect.graph.rundata import RunView, ScreenRecord, Widget
from darkscan.detect.graph.settings import Thresholds
from darkscan.lexicon.cancellation import (
    CANCEL_CONTINUE,
    CANCEL_DONE,
    OFFLINE_CANCEL,
    RETENTION,
    UNRELATED_MENU,
    Lexicon,
)
from darkscan.lexicon.detectors import Lex, has, is_decline
from darkscan.lexicon.normalize import normalize

__all__ = ["BuriedCancellation", "CancelFlow", "follow_cancel_flow", "subscribe_depth"]

_CAT = Category.BURIED_CANCELLATION
_REGS = ("EU-DSA-25", "CA-ARL-EASY-CANCEL", "MIIT-2025-AUTO-RENEWAL")
_MAX_FLOW = 6  # confirmations beyond this are not followed
# Plain dismissals: on a retention screen they close the offer, they do not go on cancelling.
_DISMISS = Lexicon("dismiss", [
    r"^(?:取消|关闭|返回|稍后|以后再说|cancel|close|back|later|notnow|x|×)$"])


@dataclass(frozen=True)
class CancelFlow:
    """What happens after tapping the cancel entry."""

    taps: tuple[PathStep, ...]   # taps after the entry, up to the done screen (or as far as seen)
    screens: tuple[str, ...]     # screens shown after the entry, done screen excluded
    done: str | None             # the screen that says the subscription is cancelled
    walked: bool                 # whether the crawl tapped the entry at all


def _same(a: str, b: str) -> bool:
    return bool(a) and normalize(a) == normalize(b)


def follow_cancel_flow(run: RunView, entry: Hit) -> CancelFlow:
    """Follow confirmations from the entry to a "cancelled" screen (shortest such route)."""
    starts = [e for e in run.out_edges(entry.screen)
              if e.target != entry.screen and _same(e.label, entry.widget.name)]
    if not starts:
        return CancelFlow((), (), None, False)
    first = starts[0].target
    is_cancel = goal_matcher(run, "cancel_subscription")
    prev: dict[str, tuple[str, PathStep] | None] = {first: None}
    order = [first]
    q = deque([(first, 0)])
    done: str | None = None
    while q:
        node, d = q.popleft()
        rec = run.screens.get(node)
        if rec is not None and any(CANCEL_DONE.match(t) for t in rec.texts):
            done = node
            break
        if d >= _MAX_FLOW:
            continue
        for e in sorted(run.out_edges(node), key=lambda e: e.step or 0):
            if e.target in prev or e.kind != "tap":
                continue
            w = _widget(rec, e.label)
            onward = CANCEL_CONTINUE.match(e.label) or (
                w is not None and rec is not None and is_cancel(rec, w)) or (
                # declining a retention offer ("No thanks", "放弃优惠") carries on cancelling
                rec is not None and is_decline(e.label) and not _DISMISS.match(e.label)
                and RETENTION.first(rec.texts) is not None)
            if not onward:
                continue
            prev[e.target] = (node, PathStep(node, e.describe(), e.label))
            order.append(e.target)
            q.append((e.target, d + 1))
    if done is None:
        return CancelFlow(_chain(prev, order[-1]), tuple(order), None, True)
    taps = _chain(prev, done)
    shown = tuple(s.screen for s in taps)
    return CancelFlow(taps, shown, done, True)


def _chain(prev: dict[str, tuple[str, PathStep] | None], node: str) -> tuple[PathStep, ...]:
    out: list[PathStep] = []
    cur = prev.get(node)
    while cur is not None:
        out.append(cur[1])
        cur = prev.get(cur[0])
    return tuple(reversed(out))


def _widget(rec: ScreenRecord | None, label: str) -> Widget | None:
    if rec is None:
        return None
    return next((w for w in rec.widgets if _same(w.name, label)), None)


def subscribe_depth(run: RunView) -> Hit | None:
    """The shallowest control that starts subscribing (the crawler's ``subscribe`` goal).

    Entry against entry: cancelling is measured to the control that starts cancelling, so
    subscribing is measured to the control that starts the purchase; the store's or cashier's
    final payment confirmation (where the crawler stops) counts on neither side.
    """
    is_sub = goal_matcher(run, "subscribe")
    hits = [h for h in find_controls(run, is_sub) if h.depth is not None and h.from_main]
    return hits[0] if hits else None


def _offline_widget(run: RunView, screens: tuple[str, ...]) -> tuple[str, Widget] | None:
    for sid in screens:
        rec = run.screens.get(sid)
        for w in rec.widgets if rec else ():
            if OFFLINE_CANCEL.match(w.text):
                return sid, w
    return None


def _sells_subscriptions(run: RunView) -> bool:
    if find_controls(run, goal_matcher(run, "subscribe")):
        return True
    return any(has(Lex.RENEWAL_TERMS, t) for s in run.screens.values() for t in s.texts)


class BuriedCancellation:
    category = _CAT

    def detect(self, run: RunView, thresholds: Thresholds) -> list[Finding]:
        entries = [h for h in find_controls(run, goal_matcher(run, "cancel_subscription"))
                   if h.depth is not None and h.from_main]
        if not entries:
            return self._no_entry(run)
        entry = entries[0]
        flow = follow_cancel_flow(run, entry)
        offline = None if flow.done else _offline_widget(run, (entry.screen,) + flow.screens)
        if offline is not None:
            sid, w = offline
            return [self._offline(run, sid, w, entry.path + flow.taps)]
        return self._measured(run, thresholds, entry, flow)

    # -- no online control ----------------------------------------------------------------
    def _no_entry(self, run: RunView) -> list[Finding]:
        offline = _offline_widget(run, tuple(run.screens))
        if offline is not None:
            sid, w = offline
            return [self._offline(run, sid, w, ())]
        if not _sells_subscriptions(run):
            return []
        m = missing(run, "cancel_subscription")
        return [screen_finding(
            run, _CAT, "cancel_missing", m.severity(Severity.HIGH), settings_screen(run),
            m.phrase("a way to cancel the subscription"),
            {"exploration": m.exploration.value, "screens_explored": len(run.screens)}, _REGS)]

    def _offline(self, run: RunView, sid: str, w: Widget,
                 path: tuple[PathStep, ...]) -> Finding:
        from darkscan.detect.graph.paths import distances, main_screen, path_to

        if not path:
            start = main_screen(run)
            path = path_to(distances(run, start), sid) if start else ()
        return Finding(
            category=_CAT, rule="cancel_offline_only", severity=Severity.HIGH, bbox=w.bounds,
            message=f"Cancelling is possible only off-line: 「{w.text.strip()}」",
            evidence={"text": w.text, "screen": sid, "path": path_evidence(path),
                      "depth": len(path), "frictions": [{"kind": "offline_only",
                                                         "text": w.text}]},
            regulations=_REGS, screen=sid)

    # -- an online control exists ---------------------------------------------------------
    def _measured(self, run: RunView, thr: Thresholds, entry: Hit,
                  flow: CancelFlow) -> list[Finding]:
        assert entry.depth is not None
        frictions: list[dict[str, Any]] = []
        for step in entry.path[:-1]:
            if step.label and UNRELATED_MENU.match(step.label):
                frictions.append({"kind": "unrelated_menu", "screen": step.screen,
                                  "text": step.label})
        for sid in flow.screens:
            rec = run.screens.get(sid)
            texts = rec.texts if rec else ()
            t = RETENTION.first(texts)
            if t:
                frictions.append({"kind": "retention", "screen": sid, "text": t})
            shame = next((x for x in texts if has(Lex.CONFIRMSHAMING, x)), None)
            if shame:
                frictions.append({"kind": "confirmshaming", "screen": sid, "text": shame})
        if len(flow.taps) > 1:
            frictions.append({"kind": "confirmations", "count": len(flow.taps)})
        sub = subscribe_depth(run)
        margin = thr.cancel_vs_subscribe_margin
        if sub is not None and sub.depth and entry.depth - sub.depth > margin:
            frictions.append({"kind": "harder_than_subscribe", "cancel": entry.depth,
                              "subscribe": sub.depth,
                              "ratio": round(entry.depth / sub.depth, 2)})
        excess = max(0, entry.depth - thr.cancel_depth)
        points = excess + len(frictions)
        if points == 0:
            return []
        severity = (Severity.HIGH if points >= 3 else
                    Severity.MEDIUM if points == 2 else Severity.LOW)
        path = entry.path + flow.taps
        rule = "cancel_too_deep" if excess else (
            "cancel_harder_than_subscribe" if frictions[0]["kind"] == "harder_than_subscribe"
            and len(frictions) == 1 else "cancel_friction")
        kinds = ", ".join(sorted({f["kind"].replace("_", " ") for f in frictions}))
        msg = (f"Cancelling takes {entry.depth} taps to reach ({steps_text(entry.path)})"
               + (f", {len(flow.taps)} more to confirm" if flow.taps else "")
               + (f"; subscribing takes {sub.depth}" if sub is not None else "")
               + (f"; friction: {kinds}" if kinds else ""))
        evidence: dict[str, Any] = {
            "depth": entry.depth, "threshold": thr.cancel_depth, "excess": excess,
            "confirmations": len(flow.taps), "total_taps": len(path),
            "subscribe_depth": sub.depth if sub is not None else None,
            "subscribe_path": path_evidence(sub.path) if sub is not None else None,
            "frictions": frictions, "points": points, "path": path_evidence(path),
            "cancelled_screen": flow.done, "flow_walked": flow.walked,
            "control": entry.widget.name,
        }
        return [hit_finding(_CAT, rule, severity, entry, msg, evidence, _REGS)]


CATEGORY = BuriedCancellation.category


def detect(run: Any) -> list[Finding]:
    """Registry entry point: ``run`` is the registry's RunGraph, a run folder path or a RunView."""
    return run_rule(BuriedCancellation(), run)
