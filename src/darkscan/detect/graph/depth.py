"""The shared shape of "find the control, measure its depth" rules (privacy policy, account
deletion, customer service): found too deep, found only before the main screen, or missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph.base import (
    depth_evidence,
    hit_finding,
    missing,
    screen_finding,
    settings_screen,
    steps_text,
)
from darkscan.detect.graph.controls import goal_matcher
from darkscan.detect.graph.paths import Hit, Matcher, find_controls
from darkscan.detect.graph.rundata import RunView
from darkscan.detect.graph.settings import Thresholds

__all__ = ["DepthRule", "depth_severity"]


def depth_severity(excess: int) -> Severity:
    """Taps beyond the threshold: 1-2 medium, 3 or more high."""
    return Severity.HIGH if excess >= 3 else Severity.MEDIUM


@dataclass(frozen=True)
class DepthRule:
    category: Category
    goal: str                      # the crawler goal whose control this is
    what: str                      # for messages: "privacy policy", "account deletion (注销账号)"
    regulations: tuple[str, ...]
    missing_severity: Severity     # when exploration was exhausted
    rule_prefix: str
    threshold: str                 # the Thresholds field that bounds the depth

    def detect(self, run: RunView, thresholds: Thresholds) -> list[Finding]:
        """The GraphRule interface: the flow's threshold, the crawler's goal matcher."""
        return self.evaluate(run, getattr(thresholds, self.threshold),
                             goal_matcher(run, self.goal))

    def evaluate(self, run: RunView, threshold: int, match: Matcher,
                 extra_found: Callable[[RunView], bool] | None = None) -> list[Finding]:
        hits = [h for h in find_controls(run, match) if h.depth is not None]
        main_hits = [h for h in hits if h.from_main]
        if main_hits:
            return self._too_deep(main_hits[0], threshold)
        if extra_found is not None and extra_found(run):
            return []
        m = missing(run, self.goal)
        ev = {"exploration": m.exploration.value, "threshold": threshold,
              "screens_explored": len(run.screens)}
        if hits:  # only before the main screen (a first-launch dialog)
            h = hits[0]
            return [hit_finding(
                self.category, f"{self.rule_prefix}_only_before_main", m.severity(Severity.MEDIUM),
                h, f"The {self.what} is linked only before the main screen "
                   f"({steps_text(h.path)}); after that it cannot be reached"
                   + ("" if m.certain else " within the crawl budget"),
                {**depth_evidence(h, threshold), **ev, "from_main": False}, self.regulations)]
        where = settings_screen(run)
        return [screen_finding(
            run, self.category, f"{self.rule_prefix}_missing", m.severity(self.missing_severity),
            where, m.phrase(self.what), ev, self.regulations)]

    def _too_deep(self, h: Hit, threshold: int) -> list[Finding]:
        assert h.depth is not None
        if h.depth <= threshold:
            return []
        excess = h.depth - threshold
        return [hit_finding(
            self.category, f"{self.rule_prefix}_too_deep", depth_severity(excess), h,
            f"The {self.what} takes {h.depth} taps from the main screen "
            f"({steps_text(h.path)}); the limit is {threshold}",
            {**depth_evidence(h, threshold), "excess": excess}, self.regulations)]




