"""False hierarchy: the accept/subscribe option is made far stronger than the way to decline.

Compares the most prominent accepting button with the most prominent declining one on the same
screen. A finding needs either a container gap (accept filled, decline bare text, and the
accept at least 3x the visual area) or a weak decline label (smaller than body text or below
WCAG 4.5:1) while the accept is at least 1.5x larger. Equal primary/secondary buttons (a grey
tonal 不同意 beside a coloured 同意) are ordinary design and not reported.
"""

from __future__ import annotations

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.lexicon import is_accept, is_decline
from darkscan.vision.context import ScreenContext
from darkscan.vision.model import Button

CATEGORY = Category.FALSE_HIERARCHY
REGULATIONS = ("EU-DSA-25", "MIIT-2025-NO-DECEPTION")

CONTAINER_AREA_RATIO = 3.0
WEAK_LABEL_AREA_RATIO = 1.5
MIN_CONTRAST = 4.5
MIN_RELATIVE_SIZE = 0.85


def _label_size(ctx: ScreenContext, b: Button) -> float | None:
    inside = [t for t in ctx.texts if not t.from_desc and b.box.contains(*t.box.center)]
    if not inside:
        return None
    return max(ctx.relative_size(t) for t in inside)


def detect(ctx: ScreenContext) -> list[Finding]:
    accepts = [b for b in ctx.buttons if is_accept(b.text)]
    declines = [b for b in ctx.buttons if is_decline(b.text)]
    if not accepts or not declines:
        return []
    acc = max(accepts, key=lambda b: b.prominence)
    dec = max(declines, key=lambda b: b.prominence)
    area_ratio = acc.area_dp2 / max(dec.area_dp2, 1e-6)
    dec_size = _label_size(ctx, dec)
    acc_size = _label_size(ctx, acc)
    dec_weak = ((dec.label_contrast is not None and dec.label_contrast < MIN_CONTRAST)
                or (dec_size is not None and dec_size < MIN_RELATIVE_SIZE))
    acc_weak = ((acc.label_contrast is not None and acc.label_contrast < MIN_CONTRAST
                 and not acc.filled) or (acc_size is not None and acc_size < MIN_RELATIVE_SIZE))
    container_gap = acc.filled and not dec.filled and area_ratio >= CONTAINER_AREA_RATIO
    label_gap = dec_weak and not acc_weak and area_ratio >= WEAK_LABEL_AREA_RATIO
    if not (container_gap or label_gap):
        return []
    reasons = []
    if container_gap:
        reasons.append(f"「{acc.text}」 is a filled button {area_ratio:.1f}x the area of bare-text "
                       f"「{dec.text}」")
    if label_gap:
        reasons.append(f"「{dec.text}」 is faint or small")
    severity = Severity.HIGH if container_gap and label_gap else Severity.MEDIUM
    ev = {
        "accept": acc.text, "decline": dec.text,
        "area_ratio": round(area_ratio, 2),
        "prominence_ratio": round(acc.prominence / max(dec.prominence, 1e-6), 2),
        "accept_filled": acc.filled, "decline_filled": dec.filled,
        "accept_area_dp2": round(acc.area_dp2, 1), "decline_area_dp2": round(dec.area_dp2, 1),
        "accept_fill_contrast": round(acc.fill_contrast, 2),
        "accept_label_contrast": None if acc.label_contrast is None else round(acc.label_contrast, 2),
        "decline_label_contrast": None if dec.label_contrast is None else round(dec.label_contrast, 2),
        "decline_relative_size": None if dec_size is None else round(dec_size, 2),
    }
    return [Finding(CATEGORY, "accept_far_stronger_than_decline", severity,
                    acc.box.union(dec.box), "; ".join(reasons), ev, REGULATIONS)]
