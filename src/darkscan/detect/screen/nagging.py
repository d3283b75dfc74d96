"""Nagging: prompts that interrupt the task to ask for something else.

Rules (each finding's ``rule``):

``nagging.modal_prompt``
    A dialog or bottom sheet over a dimmed screen (pixels, :mod:`.modal`) whose texts ask for
    a rating, an upgrade / membership, notifications or an app install. HIGH when the only
    way out is a postponement ("Later", 以后再说) - it announces that the request will repeat.
``nagging.prompt``
    The same request without a detected overlay (a banner or a card in the page), recognised
    by the request sitting next to a postponing or dismissing control.
``nagging.interstitial``
    A full-screen app-install promotion (install call-to-action with app-store furniture:
    Google Play, star ratings, download counts) that takes over the screen.

Not nagging (no finding), however the dialog is worded:

* a confirmation of the user's own action: it asks whether to cancel / delete / sign out /
  unsubscribe ("确定取消自动续费？", "Cancel Premium?") or answers with "确认取消" / "Yes, cancel";
* a privacy consent request (it cites the privacy policy or personal information): the law
  requires asking it, and the membership words in its service description are no upsell;
* a dialog the user opened (run context, :class:`darkscan.detect.arrival.Shown`): it never
  popped up on its own, and the control tapped to open it is what it talks about (新人福利 ->
  the gift dialog). Nagging interrupts the task with a request nobody asked for.

Regulations: EU DSA Art. 25 (no repeated requests for a choice already made), MIIT 2025
(no deceiving or coercing users).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from darkscan.detect.arrival import Shown
from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.screen.modal import Modal, block_around, cover, find_modals, is_banner
from darkscan.geometry import Box
from darkscan.lexicon.normalize import fold
from darkscan.lexicon.promo import MAX_CONTROL_CHARS, Cue, cues_of

if TYPE_CHECKING:
    from darkscan.vision.context import ScreenContext

CATEGORY = Category.NAGGING
REGULATIONS = ("EU-DSA-25", "MIIT-2025-NO-DECEPTION")
# A takeover is a screen as a whole, not a viewport below the top of a long screen.
WHOLE_SCREEN_RULES = frozenset({"nagging.interstitial"})
TOPICS = (Cue.RATE, Cue.UPGRADE, Cue.NOTIFY, Cue.INSTALL)
_TOPIC_WORDS = {Cue.RATE: "a rating", Cue.UPGRADE: "an upgrade or membership",
                Cue.NOTIFY: "notifications", Cue.INSTALL: "an app install"}
# A prompt and its dismiss control sit within this fraction of the screen height.
PROMPT_SPAN = 0.30
# An install promotion whose texts span this fraction of the height fills the screen.
INTERSTITIAL_SPAN = 0.40
# At most this many text lines: a promotion, not in-app content.
SPARSE_LINES = 14
STATUS_BAR = 0.04
LIST_ROWS = 6
# The install control's block (artwork, card) covering this share of the screen takes it over.
TAKEOVER_COVER = 0.5


@dataclass(frozen=True)
class Line:
    """A visible text with its cues (the detectors' view of ScreenText / OcrText)."""

    text: str
    box: Box
    cues: frozenset[Cue]


def lines_of(texts: Sequence[object]) -> list[Line]:
    """Texts (anything with ``.text`` and ``.box``) -> lines with their cues."""
    out = []
    for t in texts:
        text = str(getattr(t, "text", "")).strip()
        box = getattr(t, "box", None)
        if text and isinstance(box, Box) and not box.empty and not getattr(t, "from_desc", False):
            out.append(Line(text, box, frozenset(cues_of(text))))
    return out


def _union(boxes: Sequence[Box]) -> Box:
    out = boxes[0]
    for b in boxes[1:]:
        out = out.union(b)
    return out


def _topics(lines: Sequence[Line]) -> list[Cue]:
    return [c for c in TOPICS if any(c in ln.cues for ln in lines)]


def _severity_and_exit(lines: Sequence[Line]) -> tuple[Severity, str]:
    postpone = [ln for ln in lines if Cue.POSTPONE in ln.cues]
    dismiss = [ln for ln in lines if Cue.DISMISS in ln.cues and Cue.POSTPONE not in ln.cues]
    if postpone and not dismiss:
        return Severity.HIGH, "postpone_only"
    if not postpone and not dismiss:
        return Severity.MEDIUM, "no_text_exit"
    return Severity.MEDIUM, "dismiss"


_BARE_DISMISS = re.compile(r"^(?:取消|关闭|關閉|cancel|close|dismiss|[×✕✖╳x])$")


def _asks_about_ending(ln: Line) -> bool:
    """The sentence before a question mark names ending something ("Cancel Premium?")."""
    parts = re.split(r"[?？]", ln.text)
    return len(parts) > 1 and any(Cue.TERMINATE in cues_of(p) for p in parts[:-1])


def is_confirmation(lines: Sequence[Line]) -> bool:
    """A dialog confirming the user's own action to end something: cancel, delete, sign out,
    unsubscribe. The bare dismiss button ("取消", "Cancel") and ad-free offers ("Remove ads")
    do not count as that action."""
    acts = [ln for ln in lines if Cue.TERMINATE in ln.cues and Cue.AD_FREE not in ln.cues
            and not _BARE_DISMISS.match(fold(ln.text))]
    if not acts:
        return False
    return any(_asks_about_ending(ln) for ln in acts) or any(
        Cue.CONFIRM in ln.cues and Cue.TERMINATE in ln.cues for ln in lines) or (
        any(Cue.CONFIRM in ln.cues for ln in lines)
        and any(len(ln.text) <= MAX_CONTROL_CHARS for ln in acts))


def is_consent(lines: Sequence[Line]) -> bool:
    """A privacy consent request: it cites the privacy policy / personal information."""
    return any(Cue.PRIVACY in ln.cues for ln in lines)


def not_a_request(lines: Sequence[Line], shown: Shown | None) -> str | None:
    """Why a dialog / screen with topic words is not nagging (None = it may be)."""
    if is_confirmation(lines):
        return "confirmation"
    if is_consent(lines):
        return "consent"
    if shown is not None and shown.opened_by_user([ln.text for ln in lines]):
        return "opened_by_user"
    return None


def _modal_findings(modals: Sequence[Modal], lines: Sequence[Line],
                    width: int, height: int, shown: Shown | None = None) -> list[Finding]:
    out = []
    for m in modals:
        inside = [ln for ln in lines if m.box.contains(*ln.box.center)]
        topics = _topics(inside)
        if not topics or not_a_request(inside, shown) is not None:
            continue
        # A lone store cue (★ in a picture) is not a request: need a topic word beyond it.
        sev, exit_kind = _severity_and_exit(inside)
        words = " and ".join(_TOPIC_WORDS[t] for t in topics)
        out.append(Finding(
            category=Category.NAGGING, rule="nagging.modal_prompt", severity=sev, bbox=m.box,
            message=f"A {m.kind.value.replace('_', ' ')} over the dimmed screen asks for {words}",
            evidence={**m.to_evidence(), "topics": [t.value for t in topics], "exit": exit_kind,
                      "popped_up": None if shown is None else shown.interrupting,
                      "texts": [ln.text for ln in inside][:8],
                      "card_area_fraction": round(m.box.area / float(width * height), 3)},
            regulations=REGULATIONS))
    return out


def _prompt_findings(lines: Sequence[Line], taken: Sequence[Box],
                     height: int) -> list[Finding]:
    """A request with a postpone / dismiss control close below or beside it."""
    out: list[Finding] = []
    used: list[Box] = list(taken)
    span = PROMPT_SPAN * height
    for ln in lines:
        topics = [c for c in TOPICS if c in ln.cues and c is not Cue.INSTALL]
        if not topics or Cue.REQUEST not in ln.cues or any(u.contains(*ln.box.center) for u in used):
            continue
        exits = [e for e in lines if e is not ln and (Cue.POSTPONE in e.cues or (
            Cue.DISMISS in e.cues and Cue.UPGRADE not in ln.cues))
            and not (e.cues & set(TOPICS))
            and -0.02 * height <= e.box.center[1] - ln.box.center[1] <= span]
        if not exits:
            continue
        ex = min(exits, key=lambda e: abs(e.box.center[1] - ln.box.center[1]))
        y1, y2 = min(ln.box.y1, ex.box.y1), max(ln.box.y2, ex.box.y2)
        group = [g for g in lines if y1 <= g.box.center[1] <= y2]
        box = _union([g.box for g in group])
        if any(u.overlaps(box) for u in used) or is_confirmation(group) or is_consent(group):
            continue
        sev, exit_kind = _severity_and_exit(group)
        words = " and ".join(_TOPIC_WORDS[t] for t in _topics(group) if t in topics)
        out.append(Finding(
            category=Category.NAGGING, rule="nagging.prompt", severity=sev, bbox=box,
            message=f"A prompt in the page asks for {words} (\"{ln.text[:40]}\"), "
                    f"dismissed with \"{ex.text[:20]}\"",
            evidence={"topics": [t.value for t in topics], "exit": exit_kind,
                      "request": ln.text, "exit_text": ex.text,
                      "texts": [g.text for g in group][:8]},
            regulations=REGULATIONS))
        used.append(box)
    return out


def has_tab_bar(lines: Sequence[Line], width: int, height: int) -> bool:
    """Three or more short labels on one row at the bottom, spread across the width."""
    bottom = [ln for ln in lines if ln.box.center[1] >= 0.85 * height and len(ln.text) <= 12]
    for a in bottom:
        row = [b for b in bottom if abs(b.box.center[1] - a.box.center[1]) <= 0.02 * height]
        xs = [b.box.center[0] for b in row]
        if len(row) >= 3 and max(xs) - min(xs) >= 0.5 * width:
            return True
    return False


def is_list_like(lines: Sequence[Line], width: int) -> bool:
    """Six or more lines share one left edge: rows of a feed, a list or a form."""
    tol = 0.015 * width
    lefts = sorted(ln.box.x1 for ln in lines if abs(ln.box.center[0] - width / 2) > 0.08 * width)
    return any(sum(1 for x in lefts if abs(x - x0) <= tol) >= LIST_ROWS for x0 in lefts)


def is_takeover(lines: Sequence[Line], width: int, height: int,
                image: np.ndarray | None = None) -> bool:
    """A screen of its own whose call-to-action installs another app, not in-app content: no
    bottom tab bar (the app's own navigation), and - read from the pixels - the block the
    install control sits in (artwork, a card; :func:`.modal.block_around`) covers at least
    ``TAKEOVER_COVER`` of the screen, whatever text is drawn inside it. A strip at the top or
    bottom edge holding more than the install control (a banner: app name, pitch, rating
    beside the page) is never a takeover; a full-width install button alone is no banner. Without pixels, or when the
    install sits on the bare page (a store-like page on white), a sparse screen (few text
    lines, no list of rows) stands in for the block.
    """
    content = [ln for ln in lines if ln.box.center[1] > STATUS_BAR * height]
    installs = [ln for ln in content if Cue.INSTALL in ln.cues
                and len(ln.text) <= MAX_CONTROL_CHARS]
    if not installs or has_tab_bar(content, width, height):
        return False
    if image is not None:
        block = block_around(image, _union([ln.box for ln in installs]))
        others = [ln for ln in content if ln not in installs
                  and block.contains(*ln.box.center)]
        if is_banner(block, width, height) and others:
            return False  # a strip holding an app's name / pitch beside its install button
        if cover(block, width, height) >= TAKEOVER_COVER:
            return True  # the artwork's own text and feature grid are part of it
    return len(content) <= SPARSE_LINES and not is_list_like(content, width)


def _interstitial_findings(lines: Sequence[Line], taken: Sequence[Box],
                           width: int, height: int, shown: Shown | None = None,
                           image: np.ndarray | None = None) -> list[Finding]:
    """An install call-to-action on a sparse screen, or one with store furniture filling it.

    In-app content (a feed, a form, settings) carries many text lines; an app-install
    interstitial shows an app name, a pitch and one install button. Lines in the status bar
    (the top ``STATUS_BAR`` of the screen) are not counted.
    """
    content = [ln for ln in lines if ln.box.center[1] > STATUS_BAR * height]
    install = [ln for ln in content if Cue.INSTALL in ln.cues
               and len(ln.text) <= MAX_CONTROL_CHARS]
    if not install:
        return []
    store = [ln for ln in content if Cue.STORE in ln.cues]
    ad_lines = install + [s for s in store if s not in install]
    box = _union([ln.box for ln in ad_lines])
    if any(t.intersection(box).area >= 0.5 * box.area for t in taken):
        return []
    exits = [ln for ln in content if (Cue.DISMISS in ln.cues or Cue.POSTPONE in ln.cues)]
    span = box.height / height
    if not is_takeover(lines, width, height, image) and not (
            span >= INTERSTITIAL_SPAN and len(store) >= 2):
        return []
    if shown is not None and shown.opened_by_user([ln.text for ln in content]):
        return []  # the user tapped "get the app": a store page asked for, not a takeover
    full = Box(0, int(STATUS_BAR * height), width, height)
    block = (block_around(image, _union([ln.box for ln in install]))
             if image is not None else None)
    return [Finding(
        category=Category.NAGGING, rule="nagging.interstitial", severity=Severity.MEDIUM,
        bbox=full,
        message=f"A full-screen promotion asks to install another app (\"{install[0].text[:30]}\")",
        evidence={"install_texts": [ln.text for ln in install][:4],
                  "store_texts": [ln.text for ln in store][:6],
                  "exits": [ln.text for ln in exits][:4], "span_fraction": round(span, 2),
                  "text_lines": len(content),
                  "block": None if block is None else block.as_list(),
                  "block_cover": None if block is None else round(cover(block, width, height), 2)},
        regulations=REGULATIONS)]


def find_nagging(image: np.ndarray, texts: Sequence[object],
                 modals: Sequence[Modal] | None = None,
                 shown: Shown | None = None) -> list[Finding]:
    """Nagging findings from an RGB screenshot and its visible texts (pixel coordinates);
    ``shown`` = how a crawl reached the screen (None for a lone screenshot)."""
    h, w = image.shape[:2]
    lines = lines_of(texts)
    mods = find_modals(image) if modals is None else list(modals)
    found = _modal_findings(mods, lines, w, h, shown)
    # A dialog card is judged as a whole: its lines are not re-read as in-page prompts.
    cards = [m.box for m in mods]
    found += _interstitial_findings(lines, [f.bbox for f in found], w, h, shown, image)
    found += _prompt_findings(lines, [f.bbox for f in found] + cards, h)
    return found


def detect(ctx: ScreenContext) -> list[Finding]:
    """Registry entry point: a :class:`darkscan.vision.context.ScreenContext`."""
    if ctx.secure:
        return []
    texts = ctx.visible_texts
    return find_nagging(ctx.image, texts, modals=ctx.modals, shown=getattr(ctx, "shown", None))
