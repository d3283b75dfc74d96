"""nagging on screens rendered by the virtual device: with the hierarchy and from pixels only."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

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
