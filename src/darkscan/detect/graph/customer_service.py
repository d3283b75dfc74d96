"""missing_customer_service: no customer-service / complaint entry and no hotline anywhere.

An entry (客服, 联系我们, 投诉, Contact us...) found by the crawler's ``customer_service`` goal
counts, and so does a hotline shown as plain text (a phone number or e-mail address beside a
service word). Deeper than the threshold is reported as low: the MIIT guide asks for channels
that are easy to find, but names no tap count.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph.base import run_rule
from darkscan.detect.graph.controls import goal_matcher
from darkscan.detect.graph.depth import DepthRule
from darkscan.detect.graph.rundata import RunView
from darkscan.detect.graph.settings import Thresholds
from darkscan.lexicon.cancellation import PHONE_OR_EMAIL
from darkscan.lexicon.normalize import normalize

__all__ = ["MissingCustomerService", "hotline_shown"]

_SERVICE_WORDS = ("客服", "热线", "投诉", "联系", "服务电话", "hotline", "contact", "support",
                  "customerservice", "complaint", "callus", "helpline")

_RULE = DepthRule(
    category=Category.MISSING_CUSTOMER_SERVICE, goal="customer_service",
    what="customer service / complaint channel", regulations=("MIIT-2025-COMPLAINT",),
    missing_severity=Severity.MEDIUM, rule_prefix="customer_service",
    threshold="customer_service_depth",
)


def hotline_shown(run: RunView) -> bool:
    """A phone number or e-mail address shown next to a service word, on any screen."""
    for s in run.screens.values():
        for t in s.texts:
            if PHONE_OR_EMAIL.search(t) and any(w in normalize(t) for w in _SERVICE_WORDS):
                return True
    return False


class MissingCustomerService:
    category = Category.MISSING_CUSTOMER_SERVICE

    def detect(self, run: RunView, thresholds: Thresholds) -> list[Finding]:
        out = _RULE.evaluate(run, thresholds.customer_service_depth,
                             goal_matcher(run, "customer_service"), extra_found=hotline_shown)
        # a channel that exists but is deep is a nuisance, not a missing channel
        return [replace(f, severity=Severity.LOW) if f.rule.endswith("_too_deep") else f
                for f in out]


CATEGORY = MissingCustomerService.category


def detect(run: Any) -> list[Finding]:
    """Registry entry point: ``run`` is the registry's RunGraph, a run folder path or a RunView."""
    return run_rule(MissingCustomerService(), run)
