"""The ordered lists of detectors ``darkscan scan`` / ``analyze`` run.

Per-screen detectors are modules with ``CATEGORY`` and ``detect(ctx: ScreenContext) ->
list[Finding]``. Graph detectors (steps to cancel, missing switches...) are modules with
``CATEGORY`` and ``detect(run: RunGraph) -> list[Finding]``; they run after every screen was
analysed, over the crawl's graph and metrics. Add a detector by appending its module path below:
order is the order findings are reported in.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol

from darkscan.errors import UsageError
from darkscan.detect.finding import Category, Finding

if TYPE_CHECKING:
    import networkx as nx

    from darkscan.vision.context import ScreenContext

SCREEN_DETECTOR_MODULES: list[str] = [
    "darkscan.detect.screen.hidden_auto_renewal",
    "darkscan.detect.screen.preselection",
    "darkscan.detect.screen.ad_close_obstruction",
    "darkscan.detect.screen.false_hierarchy",
    "darkscan.detect.screen.confirmshaming",
    "darkscan.detect.screen.nagging",          # eval helper
    "darkscan.detect.screen.disguised_ad",     # eval helper
]

GRAPH_DETECTOR_MODULES: list[str] = [
    "darkscan.detect.graph.cancellation",
    "darkscan.detect.graph.recommendation",
    "darkscan.detect.graph.account_deletion",
    "darkscan.detect.graph.uninstall",
    "darkscan.detect.graph.privacy_policy",
    "darkscan.detect.graph.customer_service",
]


@dataclass(frozen=True)
class RunGraph:
    """What a graph detector sees: the crawl's graph and metrics plus the per-screen results."""

    folder: Path
    graph: nx.DiGraph
    metrics: Mapping[str, Any]
    run: Mapping[str, Any]
    screens: Mapping[str, Mapping[str, Any]]      # screen id -> screens/<id>.json record
    screen_findings: Sequence[Finding] = field(default_factory=tuple)


class ScreenDetector(Protocol):
    CATEGORY: Category

    def detect(self, ctx: ScreenContext) -> list[Finding]: ...


class GraphDetector(Protocol):
    CATEGORY: Category

    def detect(self, run: RunGraph) -> list[Finding]: ...


@dataclass(frozen=True)
class Detector:
    name: str
    category: Category
    detect: Callable[[Any], list[Finding]]
    # rules that judge a screen as a whole (an absence, a takeover): they run on the top
    # viewport of a long screen only, not on the viewports below it
    whole_screen_rules: frozenset[str] = frozenset()


def _load(path: str) -> Detector:
    mod: ModuleType = importlib.import_module(path)
    return Detector(path.rsplit(".", 1)[-1], Category(mod.CATEGORY), mod.detect,
                    frozenset(getattr(mod, "WHOLE_SCREEN_RULES", ())))


def check_only(only: Sequence[str] | None) -> None:
    """Every ``--only`` name must be a detector module or a category (else exit 2)."""
    if not only:
        return
    ds = [_load(p) for p in (*SCREEN_DETECTOR_MODULES, *GRAPH_DETECTOR_MODULES)]
    known = sorted({d.name for d in ds} | {d.category.value for d in ds})
    for name in only:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            raise UsageError(f"--only: no detector or category {name!r}"
                             + (f" (did you mean {close[0]!r}?)" if close else ""),
                             hint="detectors: " + ", ".join(known))


def screen_detectors(only: Sequence[str] | None = None) -> list[Detector]:
    """The per-screen detectors in report order (``only``: names or categories to keep)."""
    ds = [_load(p) for p in SCREEN_DETECTOR_MODULES]
    return [d for d in ds if not only or d.name in only or d.category.value in only]


def graph_detectors(only: Sequence[str] | None = None) -> list[Detector]:
    ds = [_load(p) for p in GRAPH_DETECTOR_MODULES]
    return [d for d in ds if not only or d.name in only or d.category.value in only]
