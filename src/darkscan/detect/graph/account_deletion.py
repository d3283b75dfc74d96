"""hard_account_deletion: no way to delete the account (注销账号), or one deeper than N taps."""

from __future__ import annotations

from typing import Any

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph.base import run_rule
from darkscan.detect.graph.controls import goal_matcher
from darkscan.detect.graph.depth import DepthRule
from darkscan.detect.graph.rundata import RunView
from darkscan.detect.graph.settings import Thresholds

_RULE = DepthRule(
    category=Category.HARD_ACCOUNT_DELETION, goal="delete_account",
    what="account deletion (注销账号)", regulations=("MIIT-2025-ACCOUNT-DELETION",),
    missing_severity=Severity.HIGH, rule_prefix="account_deletion",
)


class HardAccountDeletion:
    category = Category.HARD_ACCOUNT_DELETION

    def detect(self, run: RunView, thresholds: Thresholds) -> list[Finding]:
        return _RULE.evaluate(run, thresholds.account_deletion_depth,
                              goal_matcher(run, "delete_account"))


CATEGORY = HardAccountDeletion.category


def detect(run: Any) -> list[Finding]:
    """Registry entry point: ``run`` is the registry's RunGraph, a run folder path or a RunView."""
    return run_rule(HardAccountDeletion(), run)
