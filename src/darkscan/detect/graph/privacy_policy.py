"""privacy_policy_depth: the privacy policy more than N taps from the main screen (认定方法:
more than 4 taps counts as hard to reach), only linked from a first-launch dialog, or absent."""

from __future__ import annotations

from typing import Any

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph.base import run_rule
from darkscan.detect.graph.depth import DepthRule

_RULE = DepthRule(
    category=Category.PRIVACY_POLICY_DEPTH, goal="privacy_policy", what="privacy policy",
    regulations=("CN-2019-PRIVACY-DEPTH",), missing_severity=Severity.HIGH,
    rule_prefix="privacy_policy", threshold="privacy_policy_depth",
)

CATEGORY = _RULE.category


def detect(run: Any) -> list[Finding]:
    """Registry entry point: ``run`` is the registry's RunGraph, a run folder path or a RunView."""
    return run_rule(_RULE, run)
