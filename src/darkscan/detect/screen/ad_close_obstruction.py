"""Ad close obstruction: a splash/interstitial ad whose way out is hard to see or hit.

MIIT 2023 requires a clearly visible one-tap close on splash ads; Android's touch-target
guidance is 48 x 48 dp (WCAG 2.5.8 asks 24 CSS px at the very least). Reported per close/skip
target: smaller than 48 dp, label below contrast (4.5:1 text, 3:1 icon glyph), or showing a
running countdown (the common 「跳过 5」 pattern that ignores taps until it ends); and an ad
screen with no close or skip control at all.

A screen is an ad screen when it has a skip control (skipping only exists on splash and video
ads), when an ad SDK's view (hierarchy: ad_ / gdt_ / csj_ / tt_ / ksad ids, AdMob / Pangle /
GDT classes) covers half of it, or carries an ad label (广告 / AD / Sponsored ...) as its own short text AND is laid out
like an ad rather than app content: few text lines, no tab bar, no list of rows, no switches
or checkboxes. A word in a settings screen (a "广告" page title, an "Ad preferences" row) is
no ad: those screens are lists of rows and switches.
"""

from __future__ import annotations

import re

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.screen.nagging import (
    SPARSE_LINES,
    STATUS_BAR,
    has_tab_bar,
    is_list_like,
    lines_of,
)
from darkscan.lexicon.detectors import Lex, has
from darkscan.lexicon.normalize import fold
from darkscan.vision.context import ScreenContext

CATEGORY = Category.AD_CLOSE_OBSTRUCTION
REGULATIONS = ("MIIT-2023-SPLASH-AD", "WCAG-2.5.8")
# Judge a screen as a whole (an ad screen or popup): never run on a long screen's viewports
# below the top (analysis.analyze_screen), which are no screens of their own.
WHOLE_SCREEN_RULES = frozenset({"close_missing", "countdown_skip", "small_close_target"})

MIN_TARGET_DP = 48.0
MIN_TEXT_CONTRAST = 4.5
MIN_ICON_CONTRAST = 3.0
_SKIP_WORDS = ("跳过", "跳過", "skip")
# The label leads its text ("广告", "广告 · 3s", "Sponsored"); "免广告" (ad-free) is no label,
# nor is a hyphenated word that starts with "Ad" (an app or feature name: "Ad-free", "Ad-block").
_AD_LABEL = re.compile(r"^(?:广告|廣告|推广|推廣|赞助|贊助|ad|ads|sponsored|advertisement|promoted)"
                       r"(?:$|[^\w-]|-(?![^\W\d_]))", re.IGNORECASE)


def _ad_label(text: str) -> bool:
    """A short label that marks content as an ad (广告, AD, Sponsored), not a sentence."""
    t = fold(text)
    return len(t) <= 16 and _AD_LABEL.match(t) is not None and not has(Lex.CLOSE_SKIP, t)


def _laid_out_like_an_ad(ctx: ScreenContext) -> bool:
    """A splash / interstitial: sparse text, no app navigation, no list, no settings."""
    lines = lines_of(ctx.visible_texts)
    content = [ln for ln in lines if ln.box.center[1] > STATUS_BAR * ctx.height]
    if len(content) > SPARSE_LINES or has_tab_bar(content, ctx.width, ctx.height):
        return False
    return not is_list_like(content, ctx.width) and not ctx.toggles


def is_ad_screen(ctx: ScreenContext) -> bool:
    if any(any(w in fold(c.text) for w in _SKIP_WORDS) for c in ctx.close_targets):
        return True
    return any(_ad_label(t.text) for t in ctx.visible_texts) and _laid_out_like_an_ad(ctx)


def detect(ctx: ScreenContext) -> list[Finding]:
    if not is_ad_screen(ctx):
        return []
    targets = ctx.close_targets
    if not targets:
        return [Finding(CATEGORY, "close_missing", Severity.HIGH,
                        ctx_frame(ctx), "Ad screen without any close or skip control",
                        {"ad_labels": [t.text for t in ctx.visible_texts
                                       if _ad_label(t.text)][:3]},
                        REGULATIONS)]
    findings = []
    for c in targets:
        problems = []
        glyph_only = len(fold(c.text).replace(" ", "")) <= 1
        need = MIN_ICON_CONTRAST if glyph_only else MIN_TEXT_CONTRAST
        if c.min_side_dp < MIN_TARGET_DP:
            problems.append(f"target {c.width_dp:.0f}x{c.height_dp:.0f} dp (< {MIN_TARGET_DP:.0f} dp)")
        if c.contrast is not None and c.contrast < need:
            problems.append(f"contrast {c.contrast:.1f}:1 (< {need}:1)")
        if c.countdown:
            problems.append("shows a countdown")
        if not problems:
            continue
        severity = Severity.HIGH if len(problems) >= 2 else Severity.MEDIUM
        rule = ("countdown_skip" if c.countdown else "small_close_target"
                if c.min_side_dp < MIN_TARGET_DP else "low_contrast_close")
        findings.append(Finding(
            CATEGORY, rule, severity, c.box,
            f"Ad close/skip 「{c.text or '✕'}」 is hard to use: " + "; ".join(problems),
            {"text": c.text, "width_dp": round(c.width_dp, 1), "height_dp": round(c.height_dp, 1),
             "min_target_dp": MIN_TARGET_DP,
             "contrast": None if c.contrast is None else round(c.contrast, 2),
             "min_contrast": need, "countdown": c.countdown, "source": c.source.value},
            REGULATIONS))
    return findings


def ctx_frame(ctx: ScreenContext):
    from darkscan.geometry import Box

    return Box(0, 0, ctx.width, ctx.height)
