"""nagging on screens rendered by the virtual device: with the hierarchy and from pixels only."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from darkscan.detect.arrival import Shown
from darkscan.detect.finding import Category, Severity
from darkscan.detect.screen import nagging
from darkscan.detect.screen.modal import ModalKind, find_modals
from darkscan.device.hierarchy import parse_hierarchy
from darkscan.device.virtual.appfile import parse_app
from darkscan.device.virtual.device import VirtualDevice
from darkscan.geometry import Box
from darkscan.vision.context import ScreenContext

APP = """
app:
  package: com.test.nag
  label: NagTest
  lang: {lang}
  screen: {{width: 540, height: 960, density: 1.5}}
  start: home
screens:
  home:
    title: Home
    widgets:
      - {{type: row, text: "{row1}", subtitle: "{sub1}"}}
      - {{type: row, text: "{row2}", subtitle: "{sub2}"}}
      - {{type: row, text: "{row3}", subtitle: "{sub3}"}}
  home_popup:
    title: Home
    popup: {{screen: dlg, times: 1}}
    widgets:
      - {{type: row, text: "{row1}", subtitle: "{sub1}"}}
      - {{type: row, text: "{row2}", subtitle: "{sub2}"}}
  dlg:
    dialog: true
    title: "{dlg_title}"
    widgets:
      - {{type: text, text: "{dlg_text}", size: 15}}
      - type: row_group
        items:
          - {{type: button, text: "{dlg_no}", style: text, tap: close}}
          - {{type: button, text: "{dlg_yes}", style: filled, tap: close}}
  banner:
    title: Home
    widgets:
      - {{type: text, id: ask, text: "{ask}", size: 15, background: "#EEF3FF", padding: [10, 12, 4, 12]}}
      - type: row_group
        background: "#EEF3FF"
        items:
          - {{type: button, id: later, text: "{later}", style: text}}
          - {{type: button, id: go, text: "{go}", style: filled}}
      - {{type: row, text: "{row1}", subtitle: "{sub1}"}}
      - {{type: row, text: "{row2}", subtitle: "{sub2}"}}
  settings:
    title: "{settings}"
    widgets:
      - {{type: switch, text: "{switch}", checked: false}}
      - {{type: row, text: "{row3}"}}
"""

TEXTS = {
    "zh-Hans": dict(row1="晚间新闻摘要", sub1="新闻 · 3 分钟", row2="本周天气预报", sub2="天气",
                    row3="离线地图", sub3="已下载 2 个城市", dlg_title="觉得好用吗？",
                    dlg_text="花一分钟给我们打个分吧，你的支持是我们更新的动力。",
                    dlg_no="下次再说", dlg_yes="给好评", ask="打开通知，及时收到快递动态",
                    later="以后再说", go="打开", settings="设置", switch="消息通知"),
    "en": dict(row1="Morning briefing", sub1="News · 3 min", row2="Weekend forecast",
               sub2="Weather", row3="Offline maps", sub3="2 cities downloaded",
               dlg_title="Delete this photo?", dlg_text="It will be removed from all devices.",
               dlg_no="Cancel", dlg_yes="Delete", ask="Upgrade to Plus for unlimited storage?",
               later="Maybe later", go="Upgrade", settings="Settings",
               switch="Push notifications"),
}


def render(lang: str, start: str) -> tuple[np.ndarray, str, float]:
    app = parse_app(APP.format(lang=lang, **TEXTS[lang]), f"nag_{lang}.yaml")
    dev = VirtualDevice([dataclasses.replace(app, start=start)])
    dev.app_start(app.package)
    return dev.screenshot(), dev.dump_hierarchy(), dev.density()


def contexts(lang: str, start: str, ocr_engine) -> list[ScreenContext]:
    img, xml, density = render(lang, start)
    return [ScreenContext(img, parse_hierarchy(xml), density=density, ocr=ocr_engine),
            ScreenContext(img, None, density=density, ocr=ocr_engine)]  # pixels only


def _panel(xml: str) -> Box:
    h = parse_hierarchy(xml)
    return next(n.bounds for n in h.nodes if n.resource_id.endswith(":id/parentPanel"))


def test_modal_is_found_from_pixels_at_the_dialog_card() -> None:
    img, xml, _ = render("zh-Hans", "home_popup")
    modals = find_modals(img)
    assert len(modals) == 1 and modals[0].kind is ModalKind.DIALOG
    assert modals[0].box.iou(_panel(xml)) > 0.9
    assert modals[0].dimming > 0.3
    plain, _, _ = render("zh-Hans", "home")
    assert find_modals(plain) == []


def test_rating_dialog_is_nagging_with_postpone_only(ocr_engine) -> None:
    _, xml, _ = render("zh-Hans", "home_popup")
    for ctx in contexts("zh-Hans", "home_popup", ocr_engine):
        found = nagging.detect(ctx)
        assert [f.rule for f in found] == ["nagging.modal_prompt"], ctx.has_hierarchy
        f = found[0]
        assert f.category is Category.NAGGING and f.severity is Severity.HIGH
        assert f.evidence["topics"] == ["rate"] and f.evidence["exit"] == "postpone_only"
        assert f.bbox.iou(_panel(xml)) > 0.9
        assert "EU-DSA-25" in f.regulations


def test_confirmation_dialog_is_not_nagging(ocr_engine) -> None:
    img, _, _ = render("en", "home_popup")
    assert find_modals(img)  # a modal is there; its text asks for nothing
    for ctx in contexts("en", "home_popup", ocr_engine):
        assert nagging.detect(ctx) == []


@pytest.mark.parametrize("lang, topic", [("zh-Hans", "notify"), ("en", "upgrade")])
def test_in_page_prompt_with_later(lang: str, topic: str, ocr_engine) -> None:
    _, xml, _ = render(lang, "banner")
    h = parse_hierarchy(xml)
    planted = [n.bounds for n in h.nodes if n.resource_id.rsplit("/", 1)[-1] in ("ask", "go")]
    for ctx in contexts(lang, "banner", ocr_engine):
        found = nagging.detect(ctx)
        assert [f.rule for f in found] == ["nagging.prompt"], (lang, ctx.has_hierarchy)
        assert topic in found[0].evidence["topics"]
        assert all(found[0].bbox.overlaps(b) for b in planted)


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
@pytest.mark.parametrize("start", ["home", "settings"])
def test_plain_screens_are_clean(lang: str, start: str, ocr_engine) -> None:
    for ctx in contexts(lang, start, ocr_engine):
        assert nagging.detect(ctx) == [], (lang, start, ctx.has_hierarchy)


# ---------------------------------------------------------------- what is not nagging
DIALOG_APP = """
app:
  package: com.test.dlg
  label: DlgTest
  lang: {lang}
  screen: {{width: 540, height: 960, density: 1.5}}
  start: page
screens:
  page:
    title: "{page}"
    popup: {{screen: dlg, times: 1}}
    widgets:
      - {{type: image, id: banner, height: 150, color: "#FF7043", gradient: true}}
      - {{type: row, text: "{row1}"}}
      - {{type: row, text: "{row2}"}}
      - {{type: row, text: "{row3}"}}
  dlg:
    dialog: true
    title: "{title}"
    widgets:
      - {{type: text, text: "{body}", size: 15}}
      - type: row_group
        items:
          - {{type: button, text: "{no}", style: text, tap: close}}
          - {{type: button, text: "{yes}", style: filled, tap: close}}
"""
PAGE = {"zh-Hans": {"page": "会员", "row1": "观看历史", "row2": "我的下载", "row3": "帮助与反馈"},
        "zh-Hant": {"page": "會員", "row1": "觀看紀錄", "row2": "我的下載", "row3": "說明與意見回饋"},
        "en": {"page": "Membership", "row1": "Watch history", "row2": "Downloads",
                   "row3": "Help and feedback"}}
# Dialogs that carry membership / notification words but ask for nothing new.
NOT_NAGGING = [
    ("zh-Hans", {"title": "取消自动续费", "body": "取消后到期不再扣费，会员权益保留到期末。",
                     "no": "暂不取消", "yes": "确认取消"}),
    ("zh-Hant", {"title": "確定取消自動續費？", "body": "到期後將不再扣款，已開通的會員權益照常保留。",
                     "no": "暫不取消", "yes": "確定"}),
    ("en", {"title": "Cancel Premium?", "body": "You keep Premium until Aug 15, then you will not be charged.",
                "no": "Keep Premium", "yes": "Yes, cancel"}),
    ("en", {"title": "Turn off notifications?", "body": "You will stop getting alerts about new episodes.",
                "no": "Not now", "yes": "Turn off"}),
    ("zh-Hans", {"title": "个人信息保护指引",
                     "body": "为向你提供播放、会员服务和消息通知等功能，我们会按《隐私政策》收集必要信息。",
                     "no": "不同意", "yes": "同意"}),
    ("en", {"title": "Your privacy", "body": "We use your personal data to run Premium features "
                "and notifications. Read our privacy policy.", "no": "Decline", "yes": "Accept"}),
]
# The same kind of dialog asking for something: nagging.
NAGGING = [
    ("zh-Hans", {"title": "开通会员，免广告看全集", "body": "限时特惠，首月仅需6元，立即开通享受特权。",
                     "no": "以后再说", "yes": "立即开通"}),
    ("zh-Hant", {"title": "開啟通知", "body": "第一時間收到新劇更新提醒，不錯過任何一集。",
                     "no": "以後再說", "yes": "去開啟"}),
    ("en", {"title": "Try Premium free?", "body": "Remove ads and download episodes. Cancel anytime.",
                "no": "Maybe later", "yes": "Start free trial"}),
]


def render_dialog(lang: str, texts: dict) -> tuple[np.ndarray, str, float]:
    app = parse_app(DIALOG_APP.format(lang=lang, **PAGE[lang], **texts), f"dlg_{lang}.yaml")
    dev = VirtualDevice([app])
    dev.app_start(app.package)
    return dev.screenshot(), dev.dump_hierarchy(), dev.density()


def _dialog_contexts(lang: str, texts: dict, ocr_engine, shown=None) -> list[ScreenContext]:
    img, xml, density = render_dialog(lang, texts)
    return [ScreenContext(img, parse_hierarchy(xml), density=density, ocr=ocr_engine,
                          shown=shown),
            ScreenContext(img, None, density=density, ocr=ocr_engine, shown=shown)]


@pytest.mark.parametrize("lang, texts", NOT_NAGGING, ids=lambda v: v if isinstance(v, str)
                         else v["title"][:12])
def test_confirmations_and_consent_are_not_nagging(lang: str, texts: dict, ocr_engine) -> None:
    img, _, _ = render_dialog(lang, texts)
    assert find_modals(img), "the dialog is drawn over a scrim"
    for ctx in _dialog_contexts(lang, texts, ocr_engine):
        assert nagging.detect(ctx) == [], (texts["title"], ctx.has_hierarchy)


@pytest.mark.parametrize("lang, texts", NAGGING, ids=lambda v: v if isinstance(v, str)
                         else v["title"][:12])
def test_requests_in_the_same_dialog_are_nagging(lang: str, texts: dict, ocr_engine) -> None:
    for ctx in _dialog_contexts(lang, texts, ocr_engine):
        found = nagging.detect(ctx)
        assert [f.rule for f in found] == ["nagging.modal_prompt"], (texts["title"],
                                                                     ctx.has_hierarchy)
        assert found[0].evidence["exit"] == "postpone_only"
        assert found[0].severity is Severity.HIGH


def test_run_context_tells_a_popup_from_a_dialog_the_user_opened(ocr_engine) -> None:
    lang, texts = NAGGING[0]
    popped = Shown(interrupting=True, opened_by=("开通会员",))
    opened = Shown(opened_by=("开通会员 · 首月6元",))   # tapped an entry it is about
    unrelated = Shown(opened_by=("播放",))              # a tap on something else
    for shown, nag in ((popped, True), (opened, False), (unrelated, True), (None, True)):
        for ctx in _dialog_contexts(lang, texts, ocr_engine, shown=shown):
            found = nagging.detect(ctx)
            assert bool(found) is nag, (shown, ctx.has_hierarchy)
            if found:
                assert found[0].evidence["popped_up"] is (None if shown is None
                                                          else shown.interrupting)


def test_saturated_header_over_white_page_is_no_bottom_sheet() -> None:
    """A white page under an orange banner and a coloured app bar: the page above is darker
    in luminance than the page but not dimmed, so there is no modal (and no nagging)."""
    app = parse_app(DIALOG_APP.format(lang="en", **PAGE["en"], **NAGGING[2][1]), "hdr.yaml")
    app = dataclasses.replace(app, screens={k: dataclasses.replace(v, popup=None)
                                            for k, v in app.screens.items()})
    dev = VirtualDevice([app])
    dev.app_start(app.package)
    assert find_modals(dev.screenshot()) == []
