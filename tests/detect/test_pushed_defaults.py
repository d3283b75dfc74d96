"""Default choices read from pixels alone, as real apps draw them (zh-Hans, zh-Hant, en):
trailing ticked checkboxes, a Material 2 "on" switch, a short filled button, two bare-text
answers where only the accept is in the accent colour, and notification presentation rows."""

from __future__ import annotations

import pytest

from darkscan.detect.screen import false_hierarchy, preselection
from darkscan.geometry import Box
from darkscan.lexicon.detectors import Lex, has, is_decline
from darkscan.vision.context import ScreenContext
from darkscan.vision.model import ToggleKind

LANGS = {
    "zh-Hans": {"push": "推送通知", "dot": "通知角标", "night": "夜间模式", "title": "设置",
                "later": "以后再说", "go": "去开启", "cancel": "取消", "ok": "确定",
                "ask": "要接收最新消息吗？"},
    "zh-Hant": {"push": "推播通知", "dot": "通知角標", "night": "夜間模式", "title": "設定",
                "later": "以後再說", "go": "立即開啟", "cancel": "取消", "ok": "確定",
                "ask": "要接收最新消息嗎？"},
    "en": {"push": "Push notifications", "dot": "Notification dot", "night": "Night mode",
           "title": "Settings", "later": "Not now", "go": "Continue", "cancel": "Cancel",
           "ok": "OK", "ask": "Want the latest news?"},
}


def _ticked_box(c, x: int, y: int, size: int, checked: bool, tick: str = "#FF9800") -> None:
    """A settings-row checkbox: a thin grey outline, white inside, an accent tick when on."""
    c.draw.rectangle((x, y, x + size, y + size), fill="#FFFFFF", outline="#D0D0D0", width=2)
    if checked:
        c.draw.line([(x + size * 0.25, y + size * 0.5), (x + size * 0.45, y + size * 0.72),
                     (x + size * 0.78, y + size * 0.28)], fill=tick, width=max(3, size // 9))


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_trailing_checkbox_with_a_bare_tick_is_on(canvas, ocr_engine, lang: str) -> None:
    w = LANGS[lang]
    c = canvas(720, 1280, bg="#FAFAFA")
    c.text((32, 40), w["title"], size=40)
    c.text((32, 200), w["push"], size=30)
    _ticked_box(c, 640, 198, 36, True)
    c.text((32, 340), w["night"], size=30)
    _ticked_box(c, 640, 338, 36, False)
    ctx = ScreenContext(c.array(), ocr=ocr_engine)
    boxes = {tg.label: tg for tg in ctx.toggles if tg.kind is ToggleKind.CHECKBOX}
    assert boxes[w["push"]].checked and not boxes[w["night"]].checked, boxes
    found = preselection.detect(ctx)
    assert [f.rule for f in found] == ["prechecked_notifications"], found
    assert found[0].bbox.overlaps(Box(640, 198, 676, 234))


def test_an_icon_at_the_end_of_a_row_is_no_checkbox(canvas, ocr_engine) -> None:
    c = canvas(720, 1280)
    c.text((32, 200), "Sync your library", size=30)
    c.draw.rounded_rectangle((620, 186, 684, 250), radius=10, fill="#9E9E9E")  # 32 dp icon
    ctx = ScreenContext(c.array(), ocr=ocr_engine)
    assert [tg for tg in ctx.toggles if tg.kind is ToggleKind.CHECKBOX] == []


def _m2_switch_on(c, x: int, cy: int) -> None:
    """Material 2 "on" at 3 px/dp: a 34x14 dp pale track, the 20 dp thumb overhanging its
    right end by 3 dp - the edge trace is ragged (contour area < 55 % of its box)."""
    c.draw.rounded_rectangle((x, cy - 21, x + 102, cy + 21), radius=21, fill="#BCDDCF")
    c.draw.ellipse((x + 51, cy - 30, x + 111, cy + 30), fill="#017A55")


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_material2_on_switch_with_overhanging_thumb(canvas, ocr_engine, lang: str) -> None:
    w = LANGS[lang]
    c = canvas(1080, 1920)
    c.text((48, 300), w["push"], size=45)
    _m2_switch_on(c, 900, 330)
    ctx = ScreenContext(c.array(), ocr=ocr_engine)
    switches = [tg for tg in ctx.toggles if tg.kind is ToggleKind.SWITCH]
    assert len(switches) == 1 and switches[0].checked, ctx.toggles
    assert [f.rule for f in preselection.detect(ctx)] == ["prechecked_notifications"]


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_notification_dot_is_no_channel_of_its_own(canvas, ocr_engine, lang: str) -> None:
    w = LANGS[lang]
    c = canvas(1080, 1920)
    c.text((48, 300), w["dot"], size=45)
    _m2_switch_on(c, 900, 330)
    ctx = ScreenContext(c.array(), ocr=ocr_engine)
    assert any(tg.checked for tg in ctx.toggles)
    assert preselection.detect(ctx) == []


def _dialog(c, lang: str, accept: str, decline: str, accept_colour: str,
            decline_colour: str) -> tuple[int, int, int, int]:
    c.draw.rectangle((0, 0, 720, 1280), fill="#777777")  # scrim
    c.draw.rectangle((80, 460, 640, 760), fill="#FFFFFF")
    c.text((120, 500), LANGS[lang]["ask"], size=28)
    d = c.text((200, 680), decline, size=30, color=decline_colour)
    a = c.text((440, 680), accept, size=30, color=accept_colour)
    return (min(a[0], d[0]), min(a[1], d[1]), max(a[2], d[2]), max(a[3], d[3]))


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_accept_in_accent_colour_beside_grey_not_now(canvas, ocr_engine, lang: str) -> None:
    w = LANGS[lang]
    c = canvas(720, 1280)
    pair = _dialog(c, lang, w["go"], w["later"], "#00B900", "#555A60")
    found = false_hierarchy.detect(ScreenContext(c.array(), ocr=ocr_engine))
    assert [f.rule for f in found] == ["accept_in_accent_colour"], found
    assert found[0].bbox.overlaps(Box(*pair))


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_grey_cancel_beside_coloured_ok_is_ordinary(canvas, ocr_engine, lang: str) -> None:
    w = LANGS[lang]
    c = canvas(720, 1280)
    _dialog(c, lang, w["ok"], w["cancel"], "#1E88E5", "#555A60")
    assert false_hierarchy.detect(ScreenContext(c.array(), ocr=ocr_engine)) == []


@pytest.mark.parametrize("lang", sorted(LANGS))
def test_both_answers_in_the_accent_colour_is_ordinary(canvas, ocr_engine, lang: str) -> None:
    w = LANGS[lang]
    c = canvas(720, 1280)
    _dialog(c, lang, w["go"], w["later"], "#00B900", "#00B900")
    assert false_hierarchy.detect(ScreenContext(c.array(), ocr=ocr_engine)) == []


def test_short_filled_button_counts_as_a_button(canvas, ocr_engine) -> None:
    """A 34 dp tall "Accept" (pill-proportioned) beside a faint "Not now"."""
    c = canvas(1080, 1920)
    c.text((80, 700), "Allow us to send you offers?", size=48)
    c.draw.rounded_rectangle((700, 1000, 960, 1102), radius=12, fill="#D32F2F")
    c.button((700, 1000, 960, 1102), "Accept", None, "#FFFFFF", size=42)
    c.text((420, 1030), "Not now", size=36, color="#B8B8B8")
    ctx = ScreenContext(c.array(), ocr=ocr_engine)
    assert any(b.filled and "accept" in b.text.lower() for b in ctx.buttons), ctx.buttons
    found = false_hierarchy.detect(ctx)
    assert [f.rule for f in found] == ["accept_far_stronger_than_decline"], found


@pytest.mark.parametrize("text", ["I'll complete this later.", "Remind me later",
                                  "Continue without an account", "以后再说", "暫不"])
def test_soft_declines(text: str) -> None:
    assert is_decline(text) and has(Lex.SOFT_DECLINE, text)


@pytest.mark.parametrize("text", ["Cancel", "取消", "Deny", "不同意"])
def test_hard_declines_are_not_soft(text: str) -> None:
    assert is_decline(text) and not has(Lex.SOFT_DECLINE, text)


def test_for_your_is_not_for_you() -> None:
    assert not has(Lex.RECOMMENDATION, "Temperature for your selected location")
    assert has(Lex.RECOMMENDATION, "Picks for you")
