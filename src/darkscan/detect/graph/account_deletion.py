"""hard_account_deletion: no way to delete the account (注销账号), or one deeper than N taps."""

from __future__ import annotations

from typing import Any

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph.base import run_rule
from darkscan.detect.graph.depth import DepthRule

_RULE = DepthRule(
    category=Category.HARD_ACCOUNT_DELETION, goal="delete_account",
    what="account deletion (注销账号)", regulations=("MIIT-2025-ACCOUNT-DELETION",),
    missing_severity=Severity.HIGH, rule_prefix="account_deletion",
    threshold="account_deletion_depth",
)

CATEGORY = _RULE.category


def detect(run: Any) -> list[Finding]:
    """Registry entry point: ``run`` is the registry's RunGraph, a run folder path or a RunView."""
    return run_rule(_RULE, run)
