"""The rules darkscan measures against. Findings cite these keys; reports show the text.

Texts paraphrase the provisions; they name the instrument and the provision's subject rather
than invent section numbers.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Regulation:
    key: str
    instrument: str
    provision: str
    jurisdiction: str


_ALL = [
    Regulation("MIIT-2025-AUTO-RENEWAL", "MIIT 2025 APP user-rights protection compliance guide",
               "Auto-renewal: explicit consent, a prominent reminder of renewal terms and a "
               "convenient way to cancel", "CN"),
    Regulation("MIIT-2025-ALGORITHM", "MIIT 2025 APP user-rights protection compliance guide",
               "Algorithmic recommendation: a convenient switch to turn personalised "
               "recommendation off", "CN"),
    Regulation("MIIT-2025-NO-DECEPTION", "MIIT 2025 APP user-rights protection compliance guide",
               "No deceiving, misleading or coercing users (uninstall included)", "CN"),
    Regulation("MIIT-2025-COMPLAINT", "MIIT 2025 APP user-rights protection compliance guide",
               "Complaint channels and customer-service hotline easy to find", "CN"),
    Regulation("MIIT-2025-ACCOUNT-DELETION", "MIIT 2025 APP user-rights protection compliance guide",
               "Account deletion (注销) available and convenient", "CN"),
    Regulation("MIIT-2023-NO-PRETICK", "MIIT 2023 notice on APP user-rights protection",
               "Auto-renewal must not be pre-ticked by default", "CN"),
    Regulation("MIIT-2023-SPLASH-AD", "MIIT 2023 notice on APP user-rights protection",
               "Splash (open-screen) ads need a clearly visible one-tap close", "CN"),
    Regulation("MIIT-2023-UNINSTALL", "MIIT 2023 notice on APP user-rights protection",
               "Apps must be easy to uninstall; no obstruction of uninstalling", "CN"),
    Regulation("CN-2019-PRIVACY-DEPTH", "App违法违规收集使用个人信息行为认定方法 (2019)",
               "Privacy policy more than 4 taps from the main screen counts as hard to reach", "CN"),
    Regulation("CN-2019-PRETICKED-CONSENT", "App违法违规收集使用个人信息行为认定方法 (2019)",
               "Pre-ticked consent is not consent", "CN"),
    Regulation("CN-ALGO-REC-ART17", "互联网信息服务算法推荐管理规定 Art. 17",
               "Users can turn off personalised recommendation", "CN"),
    Regulation("CA-ARL-CLEAR-CONSPICUOUS", "California Automatic Renewal Law (Bus. & Prof. Code "
               "§17600 ff.)", "Renewal terms clear and conspicuous: larger type than surrounding "
               "text, or contrasting type, font or colour, near the request for consent", "US-CA"),
    Regulation("CA-ARL-EASY-CANCEL", "California Automatic Renewal Law (Bus. & Prof. Code "
               "§17602)", "Cancelling online must be as easy as subscribing; no "
               "phone-only cancellation for online sign-ups", "US-CA"),
    Regulation("EU-DSA-25", "EU Digital Services Act Art. 25",
               "No interface that deceives or manipulates; cancelling no harder than "
               "subscribing; no repeated requests for a choice already made", "EU"),
    Regulation("WCAG-1.4.3", "WCAG 2.2 Success Criterion 1.4.3",
               "Text contrast at least 4.5:1 (3:1 for large text)", "INT"),
    Regulation("WCAG-2.5.8", "WCAG 2.2 Success Criterion 2.5.8",
               "Touch targets at least 24 CSS px; platform guidance is 48 dp", "INT"),
]

REGULATIONS: dict[str, Regulation] = {r.key: r for r in _ALL}


def describe(key: str) -> str:
    r = REGULATIONS.get(key)
    return f"{r.instrument}: {r.provision}" if r else key
