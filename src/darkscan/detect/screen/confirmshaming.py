"""Confirmshaming: the way to decline is worded to make the user feel guilty or foolish.

「残忍离开」, 「狠心拒绝」, "No thanks, I don't like saving money", "I'd rather pay full price".
Only texts that act as a decline (tappable, or button-sized next to an accept button) count,
so an article that mentions 残忍 is not a finding.
"""

from __future__ import annotations

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.lexicon.detectors import Lex, action_sized, find
from darkscan.lexicon.normalize import fold
from darkscan.vision.context import ScreenContext

CATEGORY = Category.CONFIRMSHAMING
REGULATIONS = ("EU-DSA-25", "MIIT-2025-NO-DECEPTION")


def detect(ctx: ScreenContext) -> list[Finding]:
    findings = []
    accepts = [b for b in ctx.buttons if ctx.is_accept(b.text)]
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
        if not (t.clickable or in_button or (action_sized(t.text) and accepts)):
            continue
        if not (ctx.is_decline(t.text) or accepts):
            continue  # a tappable song title 「残忍的温柔」 is not a way to decline anything
        seen.add(n)
        findings.append(Finding(
            CATEGORY, "guilt_tripping_decline", Severity.HIGH if (t.clickable or in_button)
            else Severity.MEDIUM, t.box,
            f"Declining is worded to shame the user: 「{t.text}」",
            {"text": t.text, "matched": hit, "tappable": t.clickable or in_button,
             "accept_options": [b.text for b in accepts][:3]}, REGULATIONS))
    return findings
