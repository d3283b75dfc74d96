"""PP-OCR must read >= 95 % of the visible text characters of the bundled apps.

OCR reads each whole screenshot once per session (the shared engine caches by content); the
counting rule is darkscan.evaluation.ocr_readback's.
"""

from __future__ import annotations

from collections import Counter

import pytest

from darkscan.evaluation.ocr_readback import Readback, readback, visible_chars

APPS = ["kanju_zh", "kanju_zh_clean", "fitpro_en"]


@pytest.mark.slow
def test_ocr_reads_95_percent_of_visible_characters(app_screens, ocr_engine) -> None:
    total = Readback(0, 0)
    worst = []
    for app in APPS:
        for sid, s in app_screens(app).items():
            r = readback(s.image, s.xml, ocr_engine)
            if r.expected:
                total += r
                worst.append((r.recall, app, sid))
    print(f"OCR character recall {total.recall:.4f} over {total.expected} characters; worst "
          f"{sorted(worst)[:3]}")
    assert total.expected > 1000
    assert total.recall >= 0.95, sorted(worst)[:5]


def test_visible_chars_skip_offscreen_and_password_text() -> None:
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">"
        '<node index="0" text="" class="android.widget.FrameLayout" package="a" '
        'bounds="[0,0][100,200]">'
        '<node index="0" text="On 屏幕!" class="android.widget.TextView" package="a" '
        'bounds="[0,0][100,20]"/>'
        '<node index="1" text="below" class="android.widget.TextView" package="a" '
        'bounds="[0,300][100,320]"/>'
        '<node index="2" text="secret" password="true" class="android.widget.EditText" '
        'package="a" bounds="[0,40][100,60]"/>'
        "</node></hierarchy>"
    )
    assert visible_chars(xml, 200) == Counter("On屏幕")
