"""Each detector on pixel-only screens drawn with Noto CJK (no hierarchy): positives in
zh-Hans / zh-Hant / en and the fixed version of the same screen as the negative."""

from __future__ import annotations

from darkscan.detect.finding import Category, Severity
from darkscan.detect.screen import (
    ad_close_obstruction,
    confirmshaming,
    false_hierarchy,
    hidden_auto_renewal,
    preselection,
)
from darkscan.vision.context import ScreenContext


def _paywall(canvas, *, terms_size: int, terms_color: str, terms_above: bool,
             lines=("Premium", "Unlimited workouts and plans", "Cancel in two taps in Settings",
                    "Then $9.99/month, renews automatically until cancelled",
                    "Start free trial")):
    title, f1, f2, terms, cta = lines
    c = canvas(720, 1100)
    c.text((40, 40), title, size=44)
    c.text((40, 160), f1, size=28)
    c.text((40, 220), f2, size=28)
    y_btn = 420 if terms_above else 320
    y_terms = 320 if terms_above else 540
    c.text((40, y_terms), terms, size=terms_size, color=terms_color)
    c.button((40, y_btn, 680, y_btn + 96), cta, fill="#1E88E5", text_color="#FFFFFF", size=30)
    return ScreenContext(c.array())


def test_hidden_renewal_terms_small_grey_under_button(canvas, ocr_engine) -> None:
    bad = hidden_auto_renewal.detect(_paywall(canvas, terms_size=18, terms_color="#BDBDBD",
                                              terms_above=False))
    rules = {f.rule: f for f in bad}
    f = rules["renewal_terms_not_conspicuous"]
    assert f.severity is Severity.HIGH and f.category is Category.HIDDEN_AUTO_RENEWAL
    assert f.evidence["contrast"] < 2.5 and f.evidence["relative_size"] < 0.85
    assert "WCAG-1.4.3" in f.regulations and "CA-ARL-CLEAR-CONSPICUOUS" in f.regulations
    good = hidden_auto_renewal.detect(_paywall(canvas, terms_size=28, terms_color="#212121",
                                               terms_above=True))
    assert not [g for g in good if g.severity.at_least(Severity.MEDIUM)], good


def test_hidden_renewal_traditional_chinese(canvas, ocr_engine) -> None:
    lines = ("會員中心", "海量影視內容，無廣告", "多端同時登入", "到期自動續費，每月¥30，可隨時取消",
             "立即開通")
    bad = hidden_auto_renewal.detect(_paywall(canvas, terms_size=18, terms_color="#C8C8C8",
                                              terms_above=False, lines=lines))
    assert any(f.rule == "renewal_terms_not_conspicuous" for f in bad), bad


def test_subscribe_screen_without_renewal_terms(canvas, ocr_engine) -> None:
    c = canvas(720, 900)
    c.text((40, 40), "Go Pro", size=44)
    c.text((40, 160), "All features unlocked", size=28)
    c.text((40, 230), "$4.99/month", size=36)
    c.button((40, 400, 680, 496), "Subscribe", fill="#1E88E5", text_color="#FFFFFF", size=30)
    found = hidden_auto_renewal.detect(ScreenContext(c.array()))
    assert [f.rule for f in found] == ["renewal_terms_missing"]


def test_preselected_consent_and_marketing_from_pixels(canvas, ocr_engine) -> None:
    c = canvas(720, 700)
    c.text((40, 40), "Create account", size=40)
    c.checkbox((40, 160), 36, True)
    c.text((92, 162), "Send me offers and news by email", size=26)
    c.checkbox((40, 240), 36, True)
    c.text((92, 242), "I agree to the Privacy Policy", size=26)
    c.checkbox((40, 320), 36, True)
    c.text((92, 322), "Keep me signed in", size=26)
    found = preselection.detect(ScreenContext(c.array()))
    rules = sorted(f.rule for f in found)
    assert rules == ["prechecked_consent", "prechecked_marketing"], found
    consent = next(f for f in found if f.rule == "prechecked_consent")
    assert consent.severity is Severity.HIGH and "CN-2019-PRETICKED-CONSENT" in consent.regulations
    c2 = canvas(720, 400)
    c2.checkbox((40, 160), 36, False)
    c2.text((92, 162), "Send me offers and news by email", size=26)
    assert preselection.detect(ScreenContext(c2.array())) == []


def _dialog(canvas, accept: str, decline: str, *, balanced: bool):
    c = canvas(720, 1000, bg="#FFFFFF")
    c.text((60, 80), "Wait! 50% off", size=40)
    c.text((60, 180), "Stay with Premium and save", size=28)
    c.button((60, 400, 660, 496), accept, fill="#E53935", text_color="#FFFFFF", size=30)
    if balanced:
        c.button((60, 520, 660, 616), decline, fill="#EEEEEE", text_color="#212121", size=30)
    else:
        c.text((200, 530), decline, size=20, color="#BBBBBB")
    return ScreenContext(c.array())


def test_false_hierarchy_and_confirmshaming(canvas, ocr_engine) -> None:
    ctx = _dialog(canvas, "Claim my discount", "No thanks, I'd rather pay full price",
                  balanced=False)
    fh = false_hierarchy.detect(ctx)
    assert len(fh) == 1 and fh[0].evidence["area_ratio"] > 3
    assert fh[0].evidence["accept_filled"] and not fh[0].evidence["decline_filled"]
    cs = confirmshaming.detect(ctx)
    assert len(cs) == 1 and "full price" in cs[0].evidence["text"]
    fair = _dialog(canvas, "Claim my discount", "No thanks", balanced=True)
    assert false_hierarchy.detect(fair) == [] and confirmshaming.detect(fair) == []


def test_confirmshaming_chinese_decline(canvas, ocr_engine) -> None:
    c = canvas(720, 800)
    c.text((60, 80), "真的要走吗？", size=40)
    c.button((60, 300, 660, 396), "继续享受特权", fill="#E7B464", text_color="#3E2C14", size=30)
    c.text((300, 430), "残忍离开", size=24, color="#999999")
    found = confirmshaming.detect(ScreenContext(c.array()))
    assert len(found) == 1 and found[0].evidence["matched"] == "残忍"


def test_ad_close_countdown_small_and_fixed(canvas, ocr_engine) -> None:
    c = canvas(720, 1280, bg="#202020")
    c.draw.rectangle((0, 120, 720, 1000), fill="#FFD54F")
    c.text((200, 500), "夏日大促 全场五折", size=40, color="#333333")
    c.button((600, 30, 700, 74), "跳过 5", fill="#555555", text_color="#8A8A8A", size=18)
    found = ad_close_obstruction.detect(ScreenContext(c.array()))
    assert len(found) == 1 and found[0].evidence["countdown"]
    assert found[0].evidence["height_dp"] < 48 and found[0].severity is Severity.HIGH
    c2 = canvas(720, 1280, bg="#202020")
    c2.draw.rectangle((0, 120, 720, 1000), fill="#FFD54F")
    c2.text((200, 500), "夏日大促 全场五折", size=40, color="#333333")
    c2.button((500, 1080, 700, 1180), "关闭广告", fill="#000000", text_color="#FFFFFF", size=28)
    c2.text((40, 1100), "广告", size=24, color="#FFFFFF")
    assert ad_close_obstruction.detect(ScreenContext(c2.array())) == []


def test_ad_screen_without_any_close(canvas, ocr_engine) -> None:
    c = canvas(720, 1280, bg="#202020")
    c.draw.rectangle((0, 120, 720, 1000), fill="#FFD54F")
    c.text((200, 500), "Summer sale 50% off", size=40, color="#333333")
    c.text((40, 60), "Sponsored", size=24, color="#FFFFFF")
    found = ad_close_obstruction.detect(ScreenContext(c.array()))
    assert [f.rule for f in found] == ["close_missing"]
