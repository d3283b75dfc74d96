"""The app generator is reproducible and writes valid app files; the oracle counts steps the way
metrics.json does (docs/crawler.md), from the model alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from darkscan.device.virtual import VirtualDevice, load_app
from darkscan.evaluation.appgen import GenOptions, dump, generate, truths, write
from darkscan.evaluation.appgen.model import AppModel, S, W
from darkscan.evaluation.appgen.oracle import launch_state, moves


def test_same_seed_same_app_different_seed_different_app() -> None:
    a, b = dump(generate(11)), dump(generate(11))
    assert a == b
    assert dump(generate(12)) != a


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4, 5])
def test_written_apps_load_and_cover_sizes(tmp_path: Path, seed: int) -> None:
    opt = GenOptions(min_screens=10, max_screens=300)
    app = generate(seed, opt)
    loaded = load_app(write(app, tmp_path / f"g{seed}.yaml"))
    assert len(loaded.screens) == len(app.screens) >= 10
    dev = VirtualDevice([loaded])
    dev.app_start(loaded.package)
    first = launch_state(app)
    assert first is not None and dev.current_screen() == (loaded.package, first[0])


def test_sample_covers_the_features_and_languages() -> None:
    feats: set[str] = set()
    langs: set[str] = set()
    present = {True: 0, False: 0}
    for seed in range(60):
        app = generate(seed, GenOptions(max_screens=40))
        feats |= app.features
        langs.add(app.lang)
        for t in truths(app).values():
            present[t.present] += 1
    assert langs == {"zh-Hans", "zh-Hant", "en"}
    assert {"cross_link", "icon_only", "overflow_menu", "more_page", "drawer", "splash",
            "back_button", "terms_two_parents", "crash_screen", "crash_action", "external_app",
            "secure", "slow", "sticky_switch", "popup", "password_field", "crash_once",
            "consent_dialog", "consent_page", "guide", "login_wall", "update_popup"} <= feats
    assert present[True] > 0 and present[False] > 0


def _tiny() -> AppModel:
    """home ⇄ (tab) mine › vip › terms; mine › settings › about › legal › terms / policy;
    settings has a popup on every entry; terms' only way out is back (navigate up)."""
    tabs = [("Home", "home", "home"), ("Me", "user", "mine")]
    screens = {
        "home": S("home", tabs=tabs, tab_index=0),
        "mine": S("mine", tabs=tabs, tab_index=1, widgets=[
            W("row", "Premium", "go", "vip"), W("row", "Settings", "go", "settings")]),
        "vip": S("vip", title="Premium", back_arrow=True, widgets=[
            W("button", "Subscribe now", "go", "pay", goal="subscribe"),
            W("row", "Terms of Use", "go", "terms")]),
        "pay": S("pay", widgets=[W("button", "Pay now", "pay", "mine")]),
        "settings": S("settings", back_arrow=True, popup=("promo", 99), widgets=[
            W("row", "About", "go", "about")]),
        "promo": S("promo", dialog=True, widgets=[W("button", "Not now", "close"),
                                                  W("button", "See offer", "go", "vip")]),
        "about": S("about", back_arrow=True, widgets=[W("row", "Legal", "go", "legal")]),
        "legal": S("legal", back_arrow=True, widgets=[
            W("row", "Terms of Use", "go", "terms"),
            W("row", "Privacy Policy", "go", "policy", goal="privacy_policy")]),
        "terms": S("terms", back_arrow=True, widgets=[W("button", "Back", "back")]),
        "policy": S("policy", back_arrow=True),
    }
    return AppModel(0, "com.gen.tiny", "Tiny", "en", (360, 640, 1.0), "home", "home", screens)


def test_oracle_counts_popups_and_never_uses_back_shortcuts() -> None:
    t = truths(_tiny())
    # Me, Settings, (popup) Not now, About, Legal, + tap Privacy Policy; never the shorter
    # looking Me › Premium › Terms of Use › back › (legal) that a recorded "up" edge suggests
    assert t["privacy_policy"].present and t["privacy_policy"].from_launch == 6
    assert t["privacy_policy"].path == ("Me", "Settings", "back", "About", "Legal")
    assert t["subscribe"].from_launch == 3                     # Me › Premium › Subscribe now
    assert not t["delete_account"].present and t["delete_account"].from_launch is None
    assert t["uninstall"].from_launch == 4


def test_forward_moves_follow_the_device() -> None:
    app = _tiny()
    labels = {label: nxt for label, nxt in moves(app, ("mine", None))}
    assert labels["Settings"] == ("promo", "settings")       # the popup opens over settings
    assert labels["Home"] == ("home", None)                    # the other tab
    promo = dict(moves(app, ("promo", "settings")))
    assert promo["back"] == ("settings", None) and promo["See offer"] == ("vip", None)
    assert moves(app, ("terms", None)) == []                   # only back leaves Terms


def test_oracle_matches_the_virtual_device(tmp_path: Path) -> None:
    """Walk the oracle's path on the virtual device, from a fresh install: it reaches a screen
    with the goal's control (a screen that crashes on its first entry is walked again)."""
    for seed in range(12):
        app = generate(seed, GenOptions(max_screens=30))
        loaded = load_app(write(app, tmp_path / f"w{seed}.yaml"))
        for goal, t in truths(app).items():
            if not t.present or goal == "uninstall":
                continue
            dev = VirtualDevice([loaded])
            for attempt in range(2):
                state = _walk(app, dev, t.path)
                if state is not None or "crash_once" not in app.features:
                    break
            assert state is not None, (seed, goal, t.path)
            assert any(w.goal == goal for w in app.screen(state[0]).all_widgets())


def _walk(app: AppModel, dev: VirtualDevice, path: tuple[str, ...]) -> tuple | None:
    dev.app_start(app.package)
    state = launch_state(app)
    assert state is not None
    for label in path:
        if dev.current_screen()[1] != state[0]:
            return None
        nxt = dict(moves(app, state))[label]
        if label == "back":
            dev.back()
        else:
            _tap_label(dev, label)
        state = nxt
    return state if dev.current_screen()[1] == state[0] else None


def _tap_label(dev: VirtualDevice, label: str) -> None:
    from darkscan.device.hierarchy import parse_hierarchy

    h = parse_hierarchy(dev.dump_hierarchy())
    for n in reversed(h.clickable()):  # the top window (a dialog) first
        if n.text == label or n.content_desc == label or any(c.text == label for c in n.iter()):
            x, y = n.bounds.center
            dev.tap(x, y)
            return
    raise AssertionError(f"no clickable {label!r} on screen")
