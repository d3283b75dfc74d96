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
"""

from __future__ import annotations

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.lexicon.detectors import Lex, has
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


def _row_texts(ctx: ScreenContext, tg: Toggle) -> list[ScreenText]:
    """The other texts of the toggle's row: a switch's label may be the row's subtitle
    ("Streaks and new units") or missing, while the title says "Push notifications"."""
    cy = (tg.box.y1 + tg.box.y2) / 2
    reach = ctx.px(ROW_REACH_DP)
    return [t for t in ctx.texts if not t.from_desc and t.text != tg.label
            and not t.box.overlaps(tg.box) and abs(t.box.center[1] - cy) <= reach]


def detect(ctx: ScreenContext) -> list[Finding]:
    findings = []
    for tg in ctx.toggles:
        if not tg.checked:
            continue
        row = _row_texts(ctx, tg)
        about = " ".join([tg.label] + [t.text for t in row]).strip()
        if not about:
            continue
        hits = [(name, sev, regs) for name, lex, sev, regs in _TOPICS if has(lex, about)]
        if has(Lex.NOTIFICATION_STYLE, tg.label or about):
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
        topics = sorted({h[0] for h in hits})
        box = tg.box if tg.label_box is None else tg.box.union(tg.label_box)
        label = tg.label or " ".join(t.text for t in row)
        if not tg.label:
            for t in row:
                box = box.union(t.box)
        findings.append(Finding(
            CATEGORY, f"prechecked_{topic}", severity, box,
            f"{tg.kind.value.capitalize()} 「{label}」 is {'selected' if tg.kind is ToggleKind.RADIO else 'on'} "
            f"before the user chose ({', '.join(topics)})",
            {"label": label, "kind": tg.kind.value, "topics": topics,
             "state_from": "first_seen" if tg.first_seen else tg.source.value},
            tuple(dict.fromkeys(r for h in hits for r in h[2]))))
    return findings
