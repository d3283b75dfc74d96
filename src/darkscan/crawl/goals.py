"""Goals: predicates over a screen's widgets ("a switch whose label matches 个性化推荐").

A goal is found when a widget satisfying one of its matchers is observed on a screen the
crawler reached; its depth is the shortest path to that screen plus the tap on the widget.
Built-in goals cover zh-Hans, zh-Hant (through :func:`~darkscan.lexicon.normalize.normalize`)
and English, with their wording in :mod:`darkscan.lexicon.goals`; a flow file can add goals or
override / extend the built-ins (see docs/flows.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from darkscan.lexicon import goals as words
from darkscan.lexicon.normalize import normalize, phrase_set

if TYPE_CHECKING:
    from darkscan.crawl.state import Widget


class WidgetKind(Enum):
    """Which widgets a matcher looks at."""

    CLICKABLE = "clickable"  # something a user taps (buttons, rows, links)
    SWITCH = "switch"        # a checkable widget (switch, checkbox) - the label is its row's text
    ANY = "any"


class Scope(Enum):
    APP = "app"        # screens of the app under test
    SYSTEM = "system"  # the system Settings path (uninstall), counted from the launcher


@dataclass(frozen=True)
class Matcher:
    labels: tuple[str, ...]                 # normalised phrases; a label containing one matches
    widget: WidgetKind = WidgetKind.CLICKABLE
    exclude: tuple[str, ...] = ()           # normalised phrases that veto a match
    exact: tuple[str, ...] = ()             # normalised labels that match only as a whole
    resource_ids: tuple[str, ...] = ()      # lower-case substrings of the resource-id entry
    classes: tuple[str, ...] = ()           # substrings of the widget class (e.g. "Switch")
    max_label: int = 48                     # longer labels are paragraphs, not controls
    enabled_only: bool = True               # False: a disabled control still counts (found)

    def match(self, w: Widget) -> str | None:
        """The phrase (or ``id:``/``class:`` clue) that makes ``w`` match, or None."""
        if self.widget is WidgetKind.CLICKABLE and not (
                w.clickable or w.checkable or (not self.enabled_only and not w.enabled)):
            return None
        if self.widget is WidgetKind.SWITCH and (not w.checkable or "Radio" in w.cls):
            return None  # a radio button chooses an option; it switches nothing off
        if self.classes and not any(c.lower() in w.cls.lower() for c in self.classes):
            return None
        label = normalize(w.label)
        if self.exclude and any(x in label for x in self.exclude):
            return None
        if label and len(label) <= self.max_label:
            if label in self.exact:
                return label
            for p in self.labels:
                if p in label:
                    return p
        rid = w.resource_id.rsplit("/", 1)[-1].lower()
        if rid:
            for r in self.resource_ids:
                if r in rid:
                    return f"id:{r}"
        return None


@dataclass(frozen=True)
class Goal:
    name: str
    matchers: tuple[Matcher, ...]
    scope: Scope = Scope.APP
    description: str = ""
    #: whether the crawler may tap the goal widget to explore beyond it (safety still applies)
    tappable: bool = True

    def match(self, w: Widget) -> str | None:
        for m in self.matchers:
            hit = m.match(w)
            if hit:
                return hit
        return None


def _m(labels: Iterable[str], **kw: Any) -> Matcher:
    for k in ("exclude", "exact"):
        if k in kw:
            kw[k] = phrase_set(kw[k])
    if "resource_ids" in kw:
        kw["resource_ids"] = tuple(r.lower() for r in kw["resource_ids"])
    return Matcher(labels=phrase_set(labels), **kw)


BUILTIN_GOALS: dict[str, Goal] = {g.name: g for g in (
    Goal("subscribe", (
        _m(words.SUBSCRIBE, exclude=words.NOT_SUBSCRIBE),
    ), description="the control that starts a subscription / membership purchase"),
    Goal("cancel_subscription", (
        _m(words.CANCEL_SUBSCRIPTION),
        # a switch whose label is the auto-renewal itself: switching it off cancels
        _m(words.AUTO_RENEW_SWITCH, widget=WidgetKind.SWITCH,
           exclude=words.NOT_AUTO_RENEW_SWITCH),
    ), description="the control that stops a subscription's automatic renewal"),
    Goal("delete_account", (
        _m(words.DELETE_ACCOUNT, exact=words.DELETE_ACCOUNT_EXACT,
           exclude=words.NOT_DELETE_ACCOUNT),
    ), description="the control that starts deleting the user's account"),
    Goal("recommendation_off", (
        _m(words.RECOMMENDATION_SWITCH, widget=WidgetKind.SWITCH,
           exact=words.RECOMMENDATION_SWITCH_EXACT, exclude=words.NOT_RECOMMENDATION_SWITCH,
           resource_ids=list(words.RECOMMENDATION_IDS)),
    ), description="a switch that turns personalised recommendations off"),
    Goal("privacy_policy", (
        _m(words.PRIVACY_POLICY),
    ), description="the link that opens the privacy policy"),
    Goal("customer_service", (
        _m(words.CUSTOMER_SERVICE, exact=words.CUSTOMER_SERVICE_EXACT),
    ), description="a way to reach customer service (客服, hotline, complaints)"),
    Goal("uninstall", (
        _m(words.UNINSTALL, exclude=words.NOT_UNINSTALL, enabled_only=False),
    ), scope=Scope.SYSTEM, tappable=False,
        description="the Uninstall button in system Settings › Apps › <app>"),
)}


def goal_from_spec(name: str, spec: Mapping[str, Any], base: Goal | None) -> Goal:
    """Build a goal from a validated flow-file mapping (see flow.py for validation).

    With a ``base`` (a built-in of the same name) and ``extend: true`` (the default), the
    flow's matcher is added to the built-in ones; ``extend: false`` replaces them.
    """
    kind = WidgetKind(spec.get("widget", "clickable"))
    m = _m(list(spec.get("labels", [])), widget=kind,
           exclude=list(spec.get("exclude", [])), exact=list(spec.get("exact", [])),
           resource_ids=list(spec.get("resource_ids", [])),
           classes=tuple(spec.get("classes", [])))
    if base is not None and spec.get("extend", True):
        return replace(base, matchers=base.matchers + (m,))
    scope = Scope(spec.get("scope", base.scope.value if base else "app"))
    return Goal(name=name, matchers=(m,), scope=scope,
                description=str(spec.get("description", base.description if base else "")),
                tappable=bool(spec.get("tappable", scope is Scope.APP)))


@dataclass(frozen=True)
class GoalSet:
    goals: tuple[Goal, ...] = field(default_factory=lambda: tuple(BUILTIN_GOALS.values()))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(g.name for g in self.goals)

    def app_goals(self) -> tuple[Goal, ...]:
        return tuple(g for g in self.goals if g.scope is Scope.APP)

    def system_goals(self) -> tuple[Goal, ...]:
        return tuple(g for g in self.goals if g.scope is Scope.SYSTEM)

    def get(self, name: str) -> Goal | None:
        return next((g for g in self.goals if g.name == name), None)


