"""Hidden auto-renewal: renewal terms that are not clear and conspicuous, or not there at all.

California's ARL wants the terms in larger type than the surrounding text or in contrasting
type/colour, near the request for consent; MIIT 2025 wants a prominent reminder. Measured:

- ``renewal_terms_not_conspicuous`` - a text stating automatic renewal is smaller than the
  screen's body text (< 0.85 x median size, or x the button label when that is smaller), below WCAG contrast (4.5:1; 3:1 from 24 dp), or
  placed after the call-to-action / below the fold;
- ``renewal_terms_missing`` - a subscribe screen (subscribe button + a price per period) where
  no text states that it renews;
- ``intro_price_without_renewal_price`` - an introductory price or free trial whose later
  price is not legible (body size, 4.5:1) next to the button (within 120 dp) or between the
  offer and the button.
"""

from __future__ import annotations

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.geometry import Box
from darkscan.lexicon.detectors import Lex, action_sized, has, without_titles
from darkscan.vision.context import ScreenContext
from darkscan.vision.model import ScreenText, ToggleKind

CATEGORY = Category.HIDDEN_AUTO_RENEWAL
REGULATIONS = ("CA-ARL-CLEAR-CONSPICUOUS", "MIIT-2025-AUTO-RENEWAL")
# Absences are judged on a screen as a whole, not on one viewport of a long screen.
WHOLE_SCREEN_RULES = frozenset({"renewal_terms_missing", "intro_price_without_renewal_price"})

MIN_RELATIVE_SIZE = 0.85      # "larger type than the surrounding text": at least not smaller
MIN_CONTRAST = 4.5            # WCAG 1.4.3 normal text
MIN_CONTRAST_LARGE = 3.0      # WCAG 1.4.3 large text
LARGE_TEXT_DP = 24.0          # 18 pt ~ 24 CSS px ~ 24 dp
NEAR_CTA_DP = 120.0           # "in visual proximity": within about two rows of the button


def _purchase_button(ctx: ScreenContext):
    """A one-off purchase call to action (Place order, Buy now, 提交订单, 去支付, 加入会员) that
    does not say it subscribes: the most prominent one."""
    cands = [b for b in ctx.buttons if has(Lex.PURCHASE_ACTION, b.text)
             and not ctx.is_decline(b.text) and action_sized(b.text)]
    return max(cands, key=lambda b: b.prominence) if cands else None


def _subscribe_button(ctx: ScreenContext, plans_shown: bool):
    """The subscribe call-to-action; on a page listing plan prices, a plain 「Continue」 too."""
    cands = [b for b in ctx.buttons if ctx.is_accept(b.text) and has(Lex.SUBSCRIBE_ACTION, b.text)
             and not _purchase_only(b.text)]
    if ctx.primary_cta is not None and ctx.primary_cta in cands:
        return ctx.primary_cta
    if cands:
        return max(cands, key=lambda b: b.prominence)
    cta = ctx.primary_cta
    if plans_shown and cta is not None and ctx.is_accept(cta.text):
        return cta
    return None


def _purchase_only(text: str) -> bool:
    """A purchase label with no subscription word in it ("Buy now", 立即购买, "Pay $9.99")."""
    return has(Lex.PURCHASE_ACTION, text) and not has(Lex.SUBSCRIPTION_WORD, text)


def _texts(ctx: ScreenContext, kind: Lex) -> list[ScreenText]:
    """Drawn texts matching ``kind``. Checkbox / switch labels (consent statements) are not
    terms; radio labels are plan options (「连续包月 ¥15/月」) and count."""
    labels = {tg.label_box for tg in ctx.toggles
              if tg.label_box is not None and tg.kind is not ToggleKind.RADIO}
    return [t for t in ctx.texts if not t.from_desc and t.box not in labels
            and not any(lb.contains(*t.box.center) for lb in labels)
            and has(kind, without_titles(t.text))]


def detect(ctx: ScreenContext) -> list[Finding]:
    terms = _texts(ctx, Lex.RENEWAL_TERMS)
    prices = _texts(ctx, Lex.RECURRING_PRICE)
    plans = _texts(ctx, Lex.RENEWING_PLAN)
    # a trial or a first-period price ("首月 6 元", "free for 14 days") is a subscription offer
    intro = [t for t in _texts(ctx, Lex.INTRO_OFFER) if has(Lex.PRICE, t.text)]
    cta = _subscribe_button(ctx, bool(prices or plans))
    # A purchase call to action with renewal terms on its screen: the purchase adds a
    # subscription; judged like a subscribe button, reported under its own rule.
    purchase = None
    if cta is not None and _purchase_only(cta.text):
        purchase = cta  # a plain "立即結帳" picked as the page's call to action
    elif cta is None and terms:
        purchase = _purchase_button(ctx)
        cta = purchase
    trial = [t for t in intro if has(Lex.TRIAL_OFFER, t.text)]
    subscribe_screen = cta is not None and bool(prices or plans or terms or trial)
    if not subscribe_screen:
        return []
    findings: list[Finding] = []
    ref = _reference_size(ctx, cta)
    for t in terms:
        if cta is not None and cta.box.contains(*t.box.center):
            continue  # the button itself says it renews: conspicuous by definition
        m = ctx.metrics(t)
        rel = ctx.size_of(t) / ref if ref else m.relative_size
        problems = []
        if rel < MIN_RELATIVE_SIZE:
            problems.append("smaller than the surrounding text")
        need = MIN_CONTRAST_LARGE if m.size_dp >= LARGE_TEXT_DP else MIN_CONTRAST
        low_contrast = m.contrast is not None and m.contrast < need
        if low_contrast:
            problems.append(f"low contrast {m.contrast:.1f}:1 (< {need}:1)")
        if m.after_cta:
            problems.append("placed after the call-to-action")
        if m.below_fold:
            problems.append("below the fold")
        if not problems:
            continue
        weak_type = rel < MIN_RELATIVE_SIZE or low_contrast
        severity = (Severity.HIGH if weak_type and (len(problems) >= 2) else
                    Severity.MEDIUM if weak_type else Severity.LOW)
        if purchase is not None:
            # the button says "buy", the fine print says "subscribe": a silent subscription
            severity = Severity.HIGH if weak_type else Severity.MEDIUM
        regs = REGULATIONS + (("WCAG-1.4.3",) if low_contrast else ())
        ev = {"text": t.text, **m.to_evidence(), "relative_size": round(rel, 2),
              "body_size_dp": round(ctx.dp(ctx.body_size), 1),
              "reference_size_dp": round(ctx.dp(ref), 1),
              "min_relative_size": MIN_RELATIVE_SIZE, "min_contrast": need,
              "cta": cta.text if cta else None,
              "distance_to_cta_dp": None if m.distance_to_cta_dp is None
              else round(m.distance_to_cta_dp, 1)}
        if purchase is not None:
            ev["purchase_cta"] = purchase.text
            findings.append(Finding(
                CATEGORY, "subscription_added_to_purchase", severity, t.box,
                f"「{purchase.text}」 reads as a one-off purchase, but fine print adds a "
                "renewing subscription: " + "; ".join(problems), ev, regs))
            continue
        findings.append(Finding(CATEGORY, "renewal_terms_not_conspicuous", severity, t.box,
                                "Auto-renewal terms are not clear and conspicuous: "
                                + "; ".join(problems), ev, regs))
    if not terms and prices:
        box = cta.box if cta else prices[0].box
        findings.append(Finding(
            CATEGORY, "renewal_terms_missing", Severity.HIGH, box,
            "Subscribe screen with a recurring price but no visible statement that it renews "
            "automatically", {"cta": cta.text if cta else None,
                              "prices": [p.text for p in prices][:5],
                              "plans": [p.text for p in plans][:5]}, REGULATIONS))
    if intro and cta is not None:
        renewal_prices = _texts(ctx, Lex.RENEWAL_PRICE) + [
            p for p in prices if not has(Lex.INTRO_OFFER, p.text)] + [
            t for t in terms if has(Lex.PRICE, t.text)]  # "自动续订，每月 NT$120"
        offer_top = min(t.box.y1 for t in intro)
        shown = [p for p in renewal_prices if _legible(ctx, p, ref) and (
            _gap_dp(ctx, p.box, cta.box) <= NEAR_CTA_DP          # next to the button
            or offer_top <= p.box.y1 and p.box.y2 <= cta.box.y1)]  # read before reaching it
        if not shown:
            findings.append(Finding(
                CATEGORY, "intro_price_without_renewal_price", Severity.MEDIUM, cta.box,
                "Introductory price or trial without a legible renewal price next to the button",
                {"offer": intro[0].text, "cta": cta.text, "near_cta_dp": NEAR_CTA_DP,
                 "renewal_prices_elsewhere": [p.text for p in renewal_prices][:5]},
                REGULATIONS))
    return findings


def _reference_size(ctx: ScreenContext, cta) -> float:
    """The type the terms must not be smaller than: the screen's body text, or the button's
    label when that is smaller (a sparse paywall's median is pulled up by its headlines)."""
    ref = ctx.body_size
    if cta is not None:
        inside = [ctx.size_of(t) for t in ctx.texts
                  if not t.from_desc and cta.box.contains(*t.box.center)]
        if inside:
            ref = min(ref, max(inside))
    return ref


def _legible(ctx: ScreenContext, t: ScreenText, ref: float | None = None) -> bool:
    m = ctx.metrics(t)
    need = MIN_CONTRAST_LARGE if m.size_dp >= LARGE_TEXT_DP else MIN_CONTRAST
    rel = ctx.size_of(t) / ref if ref else m.relative_size
    return rel >= MIN_RELATIVE_SIZE and (m.contrast is None or m.contrast >= need)


def _gap_dp(ctx: ScreenContext, a: Box, b: Box) -> float:
    return ctx.dp(max(a.y1 - b.y2, b.y1 - a.y2, 0))
