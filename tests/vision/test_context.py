from __future__ import annotations

import numpy as np
import pytest

from darkscan.device.hierarchy import parse_hierarchy
from darkscan.vision.context import ScreenContext, first_seen_from_record
from darkscan.vision.model import Source, ToggleKind


def _ctx(app_screens, ocr_engine, app: str, sid: str, **kw) -> ScreenContext:
    s = app_screens(app)[sid]
    return ScreenContext(s.image, parse_hierarchy(s.xml), density=s.density, ocr=ocr_engine, **kw)


@pytest.mark.slow
def test_ocr_fills_only_what_the_hierarchy_lacks(app_screens, ocr_engine) -> None:
    ctx = _ctx(app_screens, ocr_engine, "kanju_zh", "vip")
    sources = {t.source for t in ctx.texts}
    assert Source.HIERARCHY in sources and Source.OCR in sources
    ocr_texts = [t for t in ctx.texts if t.source is Source.OCR]
    hier = " ".join(t.text for t in ctx.texts if t.source is Source.HIERARCHY)
    # the banner's words exist only in pixels; nothing OCR'd duplicates a hierarchy text
    assert any("VIP" in t.text for t in ocr_texts)
    assert all(t.text.replace(" ", "") not in hier.replace(" ", "") for t in ocr_texts)
    assert 0 < ctx.ocr_stats["pixels"] < 0.3 * ctx.width * ctx.height


@pytest.mark.slow
def test_dialog_window_hides_the_screen_beneath(app_screens, ocr_engine) -> None:
    ctx = _ctx(app_screens, ocr_engine, "kanju_zh", "retention")
    assert ctx.modal is not None and ctx.modal.width < ctx.width
    labels = [b.text for b in ctx.buttons]
    assert "残忍离开" in labels and "取消自动续费" not in labels  # the latter is under the scrim
    stay = next(b for b in ctx.buttons if b.text == "继续享受特权")
    leave = next(b for b in ctx.buttons if b.text == "残忍离开")
    assert stay.filled and not leave.filled and stay.prominence > 10 * leave.prominence
    assert ctx.primary_cta is stay


@pytest.mark.slow
def test_toggles_from_hierarchy_and_first_seen_state(app_screens, ocr_engine) -> None:
    ctx = _ctx(app_screens, ocr_engine, "kanju_zh", "vip")
    box = next(t for t in ctx.toggles if t.kind is ToggleKind.CHECKBOX)
    assert box.checked and "同意" in box.label and not box.first_seen
    radios = [t for t in ctx.toggles if t.kind is ToggleKind.RADIO]
    assert len(radios) == 3 and sum(r.checked for r in radios) == 1
    record = {"widgets": [{"bounds": box.box.as_list(), "checkable": True,
                           "checked_first_seen": False}]}
    ctx2 = _ctx(app_screens, ocr_engine, "kanju_zh", "vip",
                first_seen=first_seen_from_record(record))
    box2 = next(t for t in ctx2.toggles if t.kind is ToggleKind.CHECKBOX)
    assert box2.first_seen and not box2.checked


@pytest.mark.slow
def test_text_metrics_on_a_rendered_screen(app_screens, ocr_engine) -> None:
    ctx = _ctx(app_screens, ocr_engine, "kanju_zh", "vip")
    terms = next(t for t in ctx.texts if "到期后" in t.text)
    m = ctx.metrics(terms)
    # planted: 10 sp #C4C4C4 on white, below the button, body text 14-16 sp
    assert m.size_dp == pytest.approx(10, abs=1.5)
    assert m.contrast == pytest.approx(1.74, abs=0.2)
    assert m.relative_size < 0.8 and m.after_cta and not m.below_fold


@pytest.mark.slow
def test_close_target_size_in_dp(app_screens, ocr_engine) -> None:
    ctx = _ctx(app_screens, ocr_engine, "kanju_zh", "splash")
    skip = ctx.close_targets[0]
    assert skip.countdown and skip.min_side_dp < 30 and skip.contrast < 2
    clean = ScreenContext(app_screens("kanju_zh_clean")["splash"].image,
                          parse_hierarchy(app_screens("kanju_zh_clean")["splash"].xml),
                          density=2.0, ocr=ocr_engine).close_targets
    assert clean and clean[0].min_side_dp >= 48 and not clean[0].countdown


def test_pixels_only_toggles_buttons_and_cta(canvas, ocr_engine) -> None:
    c = canvas(720, 900)
    c.text((40, 40), "会员中心", size=36)
    c.checkbox((40, 140), 36, True)
    c.text((92, 142), "我已阅读并同意服务协议", size=26)
    c.checkbox((40, 220), 36, False)
    c.text((92, 222), "接收营销短信", size=26)
    c.button((40, 400, 680, 496), "立即开通", fill="#FF5722", text_color="#FFFFFF", size=32)
    c.text((320, 540), "暂不开通", size=18, color="#BBBBBB")
    ctx = ScreenContext(c.array(), ocr=ocr_engine)
    assert ctx.density == pytest.approx(2.0)  # 720 px / 360 dp
    states = {t.label: t.checked for t in ctx.toggles}
    assert states == {"我已阅读并同意服务协议": True, "接收营销短信": False}
    assert all(t.source is Source.PIXELS for t in ctx.toggles)
    cta = ctx.primary_cta
    assert cta is not None and cta.text == "立即开通" and cta.filled
    assert cta.fill_saturation > 0.5
    decline = next(b for b in ctx.buttons if b.text == "暂不开通")
    assert not decline.filled and decline.label_contrast < 2.5


def test_secure_screen_uses_hierarchy_only(ocr_engine) -> None:
    xml = ('<hierarchy rotation="0"><node index="0" text="" resource-id="" class="android.widget.'
           'FrameLayout" package="com.x" content-desc="" checkable="false" checked="false" '
           'clickable="false" enabled="true" focusable="false" focused="false" scrollable="false" '
           'long-clickable="false" password="false" selected="false" bounds="[0,0][720,1280]">'
           '<node index="0" text="自动续费" resource-id="" class="android.widget.TextView" '
           'package="com.x" content-desc="" checkable="false" checked="false" clickable="false" '
           'enabled="true" focusable="false" focused="false" scrollable="false" long-clickable='
           '"false" password="false" selected="false" bounds="[40,100][400,150]"/></node>'
           '</hierarchy>')
    ctx = ScreenContext(np.zeros((1280, 720, 3), np.uint8), parse_hierarchy(xml), ocr=ocr_engine)
    assert ctx.secure
    assert [t.text for t in ctx.texts] == ["自动续费"]
    assert ctx.metrics(ctx.texts[0]).contrast is None and ctx.ocr_stats["regions"] == 0
