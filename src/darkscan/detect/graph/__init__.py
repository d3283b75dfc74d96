"""Graph-level detectors: compliance findings measured on the screen graph of a crawl.

One module per rule, each with ``CATEGORY`` and ``detect(run)`` for the registry
(:mod:`darkscan.detect.registry`); ``run`` is the registry's RunGraph, a run-folder path or a
:class:`~darkscan.detect.graph.rundata.RunView`.

    cancellation        buried_cancellation
    recommendation      missing_recommendation_off
    account_deletion    hard_account_deletion
    uninstall           hard_uninstall (from probes.json)
    privacy_policy      privacy_policy_depth
    customer_service    missing_customer_service

Shared: rundata (reading the run folder), paths (main screen, depths, routes), controls (the
crawler's goal matchers), settings (thresholds), base, depth; the extra phrases are in
darkscan.lexicon.cancellation.
:func:`analyze_graph` runs them all; docs/findings.md describes every rule.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from darkscan.detect.finding import Finding

__all__ = ["GRAPH_MODULES", "analyze_graph"]

GRAPH_MODULES: tuple[str, ...] = tuple(f"darkscan.detect.graph.{m}" for m in (
    "cancellation", "recommendation", "account_deletion", "uninstall", "privacy_policy",
    "customer_service",
))


def analyze_graph(run: Path | str | Any) -> list[Finding]:
    """Every graph rule over one run folder, in report order."""
    out: list[Finding] = []
    for path in GRAPH_MODULES:
        out.extend(importlib.import_module(path).detect(run))
    return out
