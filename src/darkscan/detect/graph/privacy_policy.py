"""privacy_policy_depth: the privacy policy more than N taps from the main screen (认定方法:
more than 4 taps counts as hard to reach), only linked from a first-launch dialog, or absent."""

from __future__ import annotations

from typing import Any

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph.base import run_rule
from darkscan.detect.graph.controls import goal_matcher
from darkscan.detect.graph.depth import DepthRule
from darkscan.detect.graph.rundata import RunView
from darkscan.detect.graph.settings import Thresholds

_RULE = DepthRule(
    category=Category.PRIVACY_POLICY_DEPTH, goal="privacy_policy", what="privacy policy",
    regulations=("CN-2019-PRIVACY-DEPTH",), missing_severity=Severity.HIGH,
    rule_prefix="privacy_policy",
)


class PrivacyPolicyDepth:
    category = Category.PRIVACY_POLICY_DEPTH

    def detect(self, run: RunView, thresholds: Thresholds) -> list[Finding]:
        return _RULE.evaluate(run, thresholds.privacy_policy_depth,
                              goal_matcher(run, "privacy_policy"))


CATEGORY = PrivacyPolicyDepth.category


def detect(run: Any) -> list[Finding]:
    """Registry entry point: ``run`` is the registry's RunGraph, a run folder path or a RunView."""
    return run_rule(PrivacyPolicyDepth(), run)
