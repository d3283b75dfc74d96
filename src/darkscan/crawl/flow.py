"""Flow files (flows/*.yaml): what to crawl, how to get in, what to look for, how long.

Schema (docs/flows.md)::

    name: optional, defaults to the file name
    target:            # either a virtual app ...
      app: bundled:kanju_zh | path/to/app.yaml   (relative to the flow file)
      apps: [other.yaml, ...]                    # extra virtual apps installed beside it
    target:            # ... or a phone through uiautomator2
      serial: emulator-5554                      # optional; `darkscan crawl --serial` overrides
      package: com.example.app
      label: 示例                                 # optional launcher name (uninstall path)
    setup:             # scripted steps before exploring (e.g. a test account login)
      - tap: {text: 登录}                        # or resource_id / desc; optional `timeout`
      - type: {resource_id: phone, value: "13800000000"}
      - back: true
    goals:             # optional: default = every built-in goal
      cancel_subscription: {labels: [停止续订]}          # extends the built-in
      customer_service: false                          # drops it
      my_goal: {labels: [家长模式], widget: switch}    # adds one
    budget: {max_steps: 400, max_minutes: 15}
    safety: {deny: [领取红包], allow: [..], payment: [..], deletion: [..], allow_password: false}
    gate: {max_cancel_steps: 4, ...}                   # read by `darkscan gate`
    thresholds: {cancel_depth: 4, ...}                 # read by the graph detectors

Every problem raises :class:`FlowError` naming the file, the key and the problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

import yaml

from darkscan.crawl.goals import BUILTIN_GOALS, Goal, GoalSet, WidgetKind, Scope, goal_from_spec
from darkscan.crawl.safety import SafetyRules
from darkscan.device.virtual.yamlread import SafeDepthLoader, YamlTooDeep, too_big
from darkscan.errors import FlowError

TOP_KEYS = {"name", "target", "setup", "goals", "budget", "safety", "gate", "thresholds",
            "description"}
TARGET_KEYS = {"app", "apps", "serial", "package", "label"}
GOAL_KEYS = {"labels", "exclude", "exact", "resource_ids", "classes", "widget", "extend",
             "scope", "description", "tappable"}
SELECTOR_KEYS = {"text", "resource_id", "desc", "text_contains"}
BUDGET_KEYS = {"max_steps", "max_minutes"}
SAFETY_KEYS = {"deny", "allow", "payment", "deletion", "allow_password"}


class StepKind(Enum):
    TAP = "tap"
    TYPE = "type"
    BACK = "back"
    WAIT = "wait"


@dataclass(frozen=True)
class Selector:
    text: str | None = None
    resource_id: str | None = None
    desc: str | None = None
    text_contains: str | None = None

    def describe(self) -> str:
        parts = [f"{k}={v!r}" for k, v in (("text", self.text), ("resource_id", self.resource_id),
                                             ("desc", self.desc), ("text_contains", self.text_contains)) if v]
        return ", ".join(parts)


@dataclass(frozen=True)
class SetupStep:
    kind: StepKind
    selector: Selector | None = None
    text: str = ""             # for TYPE
    seconds: float = 0.0       # for WAIT
    allow_password: bool = False


@dataclass(frozen=True)
class Target:
    app: Path | None = None          # virtual app file
    extra_apps: tuple[Path, ...] = ()
    serial: str | None = None
    package: str | None = None
    label: str | None = None

    @property
    def virtual(self) -> bool:
        return self.app is not None


@dataclass(frozen=True)
class Budget:
    max_steps: int = 400
    max_minutes: float = 15.0


@dataclass(frozen=True)
class Flow:
    path: Path
    name: str
    target: Target
    setup: tuple[SetupStep, ...] = ()
    goals: GoalSet = field(default_factory=GoalSet)
    budget: Budget = field(default_factory=Budget)
    safety: SafetyRules = field(default_factory=SafetyRules)
    # the ``gate:`` mapping over the ``thresholds:`` one (gate keys win): what the graph
    # detectors read; ``darkscan gate`` reads the same two sections from the file
    gate: Mapping[str, Any] = field(default_factory=dict)


def bundled_app(name: str) -> Path:
    """Path of a virtual app shipped in ``darkscan/apps`` (``bundled:NAME``)."""
    fname = name if name.endswith((".yaml", ".yml")) else f"{name}.yaml"
    return Path(str(resources.files("darkscan") / "apps" / fname))


def bundled_names() -> list[str]:
    """Names of the bundled virtual apps (for ``bundled:NAME``)."""
    return sorted(Path(str(p)).stem for p in (resources.files("darkscan") / "apps").iterdir()
                  if str(p).endswith(".yaml"))


class _Check:
    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str | None, problem: str) -> FlowError:
        return FlowError(str(self.path), key, problem)

    def mapping(self, v: Any, key: str) -> dict[str, Any]:
        if not isinstance(v, dict):
            raise self.fail(key, f"expected a mapping, got {type(v).__name__}")
        return v

    def keys(self, m: Mapping[str, Any], allowed: set[str], key: str | None) -> None:
        for k in m:
            if k not in allowed:
                raise self.fail(f"{key}.{k}" if key else str(k),
                                f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def strlist(self, v: Any, key: str) -> list[str]:
        if isinstance(v, str):
            return [v]
        if not isinstance(v, list) or not all(isinstance(x, (str, int)) for x in v):
            raise self.fail(key, "expected a list of strings")
        return [str(x) for x in v]

    def boolean(self, v: Any, key: str) -> bool:
        """A real YAML boolean: ``"no"``, ``"yes"``, 1 or ``"true"`` are mistakes, not values."""
        if not isinstance(v, bool):
            raise self.fail(key, f"expected true or false (a YAML boolean), got {v!r}")
        return v

    def number(self, v: Any, key: str, minimum: float) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise self.fail(key, f"expected a number, got {v!r}")
        if v < minimum:
            raise self.fail(key, f"must be at least {minimum}, got {v}")
        return float(v)


def _target(c: _Check, raw: Any) -> Target:
    m = c.mapping(raw, "target")
    c.keys(m, TARGET_KEYS, "target")
    if "app" in m and "package" in m:
        raise c.fail("target", "give either app (a virtual app file) or package (a phone), not both")
    if "app" in m:
        extra = tuple(_app_path(c, a, f"target.apps[{i}]")
                      for i, a in enumerate(c.strlist(m.get("apps", []), "target.apps")))
        return Target(app=_app_path(c, m["app"], "target.app"), extra_apps=extra,
                      label=m.get("label"))
    if "package" not in m:
        raise c.fail("target", "needs app (a virtual app file) or package (+ optional serial)")
    pkg = m["package"]
    if not isinstance(pkg, str) or "." not in pkg:
        raise c.fail("target.package", f"expected an Android package name, got {pkg!r}")
    serial = m.get("serial")
    if serial is not None and not isinstance(serial, str):
        raise c.fail("target.serial", "expected a string")
    return Target(package=pkg, serial=serial, label=m.get("label"))


def _app_path(c: _Check, v: Any, key: str) -> Path:
    if not isinstance(v, str) or not v:
        raise c.fail(key, "expected a file path or bundled:NAME")
    if v.startswith("bundled:"):
        p = bundled_app(v.split(":", 1)[1])
        if not p.is_file():
            raise c.fail(key, f"no bundled app {v.split(':', 1)[1]!r} (bundled: "
                         f"{', '.join(bundled_names())})")
    else:
        p = c.path.parent / v
    if p.is_dir():
        raise c.fail(key, f"{p} is a directory, not a virtual app file")
    if not p.is_file():
        raise c.fail(key, f"virtual app file not found: {p}")
    return p.resolve()


def _selector(c: _Check, raw: Any, key: str, extra: set[str] = frozenset()) -> tuple[Selector, dict[str, Any]]:
    m = c.mapping(raw, key)
    c.keys(m, SELECTOR_KEYS | extra, key)
    sel = Selector(**{k: str(m[k]) for k in SELECTOR_KEYS if k in m})
    if not any((sel.text, sel.resource_id, sel.desc, sel.text_contains)):
        raise c.fail(key, "needs text, resource_id, desc or text_contains")
    return sel, m


def _setup(c: _Check, raw: Any) -> tuple[SetupStep, ...]:
    if not isinstance(raw, list):
        raise c.fail("setup", "expected a list of steps")
    steps: list[SetupStep] = []
    for i, item in enumerate(raw):
        key = f"setup[{i}]"
        m = c.mapping(item, key)
        if len(m) != 1:
            raise c.fail(key, "each step has exactly one of tap, type, back, wait")
        (kind, val), = m.items()
        if kind == "tap":
            sel, _ = _selector(c, val, f"{key}.tap")
            steps.append(SetupStep(StepKind.TAP, sel))
        elif kind == "type":
            sel, mm = _selector(c, val, f"{key}.type", {"value", "allow_password"})
            if "value" not in mm:
                raise c.fail(f"{key}.type", "needs value (the text to type) beside the selector")
            steps.append(SetupStep(StepKind.TYPE, sel, text=str(mm["value"]),
                                   allow_password=c.boolean(mm.get("allow_password", False),
                                                            f"{key}.type.allow_password")))
        elif kind == "back":
            if val is not True:
                raise c.fail(f"{key}.back", f"expected true (a YAML boolean), got {val!r}")
            steps.append(SetupStep(StepKind.BACK))
        elif kind == "wait":
            steps.append(SetupStep(StepKind.WAIT, seconds=c.number(val, f"{key}.wait", 0)))
        else:
            raise c.fail(key, f"unknown step {kind!r} (tap, type, back, wait)")
    return tuple(steps)


def _goals(c: _Check, raw: Any) -> GoalSet:
    if raw is None:
        return GoalSet()
    if isinstance(raw, list):
        names = c.strlist(raw, "goals")
        unknown = [n for n in names if n not in BUILTIN_GOALS]
        if unknown:
            raise c.fail("goals", f"unknown built-in goal {unknown[0]!r} "
                         f"(built-ins: {', '.join(BUILTIN_GOALS)}); use a mapping to define one")
        return GoalSet(tuple(BUILTIN_GOALS[n] for n in names))
    m = c.mapping(raw, "goals")
    goals: dict[str, Goal] = dict(BUILTIN_GOALS)
    for name, spec in m.items():
        key = f"goals.{name}"
        if spec is False:
            if name not in goals:
                raise c.fail(key, "false drops a built-in goal, but there is none by this name")
            goals.pop(name)
            continue
        if spec is None or spec is True:
            if name not in BUILTIN_GOALS:
                raise c.fail(key, "not a built-in goal: give labels to define it")
            continue
        s = c.mapping(spec, key)
        c.keys(s, GOAL_KEYS, key)
        for lk in ("labels", "exclude", "exact", "resource_ids", "classes"):
            if lk in s:
                s[lk] = c.strlist(s[lk], f"{key}.{lk}")
        if "widget" in s and s["widget"] not in {k.value for k in WidgetKind}:
            raise c.fail(f"{key}.widget", f"expected one of {[k.value for k in WidgetKind]}")
        for bk in ("extend", "tappable"):
            if bk in s:
                c.boolean(s[bk], f"{key}.{bk}")
        if "scope" in s and s["scope"] not in {k.value for k in Scope}:
            raise c.fail(f"{key}.scope", f"expected one of {[k.value for k in Scope]}")
        base = BUILTIN_GOALS.get(name)
        if base is None and not (s.get("labels") or s.get("resource_ids")):
            raise c.fail(key, "a new goal needs labels or resource_ids")
        goals[name] = goal_from_spec(name, s, base)
    return GoalSet(tuple(goals.values()))


def read_flow_yaml(path: str | Path) -> dict[str, Any]:
    """A flow file's top-level mapping ({} for an empty file), not yet validated.

    Every way the file can be unreadable is one :class:`FlowError`; ``darkscan gate`` reads
    its ``gate:`` / ``thresholds:`` sections through this without loading the whole flow.
    """
    p = Path(path)
    if p.is_dir():
        raise FlowError(str(p), None, "is a directory, not a flow file")
    if not p.is_file():
        raise FlowError(str(p), None, "flow file not found")
    if (big := too_big(p.stat().st_size)) is not None:
        raise FlowError(str(p), None, big)
    try:
        raw = yaml.load(p.read_text(encoding="utf-8"), Loader=SafeDepthLoader)
    except YamlTooDeep as e:
        raise FlowError(str(p), f"line {e.line}", str(e)) from None
    except RecursionError:
        raise FlowError(str(p), None, "nests too deeply") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        raise FlowError(str(p), where, f"not valid YAML: {getattr(e, 'problem', e)}") from None
    except UnicodeDecodeError:
        raise FlowError(str(p), None, "not UTF-8 text") from None
    return _Check(p).mapping(raw, "(top level)") if raw is not None else {}


def load_flow(path: str | Path) -> Flow:
    """Read and validate a flow file."""
    p = Path(path)
    c = _Check(p)
    m = read_flow_yaml(p)
    c.keys(m, TOP_KEYS, None)
    if "target" not in m:
        raise c.fail("target", "missing (a virtual app file, or serial + package)")
    target = _target(c, m["target"])
    budget = Budget()
    if "budget" in m:
        b = c.mapping(m["budget"], "budget")
        c.keys(b, BUDGET_KEYS, "budget")
        budget = Budget(
            max_steps=int(c.number(b.get("max_steps", budget.max_steps), "budget.max_steps", 1)),
            max_minutes=c.number(b.get("max_minutes", budget.max_minutes), "budget.max_minutes", 0.01),
        )
    safety = SafetyRules()
    if "safety" in m:
        s = c.mapping(m["safety"], "safety")
        c.keys(s, SAFETY_KEYS, "safety")
        safety = SafetyRules.with_extra(
            deny=c.strlist(s.get("deny", []), "safety.deny"),
            pay=c.strlist(s.get("payment", []), "safety.payment"),
            delete=c.strlist(s.get("deletion", []), "safety.deletion"),
            allow=c.strlist(s.get("allow", []), "safety.allow"),
            allow_password=c.boolean(s.get("allow_password", False), "safety.allow_password"))
    gate = c.mapping(m.get("gate", {}) or {}, "gate")
    for k, v in gate.items():
        if v is not None and not isinstance(v, (int, float, bool, str, list)):
            raise c.fail(f"gate.{k}", "expected a number, boolean, string, list or null")
    thresholds = c.mapping(m.get("thresholds", {}) or {}, "thresholds")
    name = m.get("name", p.stem)
    if not isinstance(name, str):
        raise c.fail("name", "expected a string")
    return Flow(path=p.resolve(), name=name, target=target,
                setup=_setup(c, m.get("setup", []) or []), goals=_goals(c, m.get("goals")),
                budget=budget, safety=safety, gate={**thresholds, **gate})


def virtual_flow(app: Path, budget: Budget | None = None, name: str | None = None) -> Flow:
    """A flow for a virtual app file with every default (used by ``darkscan demo`` and bench)."""
    return Flow(path=app.resolve(), name=name or app.stem, target=Target(app=app.resolve()),
                budget=budget or Budget())
