"""Long screens (issue #10.4): a screen taller than the display is captured in scroll segments,
per-screen detectors run on all of it, its key does not depend on the scroll position, and the
report shows it whole.

The test app (apps/longfeed_zh.yaml) is a feed about three displays tall whose fifth card is an
ad marked only by an 8 sp 广告 label: in no screenshot taken at the top of the screen.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from darkscan.analysis import analyze_screen
from darkscan.crawl import Budget, crawl, virtual_flow
from darkscan.crawl.observe import Observer, swipe_up
from darkscan.detect.registry import screen_detectors
from darkscan.device.virtual import VirtualDevice, load_app
from darkscan.runfolder import RunFolder

APP = Path(__file__).parent / "apps" / "longfeed_zh.yaml"
PACKAGE = "com.test.longfeed"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("longfeed") / "run"
    device = VirtualDevice([load_app(APP)])
    crawl(virtual_flow(APP, budget=Budget(max_steps=60, max_minutes=5)), out, device=device)
    return out


def _home(folder: RunFolder) -> str:
    """The feed screen: the app screen whose record has scroll segments."""
    homes = [sid for sid in folder.screen_ids() if folder.screen(sid).package == PACKAGE
             and folder.screen(sid).segments]
    assert len(homes) == 1, homes
    return homes[0]


def test_long_screen_is_captured_in_segments_and_stitched(run: Path) -> None:
    folder = RunFolder(run)
    sid = _home(folder)
    top = np.asarray(Image.open(folder.image_path(sid)))
    segs = folder.segments(sid)
    assert len(segs) >= 2 and all(s.xml is not None for s in segs)
    offsets = [s.offset for s in segs]
    assert offsets == sorted(offsets) and offsets[0] > 0
    whole = np.asarray(Image.open(folder.full_image_path(sid)))
    assert whole.shape[1] == top.shape[1] and whole.shape[0] == top.shape[0] + offsets[-1]
    assert folder.screen(sid).get("full_height") == whole.shape[0]
    # the stitched image agrees with every segment inside the scroller, at the segment's offset
    y1, y2 = folder.screen(sid).get("scroller")[1::2]
    for s in segs:
        seg = np.asarray(Image.open(s.image))[:, :, :3]
        band = slice(y2 - 40, y2 - 10)  # rows this viewport revealed
        shifted = slice(band.start + s.offset, band.stop + s.offset)
        assert np.abs(whole[shifted].astype(int) - seg[band].astype(int)).mean() < 2.0
    # the ad label is in a segment's hierarchy, not in the top one
    assert "广告" not in Path(folder.xml_path(sid)).read_text(encoding="utf-8")
    assert any("广告" in s.xml.read_text(encoding="utf-8") for s in segs if s.xml)


def test_finding_below_the_fold_of_a_long_feed(run: Path, ocr_engine) -> None:
    """Regression: the 8 sp 广告 card several swipes down is found, on the whole screen."""
    folder = RunFolder(run)
    sid = _home(folder)
    viewport = np.asarray(Image.open(folder.image_path(sid))).shape[0]
    here = analyze_screen(folder, sid, screen_detectors(), ocr=ocr_engine)
    ads = [f for f in here if f.rule == "disguised_ad.ad_badge"]
    assert len(ads) == 1, [(f.rule, f.bbox) for f in here]
    assert ads[0].bbox.y1 >= viewport and ads[0].evidence["scroll_offset"] > 0
    whole_h = folder.screen(sid).get("full_height")
    assert ads[0].bbox.y2 <= whole_h
    # a viewport of a scrolled feed is no ad screen of its own
    assert not [f for f in here if f.category.value == "ad_close_obstruction"]


def test_screen_key_does_not_depend_on_scroll_position() -> None:
    device = VirtualDevice([load_app(APP)])
    device.app_start(PACKAGE)
    obs = Observer(device, PACKAGE)
    fresh = obs.observe(lambda k: False).screen
    assert fresh.segments and fresh.scroller is not None
    # leave the feed half-scrolled, then observe it again as a new screen
    from darkscan.crawl.observe import _scrollable
    from darkscan.crawl.state import top_windows

    _, _, h, _ = obs.raw()
    keyed, _, _ = top_windows(h.for_package(PACKAGE), obs.width, obs.height)
    scroller = _scrollable(keyed)
    assert scroller is not None
    swipe_up(device, scroller)
    swipe_up(device, scroller)
    again = obs.observe(lambda k: False).screen
    assert again.key == fresh.key
    assert [s.offset for s in again.segments] == [s.offset for s in fresh.segments]


def test_report_shows_the_whole_long_screen(run: Path) -> None:
    from darkscan.report.load import read_screens

    folder = RunFolder(run)
    sid = _home(folder)
    screens = read_screens(folder)
    assert screens[sid].image == folder.full_image_path(sid) != folder.image_path(sid)


def test_renewal_terms_far_below_the_subscribe_button(tmp_path: Path, ocr_engine) -> None:
    """Regression: a paywall whose 到期自动续费 terms sit three swipes below the price and the
    button has terms (not "missing" - they are on the screen) that are not conspicuous (below
    the fold), found on the whole screen."""
    app = Path(__file__).parent / "apps" / "longpaywall_zh.yaml"
    out = tmp_path / "run"
    crawl(virtual_flow(app, budget=Budget(max_steps=30, max_minutes=5)), out,
          device=VirtualDevice([load_app(app)]))
    folder = RunFolder(out)
    sid = next(s for s in folder.screen_ids() if folder.screen(s).segments)
    viewport = np.asarray(Image.open(folder.image_path(sid))).shape[0]
    here = analyze_screen(folder, sid, screen_detectors(), ocr=ocr_engine)
    rules = [f.rule for f in here if f.category.value == "hidden_auto_renewal"]
    assert "renewal_terms_missing" not in rules, rules
    hidden = [f for f in here if f.rule == "renewal_terms_not_conspicuous"]
    assert len(hidden) == 1 and "below the fold" in hidden[0].message
    assert hidden[0].bbox.y1 >= viewport
