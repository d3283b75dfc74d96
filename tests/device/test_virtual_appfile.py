"""App-file loading: every shipped app loads; bad files fail with FILE:LINE: problem."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from darkscan.device.virtual import load_app, parse_app
from darkscan.device.virtual.model import ActionKind, WidgetType
from darkscan.errors import AppFileError, DarkscanError

REPO = Path(__file__).resolve().parents[2]
APP_FILES = sorted((REPO / "src/darkscan/apps").glob("*.yaml")) + sorted(
    (REPO / "tests/apps").glob("*.yaml"))

GOOD = dedent("""\
    app:
      package: com.example.t
      label: T
      start: a
    design:
      expect: [1, 2]
    screens:
      a:
        title: A
        widgets:
          - {type: button, text: Go, tap: {go: b}}
          - {type: switch, text: S, checked: true, sticky: true}
      b:
        dialog: true
        widgets:
          - {type: button, text: Close, tap: close}
    """)


def _error(text: str) -> AppFileError:
    with pytest.raises(AppFileError) as info:
        parse_app(text, "bad.yaml")
    return info.value


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: p.name)
def test_every_app_file_loads(path: Path) -> None:
    app = load_app(path)
    assert app.start in app.screens
    assert app.package.count(".") >= 1


def test_good_file_keeps_design_as_plain_metadata() -> None:
    app = parse_app(GOOD, "good.yaml")
    assert app.design == {"expect": [1, 2]}
    assert type(app.design) is dict
    button, switch = app.screen("a").widgets
    assert button.type is WidgetType.BUTTON and button.tap is not None
    assert button.tap.kind is ActionKind.GO and button.tap.target == "b"
    assert switch.sticky and switch.checked


@pytest.mark.parametrize(
    "old, new, needle, problem",
    [
        ("{type: button, text: Go", "{type: buton, text: Go", "buton",
         "unknown widget type 'buton' (did you mean 'button'?)"),
        ("title: A", "titel: A", "titel", "unknown key 'titel' (did you mean 'title'?)"),
        ("tap: {go: b}", "tap: {go: nowhere}", "nowhere", "no screen 'nowhere'"),
        ("tap: close", "tap: clsoe", "clsoe", "unknown action 'clsoe' (did you mean 'close'?)"),
        ("checked: true, sticky", "checked: yes please, sticky", "yes please",
         "'checked' must be true or false"),
        ("label: T", "label: T\n  theme: {primary: \"#12345\"}", "#12345",
         "bad colour '#12345'"),
        ("label: T", "label: T\n  theme:\n    primary: #123456", "#123456",
         "an unquoted # starts a YAML comment"),
        ("start: a", "start: zz", "start: zz", "start screen 'zz' does not exist"),
        ("start: a", "start: b", "start: b", "start screen 'b' is a dialog"),
        ("package: com.example.t", "package: nodots", "nodots", "not a Java package name"),
        ("title: A", "title: A\n    title: B", "title: B", "duplicate key 'title'"),
        ("    title: A", "    title: A\n    popup: {screen: a}", "popup",
         "popup screen 'a' must have dialog: true"),
        ("{type: button, text: Go, tap: {go: b}}", "{type: row, text: R, icon: hoem}", "hoem",
         "unknown icon 'hoem' (did you mean 'home'?)"),
    ],
)
def test_bad_file_names_file_line_and_problem(old: str, new: str, needle: str,
                                              problem: str) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    err = _error(text)
    assert err.path == "bad.yaml"
    assert err.line == _line_of(text, needle), str(err)
    assert problem in err.problem, str(err)
    assert str(err).startswith(f"bad.yaml:{err.line}: ")


def test_yaml_syntax_error_has_line() -> None:
    text = GOOD.replace("title: A", "title: [A", 1)
    err = _error(text)
    assert err.line is not None and err.line >= _line_of(text, "title: [A")
    assert "YAML syntax" in err.problem


def test_missing_sections_and_files() -> None:
    assert "missing the 'screens:' section" in _error("app: {package: a.b}\n").problem
    assert "missing the 'app:' section" in _error("screens: {}\n").problem
    with pytest.raises(AppFileError, match="no such file"):
        load_app("/nonexistent/app.yaml")


def test_errors_are_darkscan_input_errors() -> None:
    err = _error(GOOD.replace("type: button", "type: nope"))
    assert isinstance(err, DarkscanError) and err.exit_code == 2


def test_radio_and_list_validation() -> None:
    text = GOOD.replace("{type: button, text: Go, tap: {go: b}}",
                        "{type: radio, options: [x, y], selected: 5}")
    assert "only 2 options" in _error(text).problem
    text = GOOD.replace("{type: button, text: Go, tap: {go: b}}", "{type: list}")
    assert "missing required key 'count'" in _error(text).problem


def test_error_from_a_file_names_that_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(GOOD.replace("type: switch", "type: swich"), encoding="utf-8")
    with pytest.raises(AppFileError) as info:
        load_app(path)
    assert str(info.value) == (f"{path}:{_line_of(path.read_text(), 'swich')}: screen 'a': "
                               "unknown widget type 'swich' (did you mean 'switch'?)")


def test_missing_cjk_font_names_the_debian_package(monkeypatch: pytest.MonkeyPatch) -> None:
    from darkscan.device.virtual import fonts
    from darkscan.errors import EnvironmentProblem

    monkeypatch.setattr(fonts.shutil, "which", lambda _name: None)  # no fontconfig
    monkeypatch.setattr(fonts, "_FALLBACKS", {False: ("/nonexistent.ttc",),
                                              True: ("/nonexistent.ttc",)})
    fonts.font_path.cache_clear()
    try:
        with pytest.raises(EnvironmentProblem, match="fonts-noto-cjk"):
            fonts.font_path(False)
    finally:
        fonts.font_path.cache_clear()
