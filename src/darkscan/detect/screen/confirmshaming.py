"""Confirmshaming: the way to decline is worded to make the user feel guilty or foolish.

「残忍离开」, 「狠心拒绝」, "No thanks, I don't like saving money", "I'd rather pay full price".
The wording is judged by what it makes the user say about themselves (self-deprecation, loss
framing, guilt: ``Lex.CONFIRMSHAMING``), at any length. Only texts in the *decline position*
count, so an article that mentions 残忍 is not a finding:

* the text is tappable (its node or a clickable node around it) or inside a button; or
* it answers an accept button: below it within ``DECLINE_GAP_DP`` and overlapping it
  horizontally, or beside it on the same row (the usual place of "No thanks, ..." under an
  offer's button), at most ``MAX_DECLINE_WORDS`` words (a sentence, not a paragraph) - a
  title or pitch above the button ("Never lose your streak") is not; or
* it is button-sized, worded as a decline, and an accept button is on the screen.
"""

from __future__ import annotations

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.lexicon.detectors import Lex, action_sized, find
from darkscan.lexicon.normalize import fold
from darkscan.vision.context import ScreenContext
from darkscan.vision.model import Button, ScreenText

CATEGORY = Category.CONFIRMSHAMING
REGULATIONS = ("EU-DSA-25", "MIIT-2025-NO-DECEPTION")

# A decline answering a button sits within this many dp below it (or beside it on its row).
DECLINE_GAP_DP = 96.0
# Longer than this, the text is a paragraph, not a way out.
MAX_DECLINE_WORDS = 30
MAX_DECLINE_CJK = 40


def _sentence_sized(text: str) -> bool:
    t = fold(text)
    cjk = sum(1 for c in t if "\u3400" <= c <= "\u9fff")
    return cjk <= MAX_DECLINE_CJK if cjk else len(t.split()) <= MAX_DECLINE_WORDS


def answers(ctx: ScreenContext, t: ScreenText, accept: Button) -> bool:
    """``t`` sits where a decline of ``accept`` goes: just below it, or beside it."""
    a, b = accept.box, t.box
    if a.contains(*b.center):
        return False
    x_overlap = min(a.x2, b.x2) - max(a.x1, b.x1) > 0
    y_overlap = min(a.y2, b.y2) - max(a.y1, b.y1) > 0
    if x_overlap:
        # below the button: a title or pitch above it ("Never lose your streak") is no answer
        return b.y1 >= a.y1 and ctx.dp(max(b.y1 - a.y2, 0)) <= DECLINE_GAP_DP
    if y_overlap:
        return ctx.dp(max(b.x1 - a.x2, a.x1 - b.x2, 0)) <= DECLINE_GAP_DP * 2
    return False


def detect(ctx: ScreenContext) -> list[Finding]:
    findings = []
    accepts = [b for b in ctx.buttons
               if ctx.is_accept(b.text) and not find(Lex.CONFIRMSHAMING, b.text)]
    seen: set[str] = set()
    for t in ctx.texts:
        if t.from_desc:
            continue
        hit = find(Lex.CONFIRMSHAMING, t.text)
        if hit is None:
            continue
        n = fold(t.text)
        if n in seen:
            continue
        in_button = any(b.box.contains(*t.box.center) for b in ctx.buttons)
        near = [a for a in accepts if answers(ctx, t, a)] if _sentence_sized(t.text) else []
        if not (t.clickable or in_button or near
                or (action_sized(t.text) and ctx.is_decline(t.text) and accepts)):
            continue
        if not (ctx.is_decline(t.text) or accepts):
            continue  # a tappable song title 「残忍的温柔」 is not a way to decline anything
        seen.add(n)
        tappable = t.clickable or in_button
        findings.append(Finding(
            CATEGORY, "guilt_tripping_decline", Severity.HIGH if (tappable or near)
            else Severity.MEDIUM, t.box,
            f"Declining is worded to shame the user: 「{t.text}」",
            {"text": t.text, "matched": hit, "tappable": tappable,
             "answers": near[0].text if near else None,
             "accept_options": [b.text for b in accepts][:3]}, REGULATIONS))
    return findings
