"""disguised_ad (and the interstitial split with nagging) on virtual-device screens."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from darkscan.detect.finding import Category, Severity
from darkscan.detect.screen import disguised_ad, nagging
from darkscan.device.hierarchy import parse_hierarchy
from darkscan.device.virtual.appfile import parse_app
from darkscan.device.virtual.device import VirtualDevice
from darkscan.geometry import Box
from darkscan.vision.context import ScreenContext

APP = """
app:
  package: com.test.ads
  label: AdTest
  lang: {lang}
  screen: {{width: 540, height: 960, density: 1.5}}
  start: feed
screens:
  feed:
    tabs: &tabs
      items:
        - {{text: "{tab1}", icon: home, go: feed}}
        - {{text: "{tab2}", icon: list, go: feed}}
        - {{text: "{tab3}", icon: user, go: feed}}
      selected: 0
    title: "{title}"
    widgets:
      - {{type: row, text: "{row1}", subtitle: "{sub1}"}}
      - {{type: image, id: ad_img, height: 100, color: "#5C6BC0", text: "{ad_pic}", text_color: "#FFFFFF"}}
      - {{type: text, id: ad_title, text: "{ad_title}", size: 15, margin: [6, 16, 2, 16]}}
      - {{type: text, id: ad_badge, text: "{marker}", size: {marker_size}, color: "{marker_color}", margin: [0, 16, 8, 16]}}
      - {{type: row, text: "{row2}", subtitle: "{sub2}"}}
      - {{type: row, text: "{row3}", subtitle: "{sub3}"}}
  install_feed:
    tabs: *tabs
    title: "{title}"
    widgets:
      - {{type: row, text: "{row1}", subtitle: "{sub1}"}}
      - {{type: row, text: "{row2}", subtitle: "{sub2}"}}
      - {{type: text, id: app_title, text: "{app_name}", size: 15, bold: true, margin: [8, 16, 2, 16]}}
      - type: row_group
        items:
          - {{type: text, id: app_meta, text: "{store}", size: 12}}
          - {{type: button, id: app_btn, text: "{install}", style: filled}}
      - {{type: row, text: "{row3}", subtitle: "{sub3}"}}
  promo:
    widgets:
      - {{type: image, height: 220, color: "#37474F", text: "{ad_pic}", text_color: "#FFFFFF"}}
      - {{type: text, text: "{app_name}", size: 20, bold: true, align: center, margin: [12, 16, 4, 16]}}
      - {{type: text, text: "{store}", size: 13, align: center}}
      - {{type: button, text: "{install}", style: filled, width: full, margin: [20, 24, 8, 24]}}
"""

TEXTS = {
    "zh-Hans": dict(tab1="首页", tab2="发现", tab3="我的", title="发现", row1="今日菜谱：番茄牛腩",
                    sub1="美食 · 1.2万收藏", row2="五分钟学会手冲咖啡", sub2="生活 · 860收藏",
                    row3="周末短途自驾路线", sub3="旅行 · 2千收藏", ad_pic="秋冬新品 限时五折",
                    ad_title="这件羽绒服轻到几乎感觉不到", app_name="速达外卖",
                    store="4.8分 · 2000万次下载", install="立即下载"),
    "en": dict(tab1="Home", tab2="Explore", tab3="Me", title="Explore",
               row1="Tomato beef stew tonight", sub1="Food · 12k saves",
               row2="Pour-over coffee in five minutes", sub2="Living · 860 saves",
               row3="Weekend road trips nearby", sub3="Travel · 2k saves",
               ad_pic="Winter sale: half price", ad_title="The down jacket you will forget you wear",
               app_name="QuickBite Food Delivery", store="4.6 ★ (51,210) FREE",
               install="Install"),
}
MARKERS = {"zh-Hans": "广告", "en": "Sponsored"}


def render(lang: str, start: str, marker_size: int = 8,
           marker_color: str = "#BDBDBD") -> tuple[ScreenContext, ScreenContext, str]:
    src = APP.format(lang=lang, marker=MARKERS[lang], marker_size=marker_size,
                     marker_color=marker_color, **TEXTS[lang])
    app = parse_app(src, f"ads_{lang}.yaml")
    dev = VirtualDevice([dataclasses.replace(app, start=start)])
    dev.app_start(app.package)
    img, xml = dev.screenshot(), dev.dump_hierarchy()
    return img, xml, dev.density()


def both(img: np.ndarray, xml: str, density: float, ocr) -> list[ScreenContext]:
    return [ScreenContext(img, parse_hierarchy(xml), density=density, ocr=ocr),
            ScreenContext(img, None, density=density, ocr=ocr)]


def _ids(xml: str, *ids: str) -> list[Box]:
    h = parse_hierarchy(xml)
    return [n.bounds for n in h.nodes if n.resource_id.rsplit("/", 1)[-1] in ids]


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_small_ad_marker_on_content_card(lang: str, ocr_engine) -> None:
    img, xml, density = render(lang, "feed")
    card = _ids(xml, "ad_title", "ad_badge")
    for ctx in both(img, xml, density, ocr_engine):
        found = disguised_ad.detect(ctx)
        assert [f.rule for f in found] == ["disguised_ad.ad_badge"], (lang, ctx.has_hierarchy)
        f = found[0]
        assert f.category is Category.DISGUISED_AD
        assert f.evidence["marker_relative_size"] < 0.9
        assert all(f.bbox.overlaps(b) for b in card)
        assert "MIIT-2025-NO-DECEPTION" in f.regulations
        assert nagging.detect(ctx) == []


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_marker_at_body_size_is_a_labelled_ad(lang: str, ocr_engine) -> None:
    img, xml, density = render(lang, "feed", marker_size=17, marker_color="#202124")
    for ctx in both(img, xml, density, ocr_engine):
        assert disguised_ad.detect(ctx) == [], (lang, ctx.has_hierarchy)


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_install_card_in_feed_vs_full_screen_promotion(lang: str, ocr_engine) -> None:
    img, xml, density = render(lang, "install_feed")
    planted = _ids(xml, "app_btn", "app_meta")
    for ctx in both(img, xml, density, ocr_engine):
        found = disguised_ad.detect(ctx)
        assert [f.rule for f in found] == ["disguised_ad.install_card"], (lang, ctx.has_hierarchy)
        assert found[0].severity is Severity.HIGH  # nothing says "ad"
        assert all(found[0].bbox.overlaps(b) for b in planted)
        assert nagging.detect(ctx) == []
    img, xml, density = render(lang, "promo")
    for ctx in both(img, xml, density, ocr_engine):
        assert disguised_ad.detect(ctx) == []
        assert [f.rule for f in nagging.detect(ctx)] == ["nagging.interstitial"]


SPLASH = """
app:
  package: com.test.splash
  label: SplashTest
  lang: {lang}
  screen: {{width: 540, height: 960, density: 1.5}}
  start: splash
screens:
  splash:
    background: "#FFE0B2"
    widgets:
      - {{type: text, id: headline, text: "{headline}", size: 30, bold: true, color: "#4E342E", margin: [40, 16, 4, 16]}}
      - {{type: image, id: ad_img, height: 220, color: "#FB8C00", gradient: true}}
      - {{type: button, id: ad_more, text: "{more}", style: filled, width: full, size: 14, color: "#6D4C41"}}
      - {{type: text, id: ad_label, text: "{marker}", size: {marker_size}, bold: {bold}, color: "{marker_color}", margin: [0, 16, 4, 16]}}
      - {{type: text, text: "{brand}", size: 26, bold: true, align: center, margin: [24, 16, 2, 16]}}
      - {{type: text, text: "{slogan}", size: 13, align: center, color: "#757575"}}
"""
SPLASH_TEXTS = {
    "zh-Hans": {"headline": "夏日狂欢 全场五折", "more": "点击查看详情", "marker": "广告", "brand": "轻读",
                    "slogan": "好书 一起读"},
    "zh-Hant": {"headline": "夏日狂歡 全場五折", "more": "點擊查看詳情", "marker": "廣告", "brand": "輕讀",
                    "slogan": "好書 一起讀"},
    "en": {"headline": "Summer sale: half price on everything", "more": "Learn more", "marker": "Ad",
               "brand": "Readly", "slogan": "Books for everyone"},
}


def render_splash(lang: str, *, marker_size: int, bold: bool, marker_color: str):
    src = SPLASH.format(lang=lang, marker_size=marker_size, bold=str(bold).lower(),
                        marker_color=marker_color, **SPLASH_TEXTS[lang])
    dev = VirtualDevice([parse_app(src, f"splash_{lang}.yaml")])
    dev.app_start("com.test.splash")
    return dev.screenshot(), dev.dump_hierarchy(), dev.density()


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_ad_label_is_measured_against_its_card_not_the_headline(lang: str, ocr_engine) -> None:
    """A label as big as the text around it is a clear label, however big the page's
    headline; one much smaller than the text around it is a disguise."""
    img, xml, density = render_splash(lang, marker_size=16, bold=True, marker_color="#3E2723")
    for ctx in both(img, xml, density, ocr_engine):
        assert disguised_ad.detect(ctx) == [], (lang, ctx.has_hierarchy)
    img, xml, density = render_splash(lang, marker_size=9, bold=False, marker_color="#A1887F")
    label = _ids(xml, "ad_label")[0]
    for ctx in both(img, xml, density, ocr_engine):
        found = disguised_ad.detect(ctx)
        assert [f.rule for f in found] == ["disguised_ad.ad_badge"], (lang, ctx.has_hierarchy)
        assert found[0].bbox.overlaps(label)
        assert found[0].evidence["marker_relative_size"] < 0.9
