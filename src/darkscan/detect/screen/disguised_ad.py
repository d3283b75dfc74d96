"""Disguised ads: advertising dressed as the app's own content.

Rules (each finding's ``rule``):

``disguised_ad.ad_badge``
    A card marked as an ad only by a small label (广告, 廣告, 赞助, Ad, Sponsored...) that is
    smaller than the body text of its own card or low in contrast - the card itself reads as
    content. (A marker at the card's body size or larger with normal contrast is a clearly
    labelled ad: no finding, however big the page's headline is.)
``disguised_ad.install_card``
    An install / download call-to-action for another app, with app-store furniture (Google
    Play, star ratings, download counts), inside in-app content (a feed, a list, a form) rather
    than on a screen of its own (that is ``nagging.interstitial``). HIGH when nothing on the
    card says it is an ad.

Regulations: MIIT 2025 (no misleading users), EU DSA Art. 25 (no deceptive interface design).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.screen.nagging import STATUS_BAR, Line, is_takeover, lines_of
from darkscan.geometry import Box
from darkscan.lexicon.promo import MAX_CONTROL_CHARS, Cue
from darkscan.vision import measure

if TYPE_CHECKING:
    from darkscan.vision.context import ScreenContext

CATEGORY = Category.DISGUISED_AD
REGULATIONS = ("MIIT-2025-NO-DECEPTION", "EU-DSA-25")
# Texts within this fraction of the screen height of the ad's anchor belong to its card.
CARD_REACH = 0.08
# A marker smaller than this x the body text height, or below this contrast, is inconspicuous.
SMALL_MARKER = 0.9
LOW_CONTRAST = 3.0


@dataclass(frozen=True)
class MarkerLook:
    relative_size: float
    contrast: float | None

    @property
    def inconspicuous(self) -> bool:
        return self.relative_size < SMALL_MARKER or (
            self.contrast is not None and self.contrast < LOW_CONTRAST)


def _body_height(lines: Sequence[Line], size: Callable[[Line], float]) -> float | None:
    """The lower median size over texts of two or more characters: the body text, not the
    headline (with two texts, a headline and a caption, the caption)."""
    hs = sorted(size(ln) for ln in lines if len(ln.text) >= 2)
    return float(hs[(len(hs) - 1) // 2]) if hs else None


def _box_height(ln: Line) -> float:
    return float(ln.box.height)


def pixel_look(image: np.ndarray, lines: Sequence[Line],
               size: Callable[[Line], float] = _box_height,
               ink_of: Callable[[Box], measure.Ink | None] | None = None,
               ) -> Callable[[Line, Sequence[Line]], MarkerLook]:
    """Measure a marker: its size vs the body text of its own card (the page's when the card
    has no other text) - a label is clear when it reads like the card's text, whatever the
    size of the page's headline - and the WCAG contrast of its glyphs against what is behind
    them. ``size`` gives a text's size (default: its box height in pixels)."""
    page = _body_height(lines, size) or 1.0

    def look(ln: Line, card: Sequence[Line]) -> MarkerLook:
        others = [c for c in card if c is not ln and Cue.AD_MARKER not in c.cues]
        body = _body_height(others, size) or page
        b = ln.box
        box = Box(b.x1 - 2, b.y1 - 2, b.x2 + 2, b.y2 + 2)
        ink = ink_of(box) if ink_of is not None else measure.ink(image, box)
        return MarkerLook(size(ln) / body if body else 1.0, ink.contrast if ink else None)

    return look


def _card(anchor: Box, lines: Sequence[Line], height: int) -> tuple[Box, list[Line]]:
    reach = CARD_REACH * height
    near = [ln for ln in lines
            if anchor.y1 - reach <= ln.box.center[1] <= anchor.y2 + reach]
    box = anchor
    for ln in near:
        box = box.union(ln.box)
    return box, near


def find_disguised_ads(image: np.ndarray, texts: Sequence[object],
                       look: Callable[[Line, Sequence[Line]], MarkerLook] | None = None,
                       ) -> list[Finding]:
    """Disguised-ad findings from an RGB screenshot and its visible texts; ``look`` measures
    a marker against its card's texts (default :func:`pixel_look`)."""
    h, w = image.shape[:2]
    lines = [ln for ln in lines_of(texts) if ln.box.center[1] > STATUS_BAR * h]
    if not lines:
        return []
    look = look or pixel_look(image, lines)
    out: list[Finding] = []
    used: list[Box] = []
    markers = [ln for ln in lines if Cue.AD_MARKER in ln.cues]
    installs = [ln for ln in lines if Cue.INSTALL in ln.cues and len(ln.text) <= MAX_CONTROL_CHARS]
    if is_takeover(lines, w, h, image):
        return []  # the whole screen is the promotion: nagging.interstitial reports it
    for m in markers:
        if any(u.contains(*m.box.center) for u in used):
            continue
        box, near = _card(m.box, lines, h)
        ml = look(m, near)
        if not ml.inconspicuous:
            continue
        content = [ln for ln in near if ln is not m and len(ln.text) >= 4
                   and Cue.AD_MARKER not in ln.cues]
        if not content or any(Cue.AD_FREE in ln.cues for ln in near):
            continue  # a bare badge, or an offer to remove ads: not ad content
        used.append(box)
        out.append(Finding(
            category=Category.DISGUISED_AD, rule="disguised_ad.ad_badge", severity=Severity.MEDIUM,
            bbox=box,
            message=f"Content-like card marked as an ad only by a small \"{m.text}\" label",
            evidence={"marker": m.text, "marker_box": m.box.as_list(),
                      "marker_relative_size": round(ml.relative_size, 2),
                      "marker_contrast": None if ml.contrast is None else round(ml.contrast, 2),
                      "texts": [ln.text for ln in near][:8]},
            regulations=REGULATIONS))
    for ins in installs:
        if any(u.contains(*ins.box.center) for u in used):
            continue
        box, near = _card(ins.box, lines, h)
        store = [ln for ln in near if Cue.STORE in ln.cues]
        if not store:
            continue
        labelled = [ln for ln in markers if box.contains(*ln.box.center)]
        used.append(box)
        out.append(Finding(
            category=Category.DISGUISED_AD, rule="disguised_ad.install_card",
            severity=Severity.MEDIUM if labelled else Severity.HIGH, bbox=box,
            message=(f"An app-install ad (\"{ins.text}\") sits among the app's content"
                     + ("" if labelled else " with no ad label")),
            evidence={"install_text": ins.text, "store_texts": [ln.text for ln in store][:4],
                      "ad_label": labelled[0].text if labelled else None,
                      "texts": [ln.text for ln in near][:8]},
            regulations=REGULATIONS))
    return out


def detect(ctx: ScreenContext) -> list[Finding]:
    """Registry entry point: a :class:`darkscan.vision.context.ScreenContext`."""
    if ctx.secure:
        return []
    texts = ctx.visible_texts
    # Script-aware font size (em from glyph ink): "Ad" has no descenders, 广告 fills its em.
    sizes = {(t.text.strip(), t.box): ctx.size_of(t) for t in texts}

    def size(ln: Line) -> float:
        return sizes.get((ln.text, ln.box), float(ln.box.height))

    lines = [ln for ln in lines_of(texts) if ln.box.center[1] > STATUS_BAR * ctx.height]
    found = find_disguised_ads(ctx.image, texts, pixel_look(ctx.image, lines, size, ctx.ink))
    return found + _unlabelled_ad_views(ctx, lines, [f.bbox for f in found])


_NOT_CONTENT = frozenset({Cue.AD_MARKER, Cue.DISMISS, Cue.POSTPONE})


def _unlabelled_ad_views(ctx: ScreenContext, lines: Sequence[Line],
                         taken: Sequence[Box]) -> list[Finding]:
    """An ad SDK's view (hierarchy evidence) holding content, with no ad marker in it or
    within its card's reach: an ad that reads as the app's own content."""
    if not ctx.ad_views or is_takeover(lines, ctx.width, ctx.height, ctx.image):
        return []
    reach = CARD_REACH * ctx.height
    out = []
    for v in ctx.ad_views:
        if v.area >= 0.5 * ctx.width * ctx.height or any(t.overlaps(v) for t in taken):
            continue  # a full-screen ad is ad_close_obstruction's / nagging's concern
        inside = [ln for ln in lines if v.contains(*ln.box.center)]
        # the ad's own marker and its close / skip control are not content that reads as the app's
        content = [ln for ln in inside if len(ln.text) >= 4 and not _NOT_CONTENT & ln.cues]
        card, _near = _card(v, lines, ctx.height)  # the view and the texts that go with it
        marked = [ln for ln in lines if Cue.AD_MARKER in ln.cues
                  and card.y1 - reach <= ln.box.center[1] <= card.y2 + reach]
        if not content or marked:
            continue
        out.append(Finding(
            category=Category.DISGUISED_AD, rule="disguised_ad.unlabelled_ad_view",
            severity=Severity.MEDIUM, bbox=v,
            message="An ad network's view sits among the content with no ad label",
            evidence={"ad_view": v.as_list(), "texts": [ln.text for ln in content][:8]},
            regulations=REGULATIONS))
    return out
