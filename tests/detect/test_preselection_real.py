"""Pre-selection on real-screen terms (issue #11): labels must be words, topics whole words,
and high/medium needs evidence the user did not set the state. Screens are uiautomator XML
over a plain frame, as a real dump of a settings page or a sign-up form would give."""

from __future__ import annotations

import numpy as np
import pytest

from darkscan.detect.finding import Severity
from darkscan.detect.screen import preselection
from darkscan.device.hierarchy import parse_hierarchy
from darkscan.geometry import Box
from darkscan.vision.context import ScreenContext

W, H = 1080, 1920
PKG = "org.example.app"


def _node(cls: str, bounds: tuple[int, int, int, int], text: str = "", *,
          checkable: bool = False, checked: bool = False, clickable: bool = False) -> str:
    x1, y1, x2, y2 = bounds
    return (f'<node index="0" text="{text}" resource-id="" class="{cls}" package="{PKG}" '
            f'content-desc="" checkable="{str(checkable).lower()}" '
            f'checked="{str(checked).lower()}" clickable="{str(clickable).lower()}" '
            f'enabled="true" focusable="false" focused="false" scrollable="false" '
            f'long-clickable="false" password="false" selected="false" '
            f'visible-to-user="true" bounds="[{x1},{y1}][{x2},{y2}]" />')


def _screen(title: str, rows: list[tuple[str, bool]], widget: str = "android.widget.Switch",
            first_seen: bool = False) -> ScreenContext:
    kids = [_node("android.widget.TextView", (48, 80, 1000, 180), title)]
    for i, (label, on) in enumerate(rows):
        y = 300 + i * 200
        kids.append(_node("android.widget.TextView", (48, y, 800, y + 120), label))
        kids.append(_node(widget, (900, y + 20, 1040, y + 100), checkable=True, checked=on,
                          clickable=True))
    xml = ("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\">"
           f'<node index="0" text="" resource-id="" class="android.widget.FrameLayout" '
           f'package="{PKG}" content-desc="" checkable="false" checked="false" '
           f'clickable="false" enabled="true" focusable="false" focused="false" '
           f'scrollable="false" long-clickable="false" password="false" selected="false" '
           f'visible-to-user="true" bounds="[0,0][{W},{H}]">' + "".join(kids) +
           "</node></hierarchy>")
    seen = {Box(900, 320 + i * 200, 1040, 400 + i * 200): on
            for i, (_, on) in enumerate(rows)} if first_seen else None
    return ScreenContext(np.full((H, W, 3), 255, np.uint8), parse_hierarchy(xml), density=3.0,
                         first_seen=seen)


SETTINGS = [("Share usage data with partners", True), ("Dark theme", True),
            ("Auto-play videos", True)]


@pytest.mark.parametrize("first_seen", [False, True])
def test_an_apps_own_settings_list_is_at_most_low(ocr_engine, first_seen: bool) -> None:
    (f,) = preselection.detect(_screen("Settings", SETTINGS, first_seen=first_seen))
    assert f.rule == "prechecked_data_sharing" and f.severity is Severity.LOW
    assert f.evidence["settings_list"] is True


def test_a_sign_up_form_is_evidence_nobody_ticked_it(ocr_engine) -> None:
    ctx = _screen("Create your account", [("Share my data with partners", True)],
                  widget="android.widget.CheckBox")
    (f,) = preselection.detect(ctx)
    assert f.severity is Severity.HIGH and f.evidence["not_set_by_user"] == "sign_up_form"


def test_a_lone_screenshot_tick_without_context_is_low(ocr_engine) -> None:
    ctx = _screen("Export", [("Share my data with partners", True)],
                  widget="android.widget.CheckBox")
    (f,) = preselection.detect(ctx)
    assert f.severity is Severity.LOW and f.evidence["not_set_by_user"] is None
    # the crawler's first-seen record is the evidence
    ctx = _screen("Export", [("Share my data with partners", True)],
                  widget="android.widget.CheckBox", first_seen=True)
    (f,) = preselection.detect(ctx)
    assert f.severity is Severity.HIGH and f.evidence["not_set_by_user"] == "first_seen"


@pytest.mark.parametrize("label", ["On", "OFF", "uo", "开", "A"])
def test_a_switch_state_or_fragment_is_no_label(ocr_engine, label: str) -> None:
    assert preselection.detect(_screen("Create account", [(label, True)])) == []


@pytest.mark.parametrize("label,topic", [
    ("Policyholder name", None), ("Determs", None), ("Email offers", "marketing"),
    ("Send me notifications", "notifications"), ("接收营销短信", "marketing")])
def test_topics_match_whole_words(ocr_engine, label: str, topic: str | None) -> None:
    found = preselection.detect(_screen("Create account", [(label, True)],
                                        widget="android.widget.CheckBox"))
    assert [f.evidence["topics"][0] for f in found] == ([topic] if topic else [])
