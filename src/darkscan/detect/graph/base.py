"""What every graph rule shares: the rule interface, "missing" severities, scope, finding boxes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.graph.paths import Hit, PathStep, distances, main_screen, path_evidence
from darkscan.detect.graph.rundata import Exploration, GoalReason, RunView
from darkscan.detect.graph.settings import Thresholds
from darkscan.geometry import Box
from darkscan.lexicon.cancellation import has_cjk

__all__ = [
    "GraphRule", "Missing", "missing", "cn_scope", "screen_box", "hit_finding",
    "screen_finding", "settings_screen", "depth_evidence",
]


class GraphRule(Protocol):
    """A graph-level detector: reads a run folder, returns findings (never raises on content)."""

    category: Category

    def detect(self, run: RunView, thresholds: Thresholds) -> list[Finding]: ...


@dataclass(frozen=True)
class Missing:
    """How sure "not found" is: exhausted exploration proves absence, a budget stop does not."""

    exploration: Exploration

    @property
    def certain(self) -> bool:
        return self.exploration is Exploration.EXHAUSTED

    def severity(self, when_certain: Severity) -> Severity:
        return when_certain if self.certain else Severity.INFO

    def phrase(self, zh_what: str) -> str:
        if self.certain:
            return f"{zh_what}: not found anywhere, and every reachable screen was explored"
        return f"{zh_what}: not found, but the crawl stopped before exploring every screen " \
               "(inconclusive)"


def missing(run: RunView, goal: str | None = None) -> Missing:
    """Exploration state for a goal: its row in the goal table when there is one, else the run."""
    row = run.goals.get(goal) if goal else None
    if row is not None and row.reason is not GoalReason.FOUND:
        return Missing(Exploration.EXHAUSTED if row.reason is GoalReason.EXHAUSTED
                       and run.exploration is Exploration.EXHAUSTED else Exploration.BUDGET)
    return Missing(run.exploration)


def cn_scope(run: RunView) -> bool:
    """Whether Chinese-market rules (MIIT, 认定方法, algorithm rules) apply: a Chinese UI."""
    return has_cjk(t for s in run.screens.values() for t in s.texts) or has_cjk([run.label])


def screen_box(run: RunView, screen: str | None) -> Box:
    """The whole screenshot of a screen (for findings about something absent)."""
    rec = run.screens.get(screen) if screen else None
    if rec is None or not rec.widgets:
        return Box(0, 0, 0, 0)
    b = rec.widgets[0].bounds
    for w in rec.widgets[1:]:
        b = b.union(w.bounds)
    return b


def settings_screen(run: RunView) -> str | None:
    """The app's own settings screen (reached by a "设置" / "Settings" tap), else the main one."""
    start = main_screen(run)
    if start is None:
        return None
    dist = distances(run, start)
    best: tuple[int, str] | None = None
    from darkscan.lexicon.normalize import normalize

    for node, (d, e) in dist.items():
        if e is None:
            continue
        lab = normalize(e.label)
        if lab in ("设置", "设定", "settings", "setting", "preferences") or lab.endswith("设置"):
            if best is None or d < best[0]:
                best = (d, node)
    return best[1] if best else start


def depth_evidence(hit: Hit, threshold: int) -> dict[str, Any]:
    return {"depth": hit.depth, "threshold": threshold, "screen": hit.screen,
            "control": hit.widget.name, "path": path_evidence(hit.path)}


def hit_finding(category: Category, rule: str, severity: Severity, hit: Hit, message: str,
                evidence: Mapping[str, Any], regulations: Sequence[str]) -> Finding:
    return Finding(category=category, rule=rule, severity=severity, bbox=hit.widget.bounds,
                   message=message, evidence=dict(evidence), regulations=tuple(regulations),
                   screen=hit.screen)


def screen_finding(run: RunView, category: Category, rule: str, severity: Severity,
                   screen: str | None, message: str, evidence: Mapping[str, Any],
                   regulations: Sequence[str]) -> Finding:
    return Finding(category=category, rule=rule, severity=severity,
                   bbox=screen_box(run, screen), message=message, evidence=dict(evidence),
                   regulations=tuple(regulations), screen=screen)


def steps_text(path: Sequence[PathStep]) -> str:
    """'我的 › 设置 › 隐私政策' for messages."""
    return " › ".join(s.label or s.action for s in path)


# -- running a rule from the registry ----------------------------------------------------------

_VIEWS: dict[tuple[str, tuple[float, ...]], RunView] = {}


def view_of(run: Any) -> RunView:
    """A RunView for the registry's RunGraph (its ``folder``), a path, or a RunView.

    The folder is read once per analysis: views are cached by path and file times.
    """
    from pathlib import Path

    from darkscan.detect.graph.rundata import load_run

    if isinstance(run, RunView):
        return run
    folder = Path(getattr(run, "folder", run))
    stamp = tuple((folder / n).stat().st_mtime if (folder / n).exists() else 0.0
                  for n in ("run.json", "graph.json", "metrics.json", "probes.json", "screens"))
    key = (str(folder.resolve()), stamp)
    if key not in _VIEWS:
        _VIEWS.clear()
        _VIEWS[key] = load_run(folder)
    return _VIEWS[key]


def _cn_only(f: Finding) -> bool:
    from darkscan.detect.regulations import REGULATIONS

    regs = [REGULATIONS[k] for k in f.regulations if k in REGULATIONS]
    return bool(regs) and all(r.jurisdiction == "CN" for r in regs)


def run_rule(rule: GraphRule, run: Any) -> list[Finding]:
    """Run one rule over a run folder with the flow's thresholds.

    Findings that cite only Chinese rules are lowered to info when the app's interface is not
    Chinese: those rules bind apps offered in China, and the UI language is the evidence of
    the market a crawl has.
    """
    from dataclasses import replace

    view = view_of(run)
    thr = Thresholds.from_settings(view.settings, str(view.settings.get("__source__", "flow")))
    out = rule.detect(view, thr)
    if out and not cn_scope(view):
        out = [replace(f, severity=Severity.INFO,
                       evidence={**f.evidence, "scope": "the app's interface is not Chinese: "
                                 "the Chinese rules cited may not apply"})
               if _cn_only(f) and f.severity is not Severity.INFO else f for f in out]
    return out
