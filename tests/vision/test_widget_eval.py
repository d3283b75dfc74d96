"""Pixel-only widgets scored against real view trees (DroidBot crawls of five F-Droid apps).

The matching rules (coordinate mapping, stale trees, system UI, one-to-one matching) are
tested on small synthetic states; the figures on the real corpus are asserted and printed
when ``../shared/corpus/droidbot-fdroid`` is beside the checkout (skipped otherwise).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from darkscan.evaluation.widgets import (
    TUNED_APPS,
    evaluate_widgets,
    load_droidbot,
    match_screen,
    ocr_for_widgets,
    pixel_detector,
    read_state,
)
from darkscan.geometry import Box
from darkscan.vision.model import Widget, WidgetKind

FDROID = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "droidbot-fdroid"


def _view(i: int, cls: str, b: list[int], parent: int = 0, **kw) -> dict:
    return {"temp_id": i, "parent": parent, "class": cls, "package": kw.pop("package", "a.b"),
            "bounds": [[b[0], b[1]], [b[2], b[3]]], "visible": True, "checked": False, **kw}


def _state(tmp: Path, views: list[dict], size=(1080, 2340), front="a.b/.Main") -> tuple[Path, Path]:
    states = tmp / "app" / "states"
    states.mkdir(parents=True, exist_ok=True)
    sj, img = states / "state_t1.json", states / "screen_t1.jpg"
    sj.write_text(json.dumps({"foreground_activity": front, "views": views}), "utf-8")
    Image.new("RGB", size, "white").save(img)
    return sj, img


def test_view_tree_maps_to_the_screenshot_and_keeps_only_visible_app_controls(tmp_path) -> None:
    views = [_view(0, "android.widget.FrameLayout", [0, 0, 540, 960], parent=-1),
             _view(1, "android.widget.Switch", [400, 100, 500, 150], checked=True),
             _view(2, "android.widget.CheckBox", [20, 200, 70, 250]),
             _view(3, "android.widget.Button", [20, 300, 300, 380], text="OK"),
             _view(4, "android.widget.ImageButton", [20, 400, 100, 480]),
             _view(5, "android.widget.CheckBox", [20, 957, 70, 1007]),          # a sliver
             _view(6, "android.widget.Button", [20, 500, 300, 580], visible=False),
             _view(7, "android.widget.Switch", [0, 0, 60, 60], parent=-1,
                   package="com.android.systemui")]
    sj, img = _state(tmp_path, views, size=(1080, 2340))
    s = read_state(sj, img)
    assert s is not None
    kinds = [(t.kind, t.box, t.checked) for t in s.truth]
    assert kinds == [(WidgetKind.SWITCH, Box(800, 200, 1000, 300), True),
                     (WidgetKind.CHECKBOX, Box(40, 400, 140, 500), False),
                     (WidgetKind.BUTTON, Box(40, 600, 600, 760), None)]
    assert s.windows == (Box(0, 0, 1080, 1920),)
    # a prediction in the black padding below the window is not scored
    r = match_screen(s, [Widget(WidgetKind.CHECKBOX, Box(40, 2000, 140, 2100), False)])
    assert r.predictions == ()


def test_centred_dialog_window_gives_the_screen_width(tmp_path) -> None:
    views = [_view(0, "android.widget.FrameLayout", [27, 500, 1053, 1200], parent=-1),
             _view(1, "android.widget.Button", [700, 1050, 1000, 1180], text="OK")]
    sj, img = _state(tmp_path, views, size=(540, 1170))
    s = read_state(sj, img)
    assert s is not None and s.truth[0].box == Box(350, 525, 500, 590)


def test_a_stale_tree_from_the_previous_app_is_skipped(tmp_path) -> None:
    views = [_view(0, "android.widget.FrameLayout", [0, 0, 1080, 1920], parent=-1)]
    sj, img = _state(tmp_path, views, front="com.android.launcher3/.Launcher")
    assert read_state(sj, img) is None


def test_matching_is_one_to_one_by_iou_or_inside_the_view(tmp_path) -> None:
    views = [_view(0, "android.widget.FrameLayout", [0, 0, 1080, 1920], parent=-1),
             _view(1, "android.widget.Switch", [100, 100, 1000, 244], checked=True,
                   text="Wi-Fi"),                                  # a row with its switch
             _view(2, "android.widget.CheckBox", [100, 400, 160, 460])]
    sj, img = _state(tmp_path, views, size=(1080, 1920))
    s = read_state(sj, img)
    preds = [Widget(WidgetKind.SWITCH, Box(880, 140, 980, 200), False),   # inside the row
             Widget(WidgetKind.SWITCH, Box(700, 140, 800, 200), True),    # a second one: no
             Widget(WidgetKind.CHECKBOX, Box(102, 402, 162, 462), False),  # IoU
             Widget(WidgetKind.RADIO, Box(100, 400, 160, 460), True)]      # wrong kind
    c = match_screen(s, preds).counts()
    assert (c[WidgetKind.SWITCH].correct, c[WidgetKind.SWITCH].predictions) == (1, 2)
    assert c[WidgetKind.SWITCH].state_scored == 1
    assert c[WidgetKind.CHECKBOX].found == 1 and c[WidgetKind.CHECKBOX].state_correct == 1
    assert c[WidgetKind.RADIO].correct == 0 and c[WidgetKind.RADIO].predictions == 1


@pytest.fixture(scope="module")
def fdroid():
    if not FDROID.is_dir():
        pytest.skip("droidbot-fdroid corpus not present beside the checkout")
    return load_droidbot(FDROID)


@pytest.mark.slow
def test_toggles_from_shapes_on_192_real_screens(fdroid) -> None:
    report = evaluate_widgets(fdroid, pixel_detector(None))
    t = report.toggles()
    print(f"\nF-Droid toggles, shapes only ({len(fdroid)} screens): P {t.precision:.2f} "
          f"R {t.recall:.2f} state {t.state_accuracy:.2f} (truth {t.truth}, pred {t.predictions})")
    for kind, c in report.counts().items():
        if kind is not WidgetKind.BUTTON:
            print(f"  {kind.value}: {c.to_dict()}")
    assert t.truth >= 30
    assert t.precision >= 0.95 and t.recall >= 0.90 and t.state_accuracy >= 0.97


@pytest.mark.slow
def test_buttons_with_ocr_on_every_real_screen_with_a_button(fdroid) -> None:
    """Button recall over all five apps. Recall is counted on the screens whose tree holds a
    button, so only those are read with OCR (28 of 161): the figure is the whole set's
    recall; precision here is over those screens only (bench/widgets.py prints it over all)."""
    with_buttons = [s for s in fdroid if any(t.kind is WidgetKind.BUTTON for t in s.truth)]
    report = evaluate_widgets(with_buttons, pixel_detector(ocr_for_widgets()))
    b = report.counts()[WidgetKind.BUTTON]
    apps = sorted({s.app for s in fdroid})
    tuned = report.counts([a for a in apps if a in TUNED_APPS])[WidgetKind.BUTTON]
    held = report.counts([a for a in apps if a not in TUNED_APPS])[WidgetKind.BUTTON]
    print(f"\nF-Droid buttons with OCR, {len(with_buttons)} screens with a button: "
          f"R {b.recall:.2f} ({b.found}/{b.truth}; tuned apps {tuned.found}/{tuned.truth}, "
          f"held out {held.found}/{held.truth}), P on these screens {b.precision:.2f}")
    assert b.truth >= 40 and b.recall >= 0.85
