"""Pre-selection: a box/radio/switch already on at first sight for consent, auto-renewal,
marketing, data sharing or recommendations.

Pre-ticked consent is no consent (2019 认定方法; MIIT 2023 forbids pre-ticked auto-renewal;
DSA Art. 25 default choices). The state is the crawler's first-seen state when recorded
(the user may since have toggled it), else what the hierarchy or the pixels show.
Recommendation switches on by default are reported ``low``: the algorithm rules require a
working off switch, not default-off.
"""

from __future__ import annotations

from darkscan.detect.finding import Category, Finding, Severity
from darkscan.detect.lexicon import Lex, has
from darkscan.vision.context import ScreenContext
from darkscan.vision.model import ToggleKind

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
    ("recommendation", Lex.RECOMMENDATION, Severity.LOW, ("EU-DSA-25",)),
]


def detect(ctx: ScreenContext) -> list[Finding]:
    findings = []
    for tg in ctx.toggles:
        if not tg.checked or not tg.label:
            continue
        hits = [(name, sev, regs) for name, lex, sev, regs in _TOPICS if has(lex, tg.label)]
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
        findings.append(Finding(
            CATEGORY, f"prechecked_{topic}", severity, box,
            f"{tg.kind.value.capitalize()} 「{tg.label}」 is {'selected' if tg.kind is ToggleKind.RADIO else 'on'} "
            f"before the user chose ({', '.join(topics)})",
            {"label": tg.label, "kind": tg.kind.value, "topics": topics,
             "state_from": "first_seen" if tg.first_seen else tg.source.value},
            tuple(dict.fromkeys(r for h in hits for r in h[2]))))
    return findings
