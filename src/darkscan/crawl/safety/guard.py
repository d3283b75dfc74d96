"""The decision: may the crawler tap this widget on this screen?

1. A password field (reason ``password``) or a verification / SMS / security-code field (reason
   ``verification_code``) is never typed into; a flow ``deny`` label is never tapped.
2. A final payment / deletion / uninstall wording (确认支付, "Buy for $0.99", "Erase all",
   "¥6 购买") is refused anywhere.
3. Otherwise the screen's risk (:mod:`.risk`) decides. With no risk, anything may be tapped.
   On a ``HIGH`` screen only harmless actions are allowed: leaving (back, ✕, 取消, 返回, "Not
   now"...), links to documents (terms, agreements, privacy, help) without an action verb,
   choosing an option (radio, checkbox; not one that turns on password-free payment), the flow's
   ``allow`` labels, and the goals that stop spending (cancel auto-renewal) or only inform
   (privacy policy, customer service). On an ``ATTENTION`` screen (prices shown, or a heading
   names the deletion) navigation toward goals is allowed too ("会员中心", "开通会员").
   Everything else - unfamiliar wording, "Continue", "下一步", "我知道了", icon-only and
   image-only controls - is refused: a new label errs on the side of stopping.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import darkscan.lexicon.safety as W
from darkscan.crawl.goals import BUILTIN_GOALS
from darkscan.crawl.safety.risk import NO_RISK, Arrival, Level, Risk, assess, code_field
from darkscan.crawl.state import Screen, Widget
from darkscan.lexicon.navigation import BACK_WORDS, TOWARD, TOWARD_EXACT
from darkscan.lexicon.normalize import normalize, phrase_set


class StopReason(Enum):
    PAYMENT = "payment"
    ACCOUNT_DELETION = "account_deletion"
    PASSWORD = "password"
    VERIFICATION_CODE = "verification_code"
    UNINSTALL = "uninstall"
    FLOW_RULE = "flow_rule"


_REASON_OF_KIND = {"payment": StopReason.PAYMENT, "deletion": StopReason.ACCOUNT_DELETION,
                   "secret": StopReason.PASSWORD}


def _reason_of(risk: Risk) -> StopReason:
    """A risky screen's stop reason; a secret that is only a code field is a verification code
    (an SMS / security code), any other secret (password, PIN, biometric) a password."""
    if risk.kind == "secret" and all(s.name == "code_field" for s in risk.signals
                                     if s.kind == "secret"):
        return StopReason.VERIFICATION_CODE
    return _REASON_OF_KIND[risk.kind or "payment"]


# goals whose controls stop spending or only inform: harmless on a risky screen
_HARMLESS_GOALS = tuple(BUILTIN_GOALS[g] for g in ("cancel_subscription", "privacy_policy",
                                                   "customer_service"))
_SUBSCRIBE = BUILTIN_GOALS["subscribe"]
_DELETE = BUILTIN_GOALS["delete_account"]
_ID_HARMLESS = {"close", "cancel", "dismiss", "back", "up", "exit", "x"}
_ID_RISKY = {"account", "delete", "pay", "buy", "confirm", "order", "submit", "ok", "next"}


@dataclass(frozen=True)
class Stop:
    """A refused action: why, and what on the screen showed it."""

    reason: StopReason
    evidence: dict[str, Any]


def _id_tokens(w: Widget) -> set[str]:
    rid = w.resource_id.rsplit("/", 1)[-1].lower()
    return set(rid.replace("-", "_").split("_")) if rid else set()


def _has(phrases: Iterable[str], label: str) -> str | None:
    return next((p for p in phrases if p and p in label), None)


def final_wording(w: Widget, extra_pay: W.Phrases = W.Phrases(),
                  extra_delete: W.Phrases = W.Phrases()) -> tuple[StopReason, str] | None:
    """A label that completes a payment, a deletion or an uninstall by itself."""
    raw = w.label
    hit = W.PAY_FINAL.find(raw) or extra_pay.find(raw)
    if hit:
        return StopReason.PAYMENT, hit
    if W.PRICE.search(raw):
        verb = W.BUY_VERBS.find(raw)
        if verb:
            return StopReason.PAYMENT, f"{verb} + amount"
    hit = W.DELETE_FINAL.find(raw) or extra_delete.find(raw)
    if hit:
        return StopReason.ACCOUNT_DELETION, hit
    hit = W.UNINSTALL_FINAL.find(raw)
    if hit:
        return StopReason.UNINSTALL, hit
    return None


def harmless(w: Widget, label: str, allow: tuple[str, ...] = ()) -> str | None:
    """Why tapping ``w`` cannot pay or delete (None when that is not known)."""
    if w.checkable:
        return None if W.PAY_SWITCH.find(w.label) else "choice"
    if label and label in allow:
        return "flow allow"
    if label in W.HARMLESS_EXACT or label in BACK_WORDS or (label and any(label.startswith(p)
                                                    for p in W.HARMLESS_PREFIX)):
        return "leave"
    if not label:
        ids = _id_tokens(w)
        if ids & _ID_HARMLESS and not ids & _ID_RISKY:
            return "leave (id)"
        return None
    if len(label) <= 30 and W.DOCUMENT.find(w.label) and not W.ACTION_VERBS.find(w.label):
        return "document link"
    for g in _HARMLESS_GOALS:
        if g.match(w):
            return f"goal {g.name}"
    return None


def _navigational(w: Widget, label: str, risk: Risk) -> str | None:
    """Allowed on an ATTENTION screen: a step toward a goal, not a commitment."""
    if not label:
        return None
    for g in BUILTIN_GOALS.values():
        if g.match(w) and not (g is _DELETE and risk.kind == "deletion"):
            return f"goal {g.name}"
    if W.DELETE_VERBS.find(w.label) or W.ACTION_VERBS.find(w.label):
        return None
    if label in TOWARD_EXACT or _has(TOWARD, label):
        return "navigation"
    return None


@dataclass(frozen=True)
class SafetyRules:
    """The guard with the flow's ``safety:`` additions (phrases already normalised)."""

    deny: tuple[str, ...] = ()              # flow: labels that must never be tapped
    allow: tuple[str, ...] = ()             # flow: whole labels known harmless
    allow_password: bool = False
    extra_pay: W.Phrases = field(default=W.Phrases())
    extra_delete: W.Phrases = field(default=W.Phrases())

    @classmethod
    def with_extra(cls, deny: Iterable[str] = (), pay: Iterable[str] = (),
                   delete: Iterable[str] = (), allow_password: bool = False,
                   allow: Iterable[str] = ()) -> SafetyRules:
        return cls(deny=phrase_set(deny), allow=phrase_set(allow), extra_pay=W.Phrases.of(pay),
                   extra_delete=W.Phrases.of(delete), allow_password=allow_password)

    def assess(self, screen: Screen, arrival: Arrival | None = None) -> Risk:
        return assess(screen, arrival, self.extra_pay, self.extra_delete)

    def check(self, w: Widget, screen: Screen, arrival: Arrival | None = None,
              risk: Risk | None = None) -> Stop | None:
        """Why tapping ``w`` on ``screen`` is refused, or None when it is allowed."""
        label = normalize(w.label)
        if w.password:
            return Stop(StopReason.PASSWORD, {"rule": "never types into a password_field",
                                              "label": w.label})
        if code_field(w):
            return Stop(StopReason.VERIFICATION_CODE,
                        {"rule": "never types into a code_field", "label": w.label})
        if label and _has(self.deny, label):
            return Stop(StopReason.FLOW_RULE, {"rule": "flow deny", "label": w.label})
        final = final_wording(w, self.extra_pay, self.extra_delete)
        if final is not None:
            reason, words = final
            return Stop(reason, {"rule": f"final wording ({words})", "label": w.label,
                                 **(risk or self.assess(screen, arrival)).evidence()})
        if risk is None:
            risk = self.assess(screen, arrival)
        if risk.level is Level.NONE:
            return None
        if harmless(w, label, self.allow):
            return None
        if risk.level is Level.ATTENTION and _navigational(w, label, risk):
            return None
        what = "unlabeled control" if not label else "not a known harmless action"
        return Stop(_reason_of(risk),
                    {"rule": f"{risk.level.name.lower()} risk screen: {what}",
                     "label": w.label, **risk.evidence()})

    def arrival(self, w: Widget, risk: Risk = NO_RISK) -> Arrival | None:
        """Does tapping ``w`` start a purchase or a deletion (for the screen it leads to)?"""
        label = normalize(w.label)
        if harmless(w, label, self.allow):
            return None
        if _DELETE.match(w) or W.DELETE_VERBS.find(w.label) or self.extra_delete.find(w.label):
            return Arrival("deletion", w.label, risk.priced)
        if _SUBSCRIBE.match(w) or W.BUY_VERBS.find(w.label) or self.extra_pay.find(w.label) \
                or W.PRICE.search(w.label):
            return Arrival("payment", w.label, risk.priced)
        if risk.level and risk.kind in ("payment", "deletion"):
            return Arrival(risk.kind, w.label, risk.priced)  # going on along a risky path
        return None
