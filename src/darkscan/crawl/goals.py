"""Goals: predicates over a screen's widgets ("a switch whose label matches 个性化推荐").

A goal is found when a widget satisfying one of its matchers is observed on a screen the
crawler reached; its depth is the shortest path to that screen plus the tap on the widget.
Built-in goals cover zh-Hans, zh-Hant (through :func:`lexicon.normalize`) and English; a flow
file can add goals or override / extend the built-ins (see docs/flows.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import TYPE_CHECKING, Any, Mapping

from darkscan.crawl.lexicon import normalize, phrase_set

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


def _m(labels: list[str], **kw: Any) -> Matcher:
    for k in ("exclude", "exact"):
        if k in kw:
            kw[k] = phrase_set(kw[k])
    if "resource_ids" in kw:
        kw["resource_ids"] = tuple(r.lower() for r in kw["resource_ids"])
    return Matcher(labels=phrase_set(labels), **kw)


_NOT_CANCEL = ["取消", "退订", "关闭", "停止", "管理", "已开通", "已订阅", "已是", "恢复购买",
               "cancel", "unsubscribe", "manage", "turnoff", "stop", "restore", "already"]

BUILTIN_GOALS: dict[str, Goal] = {g.name: g for g in (
    Goal("subscribe", (
        _m(["开通会员", "立即开通", "开通vip", "开通svip", "开通连续包月", "立即订阅", "订阅会员", "成为会员",
            "加入会员", "购买会员", "升级会员", "开通超级会员", "续费会员", "开通", "订阅",
            "subscribe", "start free trial", "free trial", "get premium", "go premium",
            "upgrade to", "upgrade now", "join premium", "become a member", "try premium",
            "start membership", "get plus", "buy premium"],
           exclude=_NOT_CANCEL),
    ), description="the control that starts a subscription / membership purchase"),
    Goal("cancel_subscription", (
        _m(["取消自动续费", "关闭自动续费", "取消自动续订", "关闭自动续订", "停止自动续费", "解除自动续费",
            "取消连续包月", "关闭连续包月", "取消连续包年", "取消续费", "关闭续费", "停止续费", "取消续订",
            "退订", "取消订阅", "取消会员订阅", "关闭免密支付", "取消签约", "解约",
            "cancel subscription", "cancel my subscription", "cancel membership", "cancel plan",
            "cancel auto-renew", "cancel autorenew", "cancel auto renewal", "cancel renewal",
            "turn off auto-renew", "turn off autorenew", "turn off auto renewal",
            "stop auto-renew", "disable auto-renew", "disable autorenew", "unsubscribe",
            "end subscription", "cancel trial", "cancel free trial"]),
        # a switch whose label is the auto-renewal itself: switching it off cancels
        _m(["自动续费", "自动续订", "auto-renew", "autorenew", "auto renewal",
            "automatic renewal"], widget=WidgetKind.SWITCH,
           exclude=["协议", "同意", "阅读", "条款", "agree", "terms", "accept"]),
    ), description="the control that stops a subscription's automatic renewal"),
    Goal("delete_account", (
        _m(["注销账号", "注销账户", "注销帐号", "账号注销", "账户注销", "帐号注销", "删除账号", "删除账户",
            "删除帐号", "永久注销", "申请注销", "注销会员账号", "注销用户",
            "delete account", "delete my account", "delete your account", "close account",
            "close my account", "deactivate account", "remove account", "account deletion",
            "erase account"],
           exact=["注销", "delete"], exclude=["登录", "退出", "logout", "log out", "sign out"]),
    ), description="the control that starts deleting the user's account"),
    Goal("recommendation_off", (
        _m(["个性化推荐", "个性化内容推荐", "个性化内容", "个人化推荐", "推荐算法", "算法推荐", "智能推荐",
            "个性化推送", "个性化服务", "个性化设置",
            "personalized recommendation", "personalised recommendation",
            "personalized content", "personalised content", "personalization",
            "personalisation", "recommendations", "recommended for you", "tailored"],
           widget=WidgetKind.SWITCH, resource_ids=["recommend", "personaliz", "personalis"]),
    ), description="a switch that turns personalised recommendations off"),
    Goal("privacy_policy", (
        _m(["隐私政策", "隐私协议", "隐私条款", "隐私权政策", "隐私权条款", "隐私保护指引", "隐私保护政策",
            "隐私声明", "个人信息保护政策", "个人信息保护指引", "隐私指引",
            "privacy policy", "privacy notice", "privacy statement", "privacy terms"]),
    ), description="the link that opens the privacy policy"),
    Goal("customer_service", (
        _m(["客服", "热线", "投诉", "联系我们", "人工服务", "在线咨询",
            "customer service", "customer support", "contact us", "contact support",
            "hotline", "complaint", "live chat", "chat with us", "talk to us", "call us"]),
    ), description="a way to reach customer service (客服, hotline, complaints)"),
    Goal("uninstall", (
        _m(["卸载", "解除安装", "uninstall"], exclude=["更新", "updates"], enabled_only=False),
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


