"""Detectors built on the screen's structure and context (issue 14), each on rendered screens:
with the hierarchy and from pixels alone.

* a bottom banner ad on a sparse screen is no takeover; full-bleed install artwork full of
  text is one (no text-line count decides);
* a hierarchy node clipped to a 2 px sliver by the screen edge is ignored;
* renewal terms under a "Place order" / 提交订单 button are a subscription added to a purchase;
* a 12-word shaming decline under an offer's button is confirmshaming (no "button-sized"
  limit), judged by what it makes the user say, tested on wording the patterns were not
  written from;
* two filled buttons of one size where only the accent fill favours the accept.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from darkscan.detect.finding import Severity
from darkscan.detect.screen import (
    confirmshaming,
    false_hierarchy,
    hidden_auto_renewal,
    nagging,
    preselection,
)
from darkscan.device.hierarchy import parse_hierarchy
from darkscan.device.virtual.appfile import parse_app
from darkscan.device.virtual.device import VirtualDevice
from darkscan.geometry import Box
from darkscan.lexicon.detectors import Lex, has
from darkscan.vision.context import ScreenContext


def _render(yaml: str, name: str) -> tuple[np.ndarray, str, float]:
    app = parse_app(yaml, name)
    dev = VirtualDevice([app])
    dev.app_start(app.package)
    return dev.screenshot(), dev.dump_hierarchy(), dev.density()


def _contexts(img: np.ndarray, xml: str, density: float, ocr) -> list[ScreenContext]:
    return [ScreenContext(img, parse_hierarchy(xml), density=density, ocr=ocr),
            ScreenContext(img, None, density=density, ocr=ocr)]


# ------------------------------------------------------------------ banner vs takeover
def _gradient(w: int, h: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    t = np.linspace(0.0, 1.0, h)[:, None, None]
    rows = (1 - t) * np.array(top) + t * np.array(bottom)
    return Image.fromarray(np.repeat(rows, w, axis=1).astype(np.uint8))


def test_bottom_banner_on_a_sparse_screen_is_no_takeover(canvas, ocr_engine) -> None:
    c = canvas(720, 1280, "#FFFFFF")
    c.text((32, 70), "Notes", size=40, bold=True)
    for i, row in enumerate(("Shopping list", "Ideas for the trip", "Books to read")):
        c.text((32, 200 + i * 110), row, size=30)
    c.img.paste(_gradient(720, 200, (40, 70, 160), (20, 40, 110)), (0, 1040))
    c.text((24, 1056), "Ad", size=22, color="#FFD54F")
    c.text((120, 1080), "Puzzle Quest", size=32, color="#FFFFFF")
    c.text((120, 1130), "4.5 ★  Google Play", size=24, color="#E0E0E0")
    c.button((500, 1090, 690, 1170), "INSTALL", "#34A853", "#FFFFFF", size=28)
    img = c.array()
    found = nagging.detect(ScreenContext(img, ocr=ocr_engine))
    assert [f for f in found if f.rule == "nagging.interstitial"] == [], found


def test_full_bleed_install_artwork_with_many_text_lines_is_a_takeover(canvas, ocr_engine) -> None:
    """Twenty lines of text inside the artwork: a line count would call it content."""
    c = canvas(720, 1280, "#000000")
    c.img.paste(_gradient(720, 1230, (250, 120, 60), (120, 30, 90)), (0, 50))
    c.text((640, 80), "✕", size=34, color="#FFFFFF")
    c.text((200, 180), "Kingdom Rush", size=48, color="#FFFFFF", bold=True)
    perks = ["Build towers", "Train heroes", "Defend the realm", "Win epic battles",
             "Daily rewards", "Join a guild", "New maps weekly", "Play offline",
             "Over 60 levels", "Boss fights", "Collect relics", "Upgrade armies",
             "Friends leaderboard", "Seasonal events", "Free to play", "No wifi needed"]
    for i, p in enumerate(perks):
        c.text((120 + (i % 2) * 260, 300 + (i // 2) * 70), p, size=24, color="#FFF3E0")
    c.text((230, 900), "4.8 ★  10M+ downloads", size=26, color="#FFFFFF")
    c.button((160, 1000, 560, 1100), "Install now", "#FFFFFF", "#C2185B", size=36)
    img = c.array()
    ctx = ScreenContext(img, ocr=ocr_engine)
    assert len(ctx.visible_texts) > nagging.SPARSE_LINES  # a text-line count would miss it
    found = [f for f in nagging.detect(ctx) if f.rule == "nagging.interstitial"]
    assert len(found) == 1, nagging.detect(ctx)
    assert found[0].evidence["block_cover"] >= nagging.TAKEOVER_COVER


# ------------------------------------------------------------------ sliver nodes
CONSENT_APP = """
app:
  package: com.test.sliver
  label: Sliver
  lang: en
  screen: {width: 540, height: 960, density: 1.5}
  start: signup
screens:
  signup:
    title: Create account
    widgets:
      - {type: text, text: "Your details", size: 16}
      - {type: checkbox, id: share, text: "Share my data with partners", checked: true}
"""


def test_a_node_clipped_to_a_sliver_is_ignored(ocr_engine) -> None:
    img, xml, density = _render(CONSENT_APP, "sliver.yaml")
    h = img.shape[0]
    node = next(n for n in parse_hierarchy(xml).nodes if n.resource_id.endswith("id/share"))
    assert [f.rule for f in preselection.detect(ScreenContext(
        img, parse_hierarchy(xml), density=density, ocr=ocr_engine))] == ["prechecked_data_sharing"]
    # the same node scrolled so that 2 px of it show at the bottom edge
    b = node.bounds
    moved = xml.replace(f'bounds="[{b.x1},{b.y1}][{b.x2},{b.y2}]"',
                        f'bounds="[{b.x1},{h - 2}][{b.x2},{h - 2 + b.height}]"')
    assert moved != xml
    blank = np.full_like(img, 255)  # the pixels no longer show it either
    ctx = ScreenContext(blank, parse_hierarchy(moved), density=density, ocr=ocr_engine)
    assert all(n.resource_id != node.resource_id for n in ctx.nodes)
    assert preselection.detect(ctx) == []


# ------------------------------------------------------------------ renewal under a purchase
CHECKOUT_APP = """
app:
  package: com.test.checkout
  label: Checkout
  lang: {lang}
  screen: {{width: 540, height: 960, density: 1.5}}
  start: checkout
screens:
  checkout:
    title: "{title}"
    widgets:
      - {{type: row, text: "{item}", subtitle: "{price}", chevron: false}}
      - {{type: text, text: "{ship}", size: 15}}
      - {{type: button, id: order, text: "{order}", style: filled}}
      - {{type: text, id: terms, text: "{terms}", size: 10, color: "#A0A0A0"}}
"""
CHECKOUT = {
    "en": dict(title="Checkout", item="Wireless earbuds", price="$49.00",
               ship="Free delivery on Friday", order="Place order",
               terms="Includes Member Plus, $9.99/month after 30 days, renews automatically "
                     "until you cancel."),
    "zh-Hans": dict(title="确认订单", item="无线蓝牙耳机", price="¥199", ship="周五送达 · 免运费",
                    order="提交订单", terms="含超级会员首月体验，到期后自动续费15元/月，可随时取消"),
    "zh-Hant": dict(title="確認訂單", item="無線藍牙耳機", price="NT$990", ship="週五送達・免運費",
                    order="立即結帳", terms="含超級會員首月體驗，到期後自動續費每月NT$150，可隨時取消"),
}


@pytest.mark.parametrize("lang", sorted(CHECKOUT))
def test_renewal_terms_under_a_purchase_button_add_a_subscription(lang: str, ocr_engine) -> None:
    img, xml, density = _render(CHECKOUT_APP.format(lang=lang, **CHECKOUT[lang]), "co.yaml")
    terms = next(n.bounds for n in parse_hierarchy(xml).nodes if n.resource_id.endswith("id/terms"))
    for ctx in _contexts(img, xml, density, ocr_engine):
        found = hidden_auto_renewal.detect(ctx)
        rules = [f for f in found if f.rule == "subscription_added_to_purchase"]
        assert rules, (lang, ctx.has_hierarchy, found)
        assert rules[0].severity is Severity.HIGH and rules[0].bbox.overlaps(terms)


def test_the_same_checkout_without_renewal_terms_is_clean(ocr_engine) -> None:
    texts = dict(CHECKOUT["en"], terms="Returns are free within 30 days.")
    img, xml, density = _render(CHECKOUT_APP.format(lang="en", **texts), "co.yaml")
    for ctx in _contexts(img, xml, density, ocr_engine):
        assert hidden_auto_renewal.detect(ctx) == []


# ------------------------------------------------------------------ confirmshaming
OFFER_APP = """
app:
  package: com.test.offer
  label: Offer
  lang: {lang}
  screen: {{width: 540, height: 960, density: 1.5}}
  start: offer
screens:
  offer:
    title: "{title}"
    widgets:
      - {{type: image, height: 180, color: "#FFB74D", text: "{hero}"}}
      - {{type: text, text: "{body}", size: 15}}
      - {{type: button, id: accept_btn, text: "{yes}", style: filled}}
      - {{type: button, id: decline_btn, text: "{no}", style: text, size: 13}}
"""
OFFERS = {
    "en": dict(title="Welcome", hero="20% OFF", body="Get 20% off your first three orders.",
               yes="Claim my discount",
               no="No thanks, I don't want to save money on my next order"),  # 12 words
    "zh-Hans": dict(title="新人福利", hero="新人专享", body="领取新人礼包，前三单立减20元。",
                    yes="立即领取", no="不了，我宁愿多花钱也不要这份新人礼包"),
    "zh-Hant": dict(title="新人福利", hero="新人專享", body="領取新人禮包，前三筆訂單立減20元。",
                    yes="立即領取", no="不用了，我寧可原價購買，也不想省這筆錢"),
}


@pytest.mark.parametrize("lang", sorted(OFFERS))
def test_a_long_shaming_decline_under_the_offer(lang: str, ocr_engine) -> None:
    texts = OFFERS[lang]
    if lang == "en":
        assert len(texts["no"].split()) == 12
    img, xml, density = _render(OFFER_APP.format(lang=lang, **texts), "offer.yaml")
    no = next(n.bounds for n in parse_hierarchy(xml).nodes if n.resource_id.endswith("id/decline_btn"))
    for ctx in _contexts(img, xml, density, ocr_engine):
        found = confirmshaming.detect(ctx)
        assert len(found) == 1 and found[0].bbox.overlaps(no), (lang, ctx.has_hierarchy, found)
        assert found[0].severity is Severity.HIGH


# Wording collected after the patterns were written (none of it was used to write them): what
# share the mechanism patterns catch, and that plain declines and accept slogans stay clean.
UNSEEN_SHAMING = [
    "No, I'll keep doing it the hard way", "Nope, I like wasting time",
    "I'm okay with slow downloads", "Skip - I don't need to learn anything new",
    "I don't want free shipping", "Maybe later, I enjoy missing out",
    "No thanks, I'd rather keep paying fees", "I'll pass on better sleep",
    "不用了，我不想变得更健康", "狠心放弃", "算了，我不需要优惠券", "我宁愿错过这次机会",
    "不了，我喜欢原价购买", "不用了，我不想省錢", "忍痛放棄優惠", "我寧可多付運費", "殘忍離開",
]
PLAIN_DECLINES = ["No thanks", "Not now", "Maybe later", "以后再说", "不同意", "取消", "暫不開啟",
                  "I don't want to receive emails", "Continue without signing in",
                  "I prefer dark mode", "Skip for now", "不用了", "下次再說", "Close"]


def test_shaming_patterns_on_wording_they_were_not_written_from() -> None:
    caught = [t for t in UNSEEN_SHAMING if has(Lex.CONFIRMSHAMING, t)]
    assert len(caught) / len(UNSEEN_SHAMING) >= 0.75, sorted(set(UNSEEN_SHAMING) - set(caught))
    assert [t for t in PLAIN_DECLINES if has(Lex.CONFIRMSHAMING, t)] == []


# ------------------------------------------------------------------ colour-only emphasis
PAIR_APP = """
app:
  package: com.test.pair
  label: Pair
  lang: {lang}
  screen: {{width: 540, height: 960, density: 1.5}}
  start: home
screens:
  home:
    title: Home
    popup: {{screen: ask, times: 1}}
    widgets:
      - {{type: row, text: "{row}"}}
  ask:
    dialog: true
    title: "{title}"
    widgets:
      - {{type: text, text: "{body}", size: 15}}
      - type: row_group
        items:
          - {{type: button, id: decline_btn, text: "{no}", style: filled, color: "#E3E3E3", text_color: "{no_ink}", tap: close}}
          - {{type: button, id: accept_btn, text: "{yes}", style: filled, color: "#1A73E8", text_color: "#FFFFFF", tap: close}}
"""
PAIRS = {
    "en": dict(row="Inbox", title="Stay in the loop", body="Get alerts when friends post.",
               no="Not now", yes="Turn on", no_ink="#A3A3A3"),
    "zh-Hans": dict(row="消息", title="开启通知", body="好友发布动态时第一时间提醒你。",
                    no="以后再说", yes="立即开启", no_ink="#A3A3A3"),
}


@pytest.mark.parametrize("lang", sorted(PAIRS))
def test_equal_filled_pair_where_only_colour_favours_accept(lang: str, ocr_engine) -> None:
    img, xml, density = _render(PAIR_APP.format(lang=lang, **PAIRS[lang]), "pair.yaml")
    for ctx in _contexts(img, xml, density, ocr_engine):
        found = false_hierarchy.detect(ctx)
        assert [f.rule for f in found] == ["accept_in_accent_fill"], (lang, ctx.has_hierarchy)
        assert found[0].severity is Severity.LOW


@pytest.mark.parametrize("texts", [
    {"title": "Delete draft?", "body": "This cannot be undone.", "no": "Cancel", "yes": "Delete"},
    {"no_ink": "#303030"},  # the same "Not now", legible: an ordinary secondary button
], ids=["hard-cancel", "legible-not-now"])
def test_grey_secondary_beside_a_coloured_primary_is_the_ordinary_pair(texts, ocr_engine) -> None:
    texts = dict(PAIRS["en"], **texts)
    img, xml, density = _render(PAIR_APP.format(lang="en", **texts), "pair.yaml")
    for ctx in _contexts(img, xml, density, ocr_engine):
        assert false_hierarchy.detect(ctx) == [], ctx.has_hierarchy


# ------------------------------------------------------------------ ad SDK views
FEED_APP = """
app:
  package: com.test.feed
  label: Feed
  lang: en
  screen: {{width: 540, height: 960, density: 1.5}}
  start: feed
screens:
  feed:
    title: Stories
    widgets:
      - {{type: row, text: "City council approves new park", subtitle: "Local · 2 h"}}
      - {{type: image, id: {image_id}, height: 150, color: "#5C6BC0", text: "Summer sneakers sale"}}
      - {{type: row, text: "Rain expected this weekend", subtitle: "Weather · 3 h"}}
"""


def test_an_ad_sdk_view_without_a_label_is_a_disguised_ad(ocr_engine) -> None:
    from darkscan.detect.screen import disguised_ad

    img, xml, density = _render(FEED_APP.format(image_id="gdt_native_container"), "feed.yaml")
    ctx = ScreenContext(img, parse_hierarchy(xml), density=density, ocr=ocr_engine)
    found = [f for f in disguised_ad.detect(ctx) if f.rule == "disguised_ad.unlabelled_ad_view"]
    view = next(n.bounds for n in parse_hierarchy(xml).nodes
                if n.resource_id.endswith("gdt_native_container"))
    assert len(found) == 1 and found[0].bbox == view
    # the same picture under the app's own id: content, not an ad
    img, xml, density = _render(FEED_APP.format(image_id="promo_picture"), "feed.yaml")
    ctx = ScreenContext(img, parse_hierarchy(xml), density=density, ocr=ocr_engine)
    assert disguised_ad.detect(ctx) == []


def test_a_tiny_ad_mark_is_read_at_its_own_scale(canvas, ocr_engine) -> None:
    """A 广告 chip 11 dp tall inside an ad picture: the whole-screen read misses it; the chip,
    cropped and upscaled, is read, and the card is a disguised ad."""
    from darkscan.detect.screen import disguised_ad

    c = canvas(720, 1280, "#FFFFFF")
    c.text((32, 60), "发现", size=40, bold=True)
    for i, (t, sub) in enumerate([("城市公园今日开放", "本地新闻 · 2小时前"),
                                  ("周末天气：多云转晴", "天气 · 3小时前")]):
        c.text((32, 160 + i * 120), t, size=30)
        c.text((32, 205 + i * 120), sub, size=22, color="#888888")
    c.draw.rounded_rectangle((32, 420, 688, 700), radius=12, fill="#3F51B5")
    c.text((64, 560), "夏季运动鞋限时五折", size=34, color="#FFFFFF")
    c.draw.rounded_rectangle((640, 672, 682, 694), radius=4, fill="#5C6BC0")
    c.text((645, 674), "广告", size=9, color="#C5CAE9")
    c.text((32, 740), "地铁新线路下月通车", size=30)
    img = c.array()
    assert not any("广告" in o.text for o in ocr_engine.read(img))
    ctx = ScreenContext(img, ocr=ocr_engine)
    assert any(t.text == "广告" and t.box.overlaps(Box(640, 672, 682, 694)) for t in ctx.texts)
    found = disguised_ad.detect(ctx)
    assert [f.rule for f in found] == ["disguised_ad.ad_badge"], found
