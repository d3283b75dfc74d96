"""The CI gate: thresholds, one rule per threshold, and their verdicts over a run.

Defaults (docs/ci.md): cancelling takes at most 4 steps and at most twice the steps subscribing
took (EU DSA Art. 25 and California's ARL ask that cancelling be no harder than subscribing; a
strict reading is ratio 1.0, but a 2-tap purchase next to a 4-tap cancel path is the norm we hold
apps to, consistent with the 4-step cap), and no finding of severity high. Thresholds come from
the flow file's ``gate:`` mapping, then flags.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from enum import Enum
from pathlib import Path
from typing import Any, Callable, Mapping

from darkscan.crawl.flow import read_flow_yaml
from darkscan.detect.finding import Finding, Severity
from darkscan.errors import FlowError, UsageError
from darkscan.report.goals import GoalSteps, goal_steps, main_screen
from darkscan.report.load import RunData

# Goal names in metrics.json, first match wins (the crawler's names first).
CANCEL_GOALS = ("cancel_subscription", "cancel", "unsubscribe")
SUBSCRIBE_GOALS = ("subscribe", "subscription")
RECOMMENDATION_OFF_GOALS = ("recommendation_off", "personalized_recommendation_off")
DELETE_ACCOUNT_GOALS = ("delete_account", "account_deletion")
PRIVACY_GOALS = ("privacy_policy", "privacy")


# Graph-detector thresholds that may share the flow's gate: section (darkscan.detect.graph).
DETECTOR_ALIASES = {"cancel_depth": "max_cancel_steps",
                    "account_deletion_depth": "max_delete_account_steps",
                    "privacy_policy_depth": "max_privacy_steps"}
DETECTOR_KEYS = frozenset({"recommendation_depth", "customer_service_depth", "uninstall_steps",
                           "cancel_vs_subscribe_margin", *DETECTOR_ALIASES})


class Outcome(str, Enum):
    PASS = "pass"
    FAIL = "fail"
    SKIP = "skip"


@dataclass(frozen=True)
class Thresholds:
    """What the gate checks; ``None`` / ``False`` switches a rule off."""

    max_cancel_steps: int | None = 4
    max_cancel_ratio: float | None = 2.0
    fail_on: Severity | None = Severity.HIGH
    require_recommendation_off: bool = False
    max_delete_account_steps: int | None = None
    max_privacy_steps: int | None = None
    require_verified: bool = False

    def merged(self, overrides: Mapping[str, Any], source: str = "flags",
               section: str = "gate") -> Thresholds:
        """These thresholds with ``overrides`` (flow ``gate:`` keys or flag values) applied.

        The flow's ``gate:`` mapping is shared with the graph detectors' thresholds
        (``cancel_depth`` ...): those keys are accepted, and the depth ones also set the gate's
        limit unless the gate's own key is given, so the finding and the gate agree.
        """
        known = {f.name for f in fields(self)}
        changes: dict[str, Any] = {}
        aliased: dict[str, Any] = {}
        for raw_key, value in overrides.items():
            key = str(raw_key).replace("-", "_")
            where = f"{section}.{raw_key}"
            if key in DETECTOR_ALIASES:
                aliased[DETECTOR_ALIASES[key]] = _coerce(DETECTOR_ALIASES[key], value, source,
                                                         where)
            elif key in known:
                changes[key] = _coerce(key, value, source, where)
            elif key not in DETECTOR_KEYS and not key.startswith("__"):
                raise FlowError(source, where,
                                f"unknown gate key; known: {', '.join(sorted(known))}")
        return replace(self, **{**aliased, **changes})


def _coerce(key: str, value: Any, source: str, where: str) -> Any:
    if key == "fail_on":
        if value is None or value is False or str(value).lower() in ("none", "off", "never"):
            return None
        try:
            return Severity(str(value).lower())
        except ValueError:
            raise FlowError(source, where, f"expected high|medium|low|info|none, got {value!r}") \
                from None
    if key in ("require_recommendation_off", "require_verified"):
        if not isinstance(value, bool):
            raise FlowError(source, where, f"expected true or false, got {value!r}")
        return value
    if value is None or value is False:
        return None
    if isinstance(value, bool):
        raise FlowError(source, where, f"expected a number or null, got {value!r}")
    try:
        number = float(value) if key == "max_cancel_ratio" else int(value)
    except (TypeError, ValueError):
        raise FlowError(source, where, f"expected a number, got {value!r}") from None
    if isinstance(number, float) and (math.isnan(number) or number <= 0):
        raise FlowError(source, where, f"must be a positive number, got {value!r}")
    if isinstance(number, int) and number < 0:
        raise FlowError(source, where, f"must be 0 or more, got {value!r}")
    return number


def _flow_sections(flow_path: Path | str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """The ``thresholds:`` and ``gate:`` mappings of a flow file ({} when absent).

    Read from the YAML directly, not through the whole flow, so a run folder can be gated
    where the flow's target (app file, phone) is not available.
    """
    path = Path(flow_path)
    data = read_flow_yaml(path)
    out = []
    for name in ("thresholds", "gate"):
        section = data.get(name)
        if section is not None and not isinstance(section, Mapping):
            raise FlowError(str(path), name, "expected a mapping of thresholds")
        out.append(section or {})
    return out[0], out[1]


@dataclass(frozen=True)
class RuleResult:
    rule: str  # stable id, the JUnit testcase name
    title: str  # what the rule checks, for people
    outcome: Outcome
    measured: str
    limit: str
    message: str


@dataclass(frozen=True)
class GateResult:
    results: tuple[RuleResult, ...]
    thresholds: Thresholds

    @property
    def passed(self) -> bool:
        return all(r.outcome is not Outcome.FAIL for r in self.results)

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.outcome is Outcome.FAIL)


@dataclass(frozen=True)
class _Ctx:
    run: RunData
    goals: Mapping[str, GoalSteps]


def _goal(ctx: _Ctx, names: tuple[str, ...]) -> GoalSteps | None:
    for name in names:
        if name in ctx.goals:
            return ctx.goals[name]
    return None


def _not_found(goal: GoalSteps) -> str:
    return f"not found ({goal.reason})" if goal.reason else "not found"


def _measured(goal: GoalSteps) -> str:
    note = ", unverified" if goal.verified is False else \
        ", first launch only" if goal.first_launch_only else ""
    if goal.skipped:
        return f"{goal.steps} steps ({goal.from_launch} from launch{note})"
    return f"{goal.steps} steps" + (f" ({note[2:]})" if note else "")


def _max_steps_rule(rule: str, title: str, names: tuple[str, ...], limit: int | None,
                    ctx: _Ctx) -> RuleResult:
    if limit is None:
        return RuleResult(rule, title, Outcome.SKIP, "-", "off", "rule switched off")
    goal = _goal(ctx, names)
    if goal is None:
        return RuleResult(rule, title, Outcome.SKIP, "-", f"<= {limit}",
                          f"the crawl did not look for '{names[0]}'")
    if not goal.found or goal.steps is None:
        return RuleResult(rule, title, Outcome.FAIL, _not_found(goal), f"<= {limit}",
                          f"{goal.name}: path {_not_found(goal)}")
    where = " from the main screen" if goal.skipped else ""
    if goal.steps > limit:
        return RuleResult(rule, title, Outcome.FAIL, _measured(goal), f"<= {limit}",
                          f"{goal.name} takes {goal.steps} steps{where}; at most {limit} allowed")
    return RuleResult(rule, title, Outcome.PASS, _measured(goal), f"<= {limit}",
                      f"{goal.name} takes {goal.steps} steps{where}")


def _cancel_steps(ctx: _Ctx, t: Thresholds) -> RuleResult:
    return _max_steps_rule("max-cancel-steps", "Steps to cancel the subscription",
                           CANCEL_GOALS, t.max_cancel_steps, ctx)


def _cancel_ratio(ctx: _Ctx, t: Thresholds) -> RuleResult:
    rule, title = "max-cancel-ratio", "Cancelling vs subscribing (steps ratio)"
    if t.max_cancel_ratio is None:
        return RuleResult(rule, title, Outcome.SKIP, "-", "off", "rule switched off")
    limit = f"<= {t.max_cancel_ratio:g}"
    cancel, sub = _goal(ctx, CANCEL_GOALS), _goal(ctx, SUBSCRIBE_GOALS)
    if cancel is None or sub is None:
        return RuleResult(rule, title, Outcome.SKIP, "-", limit,
                          "needs both a cancel and a subscribe goal in metrics")
    if not sub.found or not sub.steps:
        return RuleResult(rule, title, Outcome.SKIP, "-", limit,
                          f"subscribing: path {_not_found(sub)}")
    if not cancel.found or cancel.steps is None:
        return RuleResult(rule, title, Outcome.FAIL, _not_found(cancel), limit,
                          f"subscribing takes {sub.steps} steps, cancelling: path "
                          f"{_not_found(cancel)}")
    ratio = cancel.steps / sub.steps
    measured = f"{ratio:.2f} ({cancel.steps}/{sub.steps})"
    text = f"cancelling takes {cancel.steps} steps, subscribing {sub.steps}"
    if ratio > t.max_cancel_ratio + 1e-9:
        return RuleResult(rule, title, Outcome.FAIL, measured, limit,
                          f"{text}: ratio {ratio:.2f} > {t.max_cancel_ratio:g}")
    return RuleResult(rule, title, Outcome.PASS, measured, limit, text)


def _severity(ctx: _Ctx, t: Thresholds) -> RuleResult:
    rule, title = "fail-on", "Findings at or above a severity"
    if t.fail_on is None:
        return RuleResult(rule, title, Outcome.SKIP, "-", "off", "rule switched off")
    limit = f"none >= {t.fail_on.value}"
    findings = ctx.run.findings
    if findings is None:
        return RuleResult(rule, title, Outcome.SKIP, "not analysed", limit,
                          "no findings.json: run `darkscan analyze` first")
    bad: list[Finding] = [f for f in findings if f.severity.at_least(t.fail_on)]
    if not bad:
        return RuleResult(rule, title, Outcome.PASS, f"0 of {len(findings)}", limit,
                          f"no finding of severity {t.fail_on.value} or above")
    cats = sorted({f.category.value for f in bad})
    return RuleResult(rule, title, Outcome.FAIL, f"{len(bad)} of {len(findings)}", limit,
                      f"{len(bad)} finding(s) of severity >= {t.fail_on.value}: "
                      + ", ".join(cats))


def _recommendation_off(ctx: _Ctx, t: Thresholds) -> RuleResult:
    rule, title = "require-recommendation-off", "A switch turns personalised recommendation off"
    if not t.require_recommendation_off:
        return RuleResult(rule, title, Outcome.SKIP, "-", "off", "rule switched off")
    goal = _goal(ctx, RECOMMENDATION_OFF_GOALS)
    if goal is None:
        return RuleResult(rule, title, Outcome.FAIL, "not measured", "required",
                          f"the crawl did not look for '{RECOMMENDATION_OFF_GOALS[0]}'")
    if not goal.found:
        return RuleResult(rule, title, Outcome.FAIL, _not_found(goal), "required",
                          f"{goal.name}: {_not_found(goal)}")
    return RuleResult(rule, title, Outcome.PASS,
                      _measured(goal) if goal.steps is not None else "found", "required",
                      f"{goal.name} found")


def _delete_account(ctx: _Ctx, t: Thresholds) -> RuleResult:
    return _max_steps_rule("max-delete-account-steps", "Steps to delete the account",
                           DELETE_ACCOUNT_GOALS, t.max_delete_account_steps, ctx)


def _privacy(ctx: _Ctx, t: Thresholds) -> RuleResult:
    return _max_steps_rule("max-privacy-steps", "Steps to reach the privacy policy",
                           PRIVACY_GOALS, t.max_privacy_steps, ctx)


def _verified(ctx: _Ctx, t: Thresholds) -> RuleResult:
    """Every reported goal path was walked again from a cold start (crawl/replay.py)."""
    rule, title = "require-verified", "Reported goal paths replay from a cold start"
    if not t.require_verified:
        return RuleResult(rule, title, Outcome.SKIP, "-", "off", "rule switched off")
    found = [g for g in ctx.goals.values() if g.found]
    if not found:
        return RuleResult(rule, title, Outcome.SKIP, "-", "required", "no goal path was found")
    if all(g.verified is None for g in found):
        return RuleResult(rule, title, Outcome.SKIP, "-", "required",
                          "metrics.json carries no replay results (crawled without them)")
    bad = [g for g in found if g.verified is not True]
    measured = f"{len(found) - len(bad)}/{len(found)} verified"
    if bad:
        why = "; ".join(f"{g.name}: {g.unverified_reason or 'not replayed'}" for g in bad)
        return RuleResult(rule, title, Outcome.FAIL, measured, "all",
                          f"unverified paths: {why}")
    return RuleResult(rule, title, Outcome.PASS, measured, "all",
                      "every reported goal path replayed from a cold start")


RULES: tuple[Callable[[_Ctx, Thresholds], RuleResult], ...] = (
    _cancel_steps, _cancel_ratio, _severity, _recommendation_off, _delete_account, _privacy,
    _verified,
)


def evaluate(run: RunData, thresholds: Thresholds | None = None,
             goals: Mapping[str, GoalSteps] | None = None) -> GateResult:
    """Every rule over ``run``; ``goals`` defaults to steps counted from the main screen."""
    t = thresholds or Thresholds()
    ctx = _Ctx(run, goals if goals is not None else goal_steps(run, main_screen(run)))
    return GateResult(results=tuple(rule(ctx, t) for rule in RULES), thresholds=t)


def flow_path_of(run: RunData) -> Path | None:
    """The flow file run.json names, if it still exists (relative to cwd or the run folder)."""
    flow = run.run.get("flow")
    if not isinstance(flow, str) or not flow:
        return None
    for p in (Path(flow), run.root / flow):
        if p.is_file():
            return p
    return None


def _check_detector_values(section: Mapping[str, Any], source: str, name: str) -> None:
    """The graph detectors' keys hold what the detectors accept (checked before a crawl)."""
    from darkscan.detect.graph.settings import Thresholds as DetectorThresholds

    for key, value in section.items():
        try:
            DetectorThresholds.from_settings({key: value}, source)
        except FlowError as e:
            raise FlowError(source, f"{name}.{key}", e.problem) from None


def resolve_thresholds(flow_file: Path | str | None = None,
                       overrides: Mapping[str, Any] | None = None) -> Thresholds:
    """Defaults, then the flow file's ``gate:`` section, then flag values (None = not given)."""
    t = Thresholds()
    if flow_file is not None:
        detector, section = _flow_sections(flow_file)
        for name, mapping in (("thresholds", detector), ("gate", section)):
            _check_detector_values(mapping, str(flow_file), name)
        aliases = {k: v for k, v in detector.items() if k in DETECTOR_ALIASES}
        t = t.merged(aliases, source=str(flow_file), section="thresholds")
        t = t.merged(section, source=str(flow_file))
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        try:
            t = t.merged({key: value}, source="flags")
        except FlowError as e:
            raise UsageError(f"--{key.replace('_', '-')}: {e.problem}") from None
    return t


def thresholds_for(run: RunData, flow: Path | str | None = None,
                   overrides: Mapping[str, Any] | None = None) -> Thresholds:
    """:func:`resolve_thresholds` with ``flow`` defaulting to the flow the run was crawled with."""
    return resolve_thresholds(Path(flow) if flow is not None else flow_path_of(run), overrides)
