"""False hierarchy: the accept/subscribe option is made far stronger than the way to decline.

Pairs a way to decline with the option it stands against: the most prominent accepting button
(by wording), and for every plain-text decline the most prominent filled button right beside
or above/below it, whatever its label says ("Rate it / Not now", "Install now / Skip",
"Yes / No"). A pair is a finding with either a container gap (the option filled, the decline
bare text - no fill, no outline - and the option at least 3x the visual area) or a weak decline
label (smaller than body text or below WCAG 4.5:1) while the option is at least 1.5x larger.
Without such a gap, two bare-text answers still push one when the accept is in the accent
colour and a soft decline ("Not now") in grey (``accept_in_accent_colour``, low).
Equal primary/secondary buttons (a grey tonal 不同意 beside a coloured 同意, an outlined
"Cancel" beside a filled "Delete") are ordinary design and not reported. One finding per
screen: the strongest pair.
"""

from __future__ import annotations

import numpy as np

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.lexicon.detectors import Lex, action_sized, has
from darkscan.vision import measure
from darkscan.vision.context import ScreenContext
from darkscan.vision.model import RGB, Button

CATEGORY = Category.FALSE_HIERARCHY
REGULATIONS = ("EU-DSA-25", "MIIT-2025-NO-DECEPTION")

CONTAINER_AREA_RATIO = 3.0
WEAK_LABEL_AREA_RATIO = 1.5
MIN_CONTRAST = 4.5
MIN_RELATIVE_SIZE = 0.85
# A decline belongs to an option when it sits within this many dp of it (a dialog's stacked
# buttons, a banner's button row), overlapping it horizontally or on the same row.
PAIR_GAP_DP = 96.0
SAME_ROW_GAP_DP = 160.0
# A label colour is an accent from this chroma (max - min channel, 0..255) and HSV saturation;
# neutral (grey, near-black) up to NEUTRAL_CHROMA (dark greys have a high HSV saturation).
ACCENT_CHROMA = 90
ACCENT_SATURATION = 0.4
NEUTRAL_CHROMA = 40
# RGB distance under which two fills are one colour (the context's button-fill threshold).
FILL_DISTANCE = 12.0


def _label_size(ctx: ScreenContext, b: Button) -> float | None:
    inside = [t for t in ctx.texts if not t.from_desc and b.box.contains(*t.box.center)]
    if not inside:
        return None
    return max(ctx.relative_size(t) for t in inside)


def _outlined(ctx: ScreenContext, b: Button) -> bool:
    """An outlined container around the label: the button's own box, or (pixels only) a
    control-sized shape drawn around the OCR'd text."""
    if ctx.secure:
        return False
    if measure.has_outline(ctx.image, b.box):
        return True
    cx, cy = b.box.center
    return any(s.kind == "rect" and s.box.contains(cx, cy) and s.box.area >= b.box.area
               and measure.has_outline(ctx.image, s.box) for s in ctx.shapes)


def _plain(ctx: ScreenContext, acc: Button, dec: Button) -> bool:
    """The decline is bare text: no outline, and no fill of its own - a "fill" equal to what
    the option sits on is the banner / card behind both, not a button."""
    if _outlined(ctx, dec):
        return False
    if not dec.filled or dec.fill is None or ctx.secure:
        return True
    behinds = [measure.surround_colour(ctx.image, acc.box), _corner_colour(ctx, acc)]
    return any(measure.colour_distance(dec.fill, c) <= FILL_DISTANCE for c in behinds)


def _corner_colour(ctx: ScreenContext, b: Button) -> tuple[int, int, int]:
    """What a rounded button is drawn on: the median of its box's corner pixels."""
    box = b.box.clip(ctx.width, ctx.height)
    xs, ys = (box.x1 + 1, max(box.x1 + 1, box.x2 - 2)), (box.y1 + 1, max(box.y1 + 1, box.y2 - 2))
    px = np.array([ctx.image[y, x] for x in xs for y in ys], dtype=np.int32)
    med = np.median(px, axis=0)
    return (int(med[0]), int(med[1]), int(med[2]))


def _near(ctx: ScreenContext, a: Button, d: Button) -> bool:
    ab, db = a.box, d.box
    x_overlap = min(ab.x2, db.x2) - max(ab.x1, db.x1) > 0
    y_overlap = min(ab.y2, db.y2) - max(ab.y1, db.y1) > 0
    if x_overlap:
        return ctx.dp(max(db.y1 - ab.y2, ab.y1 - db.y2, 0)) <= PAIR_GAP_DP
    if y_overlap:
        return ctx.dp(max(db.x1 - ab.x2, ab.x1 - db.x2, 0)) <= SAME_ROW_GAP_DP
    return False


def _pairs(ctx: ScreenContext) -> list[tuple[Button, Button]]:
    pairs: list[tuple[Button, Button]] = []
    accepts = [b for b in ctx.buttons if ctx.is_accept(b.text)]
    declines = [b for b in ctx.buttons if ctx.is_decline(b.text)]
    if accepts and declines:
        pairs.append((max(accepts, key=lambda b: b.prominence),
                      max(declines, key=lambda b: b.prominence)))
    options = [b for b in ctx.buttons if b.filled and not ctx.is_decline(b.text)
               and sum(c.isalnum() for c in b.text) >= 1]
    for d in declines:
        near = [a for a in options if a is not d and _near(ctx, a, d)]
        if near:
            pairs.append((max(near, key=lambda b: b.prominence), d))
    return pairs


def _decline_area(ctx: ScreenContext, dec: Button, plain: bool) -> float:
    """Visual area of the decline, dp². A bare label the context took for a tonal button (it
    sits on a tinted banner) counts by its glyphs, like any bare-text label."""
    if not (plain and dec.filled) or ctx.secure:
        return dec.area_dp2
    ink = ctx.ink(dec.box)
    if ink is None:
        return dec.area_dp2
    return ctx.dp(ink.box.width) * ctx.dp(ink.box.height)


def _judge(ctx: ScreenContext, acc: Button, dec: Button) -> Finding | None:
    dec_plain = _plain(ctx, acc, dec)
    dec_area = _decline_area(ctx, dec, dec_plain)
    area_ratio = acc.area_dp2 / max(dec_area, 1e-6)
    dec_size = _label_size(ctx, dec)
    acc_size = _label_size(ctx, acc)
    dec_weak = ((dec.label_contrast is not None and dec.label_contrast < MIN_CONTRAST)
                or (dec_size is not None and dec_size < MIN_RELATIVE_SIZE))
    acc_weak = ((acc.label_contrast is not None and acc.label_contrast < MIN_CONTRAST
                 and not acc.filled) or (acc_size is not None and acc_size < MIN_RELATIVE_SIZE))
    container_gap = acc.filled and dec_plain and area_ratio >= CONTAINER_AREA_RATIO
    label_gap = dec_weak and not acc_weak and area_ratio >= WEAK_LABEL_AREA_RATIO
    if not (container_gap or label_gap):
        return None
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
        "accept_area_dp2": round(acc.area_dp2, 1), "decline_area_dp2": round(dec_area, 1),
        "accept_fill_contrast": round(acc.fill_contrast, 2),
        "accept_label_contrast": None if acc.label_contrast is None else round(acc.label_contrast, 2),
        "decline_label_contrast": None if dec.label_contrast is None else round(dec.label_contrast, 2),
        "decline_relative_size": None if dec_size is None else round(dec_size, 2),
    }
    return Finding(CATEGORY, "accept_far_stronger_than_decline", severity,
                   acc.box.union(dec.box), "; ".join(reasons), ev, REGULATIONS)


def _is_accent(c: RGB) -> bool:
    """Saturated and chromatic enough to read as the app's accent colour, not a neutral."""
    return _chroma(c) >= ACCENT_CHROMA and measure.saturation(c) >= ACCENT_SATURATION


def _hex(c: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*c)


def _chroma(c: RGB) -> int:
    return max(c) - min(c)


def _label_fg(ctx: ScreenContext, b: Button) -> RGB | None:
    found = ctx.ink(b.box)
    return None if found is None else found.fg


def _accent_vs_grey(ctx: ScreenContext) -> list[Finding]:
    """Two bare-text answers to a request, the accept in the accent colour and the soft
    decline ("Not now", 以后再说, "Continue without") in neutral grey/black: the colour picks
    the answer. A hard answer (Cancel, 取消, Deny, 不同意) in grey beside a coloured OK is the
    ordinary dialog convention and is left alone."""
    if ctx.secure:
        return []
    out = []
    bare = [b for b in ctx.buttons if not b.filled and not _outlined(ctx, b)]
    for d in bare:
        if not (ctx.is_decline(d.text) and has(Lex.SOFT_DECLINE, d.text)):
            continue
        d_fg = _label_fg(ctx, d)
        if d_fg is None or _chroma(d_fg) > NEUTRAL_CHROMA:
            continue
        for a in bare:
            if a is d or ctx.is_decline(a.text) or not action_sized(a.text) or not _near(ctx, a, d):
                continue
            if sum(c.isalnum() for c in a.text) < 2:
                continue
            a_fg = _label_fg(ctx, a)
            if a_fg is None or not _is_accent(a_fg):
                continue
            out.append(Finding(
                CATEGORY, "accept_in_accent_colour", Severity.LOW, a.box.union(d.box),
                f"「{a.text}」 is drawn in the accent colour, 「{d.text}」 in neutral grey: the "
                f"colour picks the answer",
                {"accept": a.text, "decline": d.text, "accept_colour": _hex(a_fg),
                 "decline_colour": _hex(d_fg),
                 "accept_chroma": _chroma(a_fg), "decline_chroma": _chroma(d_fg)},
                REGULATIONS))
    return out


# Two filled buttons are the same size when neither is this much larger (visual area).
SAME_SIZE_RATIO = 1.5


def _accent_fill_vs_grey_fill(ctx: ScreenContext) -> list[Finding]:
    """Two filled buttons of the same size side by side, the accept filled in the accent
    colour and the soft decline ("Not now", 以后再说, "Maybe later") in a neutral grey with a
    faint label (below 4.5:1): size and shape are equal, colour alone picks the answer. A
    grey secondary button with a legible label, and a hard answer (Cancel, 取消, Deny, 不同意)
    in grey beside a coloured OK, are the ordinary primary / secondary pair."""
    if ctx.secure:
        return []
    out = []
    filled = [b for b in ctx.buttons if b.filled and b.fill is not None]
    for d in filled:
        if not (ctx.is_decline(d.text) and has(Lex.SOFT_DECLINE, d.text)):
            continue
        if _chroma(d.fill) > NEUTRAL_CHROMA or d.label_contrast is None or (
                d.label_contrast >= MIN_CONTRAST):
            continue  # a grey button with a legible label is the ordinary secondary button
        for a in filled:
            if a is d or ctx.is_decline(a.text) or not action_sized(a.text) or not _near(ctx, a, d):
                continue
            ratio = a.area_dp2 / max(d.area_dp2, 1e-6)
            if not 1 / SAME_SIZE_RATIO <= ratio <= SAME_SIZE_RATIO:
                continue
            if not _is_accent(a.fill):
                continue
            out.append(Finding(
                CATEGORY, "accept_in_accent_fill", Severity.LOW, a.box.union(d.box),
                f"「{a.text}」 and 「{d.text}」 are buttons of the same size; only the accent fill "
                f"of 「{a.text}」 against the grey of 「{d.text}」 picks the answer",
                {"accept": a.text, "decline": d.text, "accept_fill": _hex(a.fill),
                 "decline_fill": _hex(d.fill), "area_ratio": round(ratio, 2),
                 "decline_label_contrast": round(d.label_contrast, 2),
                 "accept_chroma": _chroma(a.fill), "decline_chroma": _chroma(d.fill)},
                REGULATIONS))
    return out


def detect(ctx: ScreenContext) -> list[Finding]:
    found = [f for f in (_judge(ctx, a, d) for a, d in _pairs(ctx)) if f is not None]
    if not found:
        accent = _accent_vs_grey(ctx) or _accent_fill_vs_grey_fill(ctx)
        return accent[:1]
    if not found:
        return []
    rank = {Severity.HIGH: 2, Severity.MEDIUM: 1}
    return [max(found, key=lambda f: (rank.get(f.severity, 0), f.evidence["area_ratio"]))]
