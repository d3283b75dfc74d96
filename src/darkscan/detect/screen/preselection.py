"""Pre-selection: a box/radio/switch already on at first sight for consent, auto-renewal,
marketing, data sharing, recommendations, notifications or data collection.

Pre-ticked consent is no consent (2019 认定方法; MIIT 2023 forbids pre-ticked auto-renewal;
DSA Art. 25 default choices). The state is the crawler's first-seen state when recorded
(the user may since have toggled it), else what the hierarchy or the pixels show.
Recommendation switches on by default are reported ``low``: the algorithm rules require a
working off switch, not default-off. So are pre-enabled notification channels (push is a
marketing channel; MIIT restricts push pop-ups) and data-collection settings (location,
contacts, usage data, sync, staying signed in): a default the user did not choose, but not
consent to a contract. How an enabled channel is presented (a notification dot, sound,
vibration, lock-screen preview) is no channel of its own and is not reported.

Real screens (issue #11): a toggle's label must be real words - an OCR fragment ("uo"), a
single letter or the switch's own state ("On", "关") says nothing about what it switches - and
topics match whole words ("shared" is not "share"d data, "Terms" inside "determs" is none).
A topic's severity needs evidence that the user did not set the state: the crawler's
first-seen record, a sign-up / consent form, or a purchase page. Without it (a screenshot of
a settings page, which the user may well have set), and on a settings list of the app's own
options (three or more switches, no form or purchase), a finding is at most ``low``.
"""

from __future__ import annotations

from darkscan.detect.finding import Category, Finding, Severity
import re

from darkscan.lexicon.detectors import Lex, has, has_words
from darkscan.lexicon.normalize import fold
from darkscan.vision.context import ScreenContext
from darkscan.vision.model import ScreenText, Toggle, ToggleKind

CATEGORY = Category.PRESELECTION

# topic -> (severity, regulations); first matching topic in this order wins the severity
_TOPICS: list[tuple[str, Lex, Severity, tuple[str, ...]]] = [
    ("auto_renewal", Lex.RENEWAL_TERMS, Severity.HIGH,
     ("MIIT-2023-NO-PRETICK", "MIIT-2025-AUTO-RENEWAL", "EU-DSA-25")),
    ("auto_renewal", Lex.RENEWING_PLAN, Severity.HIGH,
     ("MIIT-2023-NO-PRETICK", "MIIT-2025-AUTO-RENEWAL", "EU-DSA-25")),
    ("consent", Lex.CONSENT, Severity.HIGH, ("CN-2019-PRETICKED-CONSENT", "EU-DSA-25")),
    ("data_sharing", Lex.DATA_SHARING, Severity.HIGH, ("CN-2019-PRETICKED-CONSENT", "EU-DSA-25")),
    ("marketing", Lex.MARKETING, Severity.MEDIUM, ("CN-2019-PRETICKED-CONSENT", "EU-DSA-25")),
    # Personalised recommendation may be on by default (算法推荐管理规定 Art. 17 and the MIIT
    # 2025 guide ask for a convenient switch, not a default): recorded, not a violation. A
    # missing or ineffective switch is missing_recommendation_off's concern.
    ("recommendation", Lex.RECOMMENDATION, Severity.INFO, ("CN-ALGO-REC-ART17",)),
    ("notifications", Lex.NOTIFICATIONS, Severity.LOW, ("EU-DSA-25",)),
    ("data_collection", Lex.DATA_COLLECTION, Severity.LOW,
     ("CN-2019-PRETICKED-CONSENT", "EU-DSA-25")),
]


# A settings row's title and subtitle sit within this many dp above/below its switch's centre.
ROW_REACH_DP = 28.0


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[a-z]{3,}")
#: a settings list: this many switches on one screen, none of them a form's tick
SETTINGS_LIST_TOGGLES = 3
_CAP = {Severity.HIGH: Severity.LOW, Severity.MEDIUM: Severity.LOW}


def real_words(text: str) -> str:
    """``text`` if it reads as words a user can understand, else "" (OCR fragments like "uo",
    single letters, the switch's own state "On"/"Off"/"开")."""
    t = fold(text).strip()
    if not t or has(Lex.TOGGLE_STATE, t):
        return ""
    if len(_CJK.findall(t)) >= 2:
        return text.strip()
    words = _LATIN_WORD.findall(t)
    if words and sum(len(w) for w in words) >= 4:
        return text.strip()
    return ""


def _context(ctx: ScreenContext) -> tuple[bool, bool]:
    """(a sign-up or consent form, a purchase page): evidence the ticks are the app's."""
    texts = [t.text for t in ctx.texts]
    # signing up, or a consent form's own button ("Agree and continue", 同意并继续)
    form = any(has_words(Lex.SIGN_UP, t) or (has(Lex.ACCEPT_ACTION, t) and has(Lex.CONSENT, t)
                                             and len(t) <= 40) for t in texts)
    purchase = any(has(Lex.RECURRING_PRICE, t) or has(Lex.RENEWAL_PRICE, t)
                   or has(Lex.RENEWING_PLAN, t) or has(Lex.RENEWAL_TERMS, t) for t in texts)
    return form, purchase


def _row_texts(ctx: ScreenContext, tg: Toggle) -> list[ScreenText]:
    """The other texts of the toggle's row: a switch's label may be the row's subtitle
    ("Streaks and new units") or missing, while the title says "Push notifications"."""
    cy = (tg.box.y1 + tg.box.y2) / 2
    reach = ctx.px(ROW_REACH_DP)
    return [t for t in ctx.texts if not t.from_desc and t.text != tg.label
            and not t.box.overlaps(tg.box) and abs(t.box.center[1] - cy) <= reach]


def detect(ctx: ScreenContext) -> list[Finding]:
    findings = []
    checked = [tg for tg in ctx.toggles if tg.checked]
    if not checked:
        return findings
    form, purchase = _context(ctx)
    settings_list = sum(1 for tg in ctx.toggles if tg.kind is not ToggleKind.RADIO) \
        >= SETTINGS_LIST_TOGGLES and not (form or purchase)
    for tg in checked:
        own = real_words(tg.label)
        row = [t for t in _row_texts(ctx, tg) if real_words(t.text)]
        about = " ".join([own] + [t.text for t in row]).strip()
        if not about:
            continue
        hits = [(name, sev, regs) for name, lex, sev, regs in _TOPICS
                if has_words(lex, about)]
        if has_words(Lex.NOTIFICATION_STYLE, own or about):
            # "Show notification dot", "Vibrate": how an enabled channel looks, not an opt-in
            hits = [h for h in hits if h[0] != "notifications"]
        if not hits:
            continue
        if tg.kind is ToggleKind.RADIO:
            # choosing one option of a group is not consent; a pre-chosen renewing plan is
            hits = [h for h in hits if h[0] == "auto_renewal"]
            if not hits:
                continue
            hits = [(n, Severity.MEDIUM, r) for n, _s, r in hits]
        topic, severity, _regs = hits[0]
        evidence = "first_seen" if tg.first_seen else "sign_up_form" if form else \
            "purchase_page" if purchase else None
        if evidence is None or settings_list:
            severity = _CAP.get(severity, severity)  # the user may have set it
        topics = sorted({h[0] for h in hits})
        box = tg.box if tg.label_box is None else tg.box.union(tg.label_box)
        label = own or " ".join(t.text for t in row)
        if not own:
            for t in row:
                box = box.union(t.box)
        findings.append(Finding(
            CATEGORY, f"prechecked_{topic}", severity, box,
            f"{tg.kind.value.capitalize()} 「{label}」 is {'selected' if tg.kind is ToggleKind.RADIO else 'on'} "
            f"before the user chose ({', '.join(topics)})",
            {"label": label, "kind": tg.kind.value, "topics": topics,
             "state_from": "first_seen" if tg.first_seen else tg.source.value,
             "not_set_by_user": evidence, "settings_list": settings_list},
            tuple(dict.fromkeys(r for h in hits for r in h[2]))))
    return findings
