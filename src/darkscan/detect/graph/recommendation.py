"""missing_recommendation_off: no switch to turn personalised recommendation off, one buried
deeper than N taps, or one that does not stay off (算法推荐管理规定 Art. 17; MIIT 2025 guide,
algorithm section).

The rules bind apps that recommend content, so the rule only speaks when the app shows a feed
"for you" (猜你喜欢, 为你推荐, Recommended for you...) or has such a switch at all. Whether the
switch stays off is measured on the device after the crawl (``probes.json``, see
:mod:`darkscan.crawl.probes`); without that probe the rule says nothing about it.
"""

from __future__ import annotations

from typing import Any, Mapping

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph.base import (
    depth_evidence,
    hit_finding,
    missing,
    run_rule,
    screen_finding,
    settings_screen,
    steps_text,
)
from darkscan.detect.graph.controls import goal_matcher
from darkscan.detect.graph.depth import depth_severity
from darkscan.detect.graph.paths import Hit, find_controls
from darkscan.detect.graph.rundata import RunView
from darkscan.detect.graph.settings import Thresholds
from darkscan.lexicon.cancellation import RECOMMENDATION_CONTENT

__all__ = ["MissingRecommendationOff", "recommends_content"]

_REGS = ("CN-ALGO-REC-ART17", "MIIT-2025-ALGORITHM")
_CAT = Category.MISSING_RECOMMENDATION_OFF


def recommends_content(run: RunView) -> str | None:
    """The first text that shows the app recommends content to the user, if any."""
    for s in run.screens.values():
        t = RECOMMENDATION_CONTENT.first(s.texts)
        if t:
            return t
    return None


def _probe(run: RunView) -> Mapping[str, Any] | None:
    rec = (run.probes or {}).get("recommendation")
    return rec if isinstance(rec, Mapping) else None


class MissingRecommendationOff:
    category = _CAT

    def detect(self, run: RunView, thresholds: Thresholds) -> list[Finding]:
        hits = [h for h in find_controls(run, goal_matcher(run, "recommendation_off"))
                if h.depth is not None]
        out: list[Finding] = []
        if hits:
            h = min(hits, key=lambda h: (not h.from_main, h.depth))
            out += self._deep(h, thresholds.recommendation_depth)
            out += self._reverts(run, h)
        else:
            evidence_text = recommends_content(run)
            if evidence_text is None:
                return []
            m = missing(run, "recommendation_off")
            where = settings_screen(run)
            out.append(screen_finding(
                run, _CAT, "recommendation_switch_missing", m.severity(Severity.HIGH), where,
                m.phrase("a switch to turn personalised recommendation off"),
                {"exploration": m.exploration.value, "recommends": evidence_text,
                 "screens_explored": len(run.screens)}, _REGS))
        return out

    def _deep(self, h: Hit, threshold: int) -> list[Finding]:
        assert h.depth is not None
        if h.depth <= threshold:
            return []
        excess = h.depth - threshold
        return [hit_finding(
            _CAT, "recommendation_switch_too_deep", depth_severity(excess), h,
            f"The personalised-recommendation switch takes {h.depth} taps "
            f"({steps_text(h.path)}); the limit is {threshold}",
            {**depth_evidence(h, threshold), "excess": excess}, _REGS)]

    def _reverts(self, run: RunView, h: Hit) -> list[Finding]:
        p = _probe(run)
        if p is None or p.get("stayed_off") is not False:
            return []
        if not p.get("turned_off"):
            return []  # the probe could not switch it off: nothing measured
        return [hit_finding(
            _CAT, "recommendation_switch_reverts", Severity.HIGH, h,
            "The personalised-recommendation switch turns itself back on: switched off, the "
            "screen left and re-entered, it was on again",
            {**depth_evidence(h, h.depth or 0), "probe": dict(p)}, _REGS + ("EU-DSA-25",))]


CATEGORY = MissingRecommendationOff.category


def detect(run: Any) -> list[Finding]:
    """Registry entry point: ``run`` is the registry's RunGraph, a run folder path or a RunView."""
    return run_rule(MissingRecommendationOff(), run)
