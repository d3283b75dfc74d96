"""How risky a screen is: signals read from everything on it, and from how it was reached.

A screen's risk has a kind (``payment``, ``deletion``, ``secret``) and a level:

* ``HIGH`` - money or the account is one tap away: a payment method (微信支付, a card ending
  4242, Google Play), password-free payment, cashier / checkout / order wording, "billed today",
  a countdown to a charge, an irreversibility or data-erasure warning, a PIN / biometric prompt,
  a password or verification-code field; or the screen was reached by a purchase action and is a
  sheet / dialog or a second priced step, or reached by a deletion action at all;
* ``ATTENTION`` - prices are shown (a plan page, a top-up page) or a heading names the account
  deletion, without any of the above;
* ``NONE``.

Texts inside a tappable control (a settings row "免密支付", a button "VIP · ¥15") describe where
the control leads, not what this screen does, so most signals read only the screen's own texts
(titles, paragraphs, option labels, field hints).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import darkscan.lexicon.safety as W
from darkscan.crawl.state import Screen, Widget

MAX_EVIDENCE_TEXT = 60


class Level(IntEnum):
    NONE = 0
    ATTENTION = 1
    HIGH = 2


@dataclass(frozen=True)
class Signal:
    kind: str      # payment | deletion | secret
    name: str      # price, payment_method, checkout, arrival, irreversible, password_field...
    text: str      # the text that shows it (shortened)
    level: Level = Level.HIGH

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "signal": self.name, "text": self.text}


@dataclass(frozen=True)
class Arrival:
    """The tap that first led to a screen, when it was a purchase or a deletion action."""

    kind: str          # payment | deletion
    label: str
    from_priced: bool  # the tap was on a screen that already showed prices


@dataclass(frozen=True)
class Risk:
    level: Level
    kind: str | None
    signals: tuple[Signal, ...]
    priced: bool = False

    def evidence(self) -> dict[str, Any]:
        return {"risk": self.kind, "level": self.level.name.lower(),
                "signals": [s.to_json() for s in self.signals[:8]]}


NO_RISK = Risk(Level.NONE, None, ())
_KIND_ORDER = ("payment", "deletion", "secret")


def _short(t: str) -> str:
    t = " ".join(t.split())
    return t if len(t) <= MAX_EVIDENCE_TEXT else t[:MAX_EVIDENCE_TEXT - 1] + "…"


def _found(phrases: W.Phrases, text: str) -> str | None:
    return phrases.find(text)


def is_control(w: Widget) -> bool:
    """Something that acts when tapped (not an option to choose)."""
    return w.clickable and not w.checkable and not w.editable


def code_field(w: Widget) -> bool:
    """An editable field for a verification / SMS / card security code."""
    if not w.editable:
        return False
    rid = w.resource_id.rsplit("/", 1)[-1].lower().replace("-", "_")
    tokens = set(rid.split("_"))
    return bool(_found(W.CODE_FIELD, " ".join((w.label, w.text, w.desc)))
                or tokens & _CODE_IDS or ("code" in tokens and tokens & _CODE_QUALIFIERS))


# resource-id words of secret-code fields ("sms_code", "et_otp", "cvv"); a bare "code" needs a
# qualifier so that zip_code / qr_code stay ordinary fields
_CODE_IDS = {"otp", "captcha", "cvv", "cvc", "pin", "vcode", "smscode", "authcode", "verifycode"}
_CODE_QUALIFIERS = {"sms", "verify", "verification", "auth", "security", "valid", "check"}


def _split(screen: Screen) -> tuple[list[str], list[str]]:
    """(the screen's own texts, labels of tappable controls)."""
    controls = [w for w in screen.widgets if is_control(w)]
    own: list[str] = []
    labels: list[str] = []
    for w in screen.widgets:
        texts = [t for t in (w.text, w.desc) if t.strip()]
        if w.editable:
            own.extend(texts or [w.label])
        elif is_control(w):
            labels.append(w.label or w.text or w.desc)
        elif any(c is not w and c.bounds.contains(*w.bounds.center)
                 and c.bounds.height <= 6 * max(w.bounds.height, 1) for c in controls):
            continue  # the title inside a row or button: part of the control's label
        else:
            own.extend(texts)
    return own, labels


def assess(screen: Screen, arrival: Arrival | None = None, extra_pay: W.Phrases = W.Phrases(),
           extra_delete: W.Phrases = W.Phrases()) -> Risk:
    """The risk of ``screen`` (see module docstring)."""
    own, labels = _split(screen)
    sig: list[Signal] = []
    priced_own = [t for t in own if W.PRICE.search(t)]
    priced_controls = [t for t in labels if W.PRICE.search(t)]
    priced = bool(priced_own) or len(priced_controls) >= 2
    for t in priced_own[:2] + (priced_controls[:2] if len(priced_controls) >= 2 else []):
        sig.append(Signal("payment", "price", _short(t), Level.ATTENTION))
    methods = W.PAY_METHOD + W.ONE_TAP
    method_controls = [t for t in labels if _found(methods, t)]
    for t in own:
        for name, phrases in (("payment_method", W.PAY_METHOD), ("one_tap_payment", W.ONE_TAP),
                              ("checkout", W.CHECKOUT), ("charge_now", W.CHARGE_NOW),
                              ("flow_payment_word", extra_pay)):
            if _found(phrases, t):
                sig.append(Signal("payment", name, _short(t)))
        if W.CARD_NUMBER.search(t):
            sig.append(Signal("payment", "card_number", _short(t)))
        if W.CLOCK.search(t) and _found(W.CHARGE_WORDS, t):
            sig.append(Signal("payment", "charge_countdown", _short(t)))
        if _found(W.PIN_OR_BIOMETRIC, t):
            sig.append(Signal("secret", "pin_or_biometric", _short(t)))
        for name, phrases in (("irreversible", W.IRREVERSIBLE),
                              ("flow_deletion_word", extra_delete)):
            if _found(phrases, t):
                sig.append(Signal("deletion", name, _short(t)))
        if _found(W.DELETION_NAMED, t):
            sig.append(Signal("deletion", "deletion_named", _short(t),
                              Level.HIGH if screen.dialog else Level.ATTENTION))
    if method_controls and (priced or screen.dialog or len(method_controls) >= 2):
        sig.extend(Signal("payment", "payment_method", _short(t)) for t in method_controls[:3])
    for w in screen.widgets:
        if w.password:
            sig.append(Signal("secret", "password_field", _short(w.label or w.resource_id)))
        elif code_field(w):
            sig.append(Signal("secret", "code_field", _short(w.label or w.resource_id)))
    if arrival is not None:
        if arrival.kind == "deletion":
            sig.append(Signal("deletion", "arrival", _short(arrival.label)))
        elif screen.dialog or (priced and arrival.from_priced):
            sig.append(Signal("payment", "arrival", _short(arrival.label)))
        elif priced:
            sig.append(Signal("payment", "arrival", _short(arrival.label), Level.ATTENTION))
    if not sig:
        return NO_RISK
    level = max(s.level for s in sig)
    # what the tap that led here started decides first; then payment, deletion, secret
    order = ((arrival.kind,) if arrival is not None else ()) + _KIND_ORDER
    kind = next(k for k in order if any(s.kind == k and s.level == level for s in sig))
    # the deciding kind's signals first
    ordered = tuple(sorted(sig, key=lambda s: (s.kind != kind, -s.level)))
    return Risk(level, kind, ordered, priced)
