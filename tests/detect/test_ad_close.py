"""ad_close_obstruction on virtual-device screens: an ad word in an app's own settings is no ad
screen; a sparse splash carrying an ad label without a way out is."""

from __future__ import annotations

import pytest

from darkscan.detect.screen import ad_close_obstruction
from darkscan.device.hierarchy import parse_hierarchy
from darkscan.device.virtual.appfile import parse_app
from darkscan.device.virtual.device import VirtualDevice
from darkscan.vision.context import ScreenContext

APP = """
app:
  package: com.test.adset
  label: AdSettings
  lang: {lang}
  screen: {{width: 540, height: 960, density: 1.5}}
  start: {start}
screens:
  ads_settings:
    title: "{title}"
    back_arrow: true
    widgets:
      - {{type: switch, text: "{personal}", subtitle: "{personal_sub}", checked: true}}
      - {{type: row, text: "{prefs}"}}
      - {{type: row, text: "{reset}"}}
      - {{type: row, text: "{about}"}}
  splash:
    background: "#FFCC80"
    widgets:
      - {{type: image, height: 420, color: "#FB8C00", gradient: true, text: "{sale}"}}
      - {{type: text, text: "{label}", size: 12, color: "#5D4037", margin: [8, 16, 4, 16]}}
      - {{type: text, text: "{brand}", size: 24, bold: true, align: center}}
"""
TEXTS = {
    "zh-Hans": {"title": "广告", "personal": "个性化广告", "personal_sub": "根据你的兴趣展示广告",
                "prefs": "广告 偏好", "reset": "重置广告标识符", "about": "关于广告",
                "sale": "夏日大促 全场五折", "label": "广告", "brand": "轻读"},
    "zh-Hant": {"title": "廣告", "personal": "個人化廣告", "personal_sub": "依你的興趣顯示廣告",
                "prefs": "廣告 偏好", "reset": "重設廣告識別碼", "about": "關於廣告",
                "sale": "夏日大促 全場五折", "label": "廣告", "brand": "輕讀"},
    "en": {"title": "Ads", "personal": "Personalized ads", "personal_sub": "Based on your interests",
           "prefs": "Ad preferences", "reset": "Reset advertising ID", "about": "About ads",
           "sale": "Summer sale 50% off", "label": "Sponsored", "brand": "Readly"},
}


def contexts(lang: str, start: str, ocr) -> list[ScreenContext]:
    app = parse_app(APP.format(lang=lang, start=start, **TEXTS[lang]), f"adset_{lang}.yaml")
    dev = VirtualDevice([app])
    dev.app_start(app.package)
    img, xml, density = dev.screenshot(), dev.dump_hierarchy(), dev.density()
    return [ScreenContext(img, parse_hierarchy(xml), density=density, ocr=ocr),
            ScreenContext(img, None, density=density, ocr=ocr)]


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_ad_settings_screen_is_not_an_ad(lang: str, ocr_engine) -> None:
    for ctx in contexts(lang, "ads_settings", ocr_engine):
        assert not ad_close_obstruction.is_ad_screen(ctx), (lang, ctx.has_hierarchy)
        assert ad_close_obstruction.detect(ctx) == [], (lang, ctx.has_hierarchy)


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "en"])
def test_labelled_splash_without_a_way_out(lang: str, ocr_engine) -> None:
    for ctx in contexts(lang, "splash", ocr_engine):
        found = ad_close_obstruction.detect(ctx)
        assert [f.rule for f in found] == ["close_missing"], (lang, ctx.has_hierarchy)
