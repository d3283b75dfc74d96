"""Launch sequences on the virtual device: splash, consent, guide, popups shown on the first
launch, every launch or at random; state that survives launches; a screen that crashes once."""

from __future__ import annotations

import re
from textwrap import dedent

import pytest

from darkscan.device.virtual import VirtualDevice, parse_app
from darkscan.errors import AppFileError

APP = dedent("""\
    app:
      package: com.example.launchy
      label: Launchy
      lang: en
      start: home
      launch:
        - {screen: consent, show: first}
        - guide
        - {screen: splash, timeout: 3}
        - {screen: update, show: random, chance: 0.5}
    screens:
      consent:
        dialog: true
        title: Privacy
        widgets:
          - {type: text, text: We care about your privacy.}
          - {type: button, text: Agree, tap: next}
          - {type: button, text: Terms, style: text, tap: {go: terms}}
      terms:
        title: Terms
        back_arrow: true
        widgets: [{type: text, text: The terms.}]
      guide:
        widgets:
          - {type: text, text: Welcome}
          - {type: button, text: Start, tap: next}
      splash:
        widgets:
          - {type: image, text: AD, height: 400}
          - {type: button, text: Skip 5, tap: next}
      update:
        dialog: true
        title: New version
        widgets:
          - {type: button, text: Later, tap: next}
      home:
        title: Home
        widgets:
          - {type: row, text: Settings, tap: {go: settings}}
      settings:
        title: Settings
        back_arrow: true
        crash: once
        widgets: [{type: row, text: About}]
    """)
ANSWER = {"consent": "Agree", "guide": "Start", "splash": "Skip 5", "update": "Later"}


def _tap(dev: VirtualDevice, text: str) -> None:
    pattern = rf'text="{re.escape(text)}"[^>]*bounds="\[(\d+),(\d+)\]\[(\d+),(\d+)\]"'
    m = re.search(pattern, dev.dump_hierarchy())
    assert m is not None, text
    x1, y1, x2, y2 = map(int, m.groups())
    dev.tap((x1 + x2) // 2, (y1 + y2) // 2)


def _launch(dev: VirtualDevice) -> list[str]:
    """Start the app and answer every launch step; the screens met, in order."""
    dev.app_stop("com.example.launchy")
    dev.app_start("com.example.launchy")
    met = [dev.current_screen()[1]]
    while met[-1] != "home":
        _tap(dev, ANSWER[met[-1]])
        met.append(dev.current_screen()[1])
        assert len(met) < 10
    return met


def test_first_launch_only_steps_and_dialog_over_the_next_screen() -> None:
    dev = VirtualDevice([parse_app(APP)], seed=3)
    dev.app_start("com.example.launchy")
    xml = dev.dump_hierarchy()
    # the consent dialog is drawn over the next full-screen step (the guide), as its own window
    assert "Agree" in xml and "Welcome" in xml
    dev.app_stop("com.example.launchy")
    first = _launch(dev)
    assert first[:3] == ["consent", "guide", "splash"]
    later = [_launch(dev) for _ in range(12)]
    assert all(m[0] == "guide" for m in later)      # consent given: never again
    assert all("consent" not in m for m in later)
    with_update = [m for m in later if "update" in m]
    assert 0 < len(with_update) < len(later)        # random: some launches, not all


def test_random_steps_are_reproducible_per_seed() -> None:
    def seqs(seed: int) -> list[list[str]]:
        dev = VirtualDevice([parse_app(APP)], seed=seed)
        return [_launch(dev) for _ in range(10)]

    assert seqs(7) == seqs(7)
    assert any(seqs(s) != seqs(7) for s in (1, 2, 3))


def test_consent_not_given_shows_again_and_back_exits() -> None:
    dev = VirtualDevice([parse_app(APP)])
    dev.app_start("com.example.launchy")
    _tap(dev, "Terms")                       # a link from the consent dialog
    assert dev.current_screen()[1] == "terms"
    dev.back()                               # back to the dialog, still to be answered
    assert dev.current_screen()[1] == "consent"
    dev.app_start("com.example.launchy")
    assert dev.current_screen()[1] == "consent"   # not agreed: shown again
    _tap(dev, "Agree")
    assert dev.current_screen()[1] == "guide"
    dev.back()                                    # back on a full-screen step closes the app
    assert dev.current_screen()[0] == "com.android.launcher3"
    dev.app_start("com.example.launchy")
    assert dev.current_screen()[1] == "guide"


def test_splash_timeout_moves_on_by_itself_and_back_from_main_exits() -> None:
    dev = VirtualDevice([parse_app(APP)])
    _launch(dev)
    dev.app_start("com.example.launchy")
    _tap(dev, "Start")
    assert dev.current_screen()[1] == "splash"
    for _ in range(12):                       # 12 actions x 0.25 s = the 3 s countdown
        dev.swipe(10, 10, 10, 10)
    assert dev.current_screen()[1] in ("home", "update")
    while dev.current_screen()[1] != "home":
        _tap(dev, "Later")
    dev.back()                                # launch steps are not on the back stack
    assert dev.current_screen()[0] == "com.android.launcher3"


def test_launcher_icon_runs_the_launch_sequence() -> None:
    dev = VirtualDevice([parse_app(APP)])
    dev.home()
    _tap(dev, "Launchy")
    assert dev.current_screen() == ("com.example.launchy", "consent")


def test_crash_once_then_works() -> None:
    dev = VirtualDevice([parse_app(APP)])
    _launch(dev)
    _tap(dev, "Settings")
    assert dev.current_screen()[0] == "com.android.launcher3"
    assert dev.counters.crashes == 1
    _launch(dev)
    _tap(dev, "Settings")
    assert dev.current_screen() == ("com.example.launchy", "settings")
    assert dev.counters.crashes == 1


@pytest.mark.parametrize("old, new, problem", [
    ("- guide\n", "- guid\n", "launch step 2: no screen 'guid' (did you mean 'guide'?)"),
    ("show: first}", "show: once}", "show must be always, first or random"),
    ("chance: 0.5}", "chance: 1.5}", "'chance' must be between 0 and 1"),
    ("- guide\n", "- {screen: guide, chance: 0.2}\n", "'chance' only goes with show: random"),
    ("- guide\n", "- home\n", "'home' is the start screen"),
    ("{screen: splash, timeout: 3}", "{screen: guide, timeout: 3}",
     "'guide' is already a launch step"),
    ("timeout: 3}", "timeout: 3, back: up}", "back must be exit, next or none"),
    ("crash: once", "crash: twice", "'crash' must be true, false, once or a number"),
    ("[{type: row, text: About}]", "[{type: row, text: About, tap: next}]",
     "'next' only works on a launch step, and 'settings' is not in app: launch"),
])
def test_launch_errors_name_line_and_problem(old: str, new: str, problem: str) -> None:
    assert old in APP
    text = APP.replace(old, new, 1)
    with pytest.raises(AppFileError) as info:
        parse_app(text, "bad.yaml")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if new.strip("\n") in t)
    assert f"bad.yaml:{line}:" in str(info.value)
    assert problem in str(info.value)
