"""Flow-file validation, goal predicates and the screen key, on real virtual-device XML."""

from __future__ import annotations

from pathlib import Path

import pytest

from darkscan.cli import main
from darkscan.crawl import load_flow
from darkscan.crawl.goals import BUILTIN_GOALS
from darkscan.crawl.observe import Observer
from darkscan.crawl.safety import SafetyRules, StopReason
from darkscan.device.virtual import VirtualDevice, load_app
from darkscan.errors import FlowError
from darkscan.lexicon.normalize import normalize

REPO = Path(__file__).resolve().parents[2]
KANJU = REPO / "src" / "darkscan" / "apps" / "kanju_zh.yaml"


def _flow(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "f.yaml"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("text, key, problem", [
    ("target: {app: nope.yaml}\n", "target.app", "not found"),
    ("target: {app: bundled:kanju_zh}\nbudget: {max_steps: 0}\n", "budget.max_steps", "at least"),
    ("target: {app: bundled:kanju_zh}\nbudgett: 3\n", "budgett", "unknown key"),
    ("target: {package: nodots}\n", "target.package", "package name"),
    ("target: {app: bundled:kanju_zh}\ngoals: {mine: {widget: switch}}\n", "goals.mine", "labels"),
    ("target: {app: bundled:kanju_zh}\ngoals: {x: {labels: [a], widget: knob}}\n",
     "goals.x.widget", "expected one of"),
    ("target: {app: bundled:kanju_zh}\nsetup: [{tap: {txt: 登录}}]\n", "setup[0].tap.txt",
     "unknown key"),
    ("target: {app: bundled:kanju_zh}\nsetup: [{type: {text: a}}]\n", "setup[0].type", "value"),
    ("name: x\n", "target", "missing"),
])
def test_flow_errors_name_file_key_problem(tmp_path: Path, text: str, key: str,
                                           problem: str) -> None:
    p = _flow(tmp_path, text)
    with pytest.raises(FlowError) as e:
        load_flow(p)
    assert e.value.path == str(p) and e.value.key == key and problem in e.value.problem
    assert str(e.value).startswith(f"{p}: {key}: ")


def test_bad_flow_is_one_line_on_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    p = _flow(tmp_path, "target: [1, 2]\n")
    assert main(["crawl", str(p), "--out", str(tmp_path / "o")]) == 2
    err = " ".join(capsys.readouterr().err.split())  # rich wraps long lines
    assert f"{p}: target: expected a mapping" in err and "Traceback" not in err


def test_every_shipped_flow_loads() -> None:
    flows = sorted((REPO / "flows").glob("*.yaml"))
    assert len(flows) >= 3
    for f in flows:
        load_flow(f)


def test_flow_goal_override_extend_drop_and_add(tmp_path: Path) -> None:
    p = _flow(tmp_path, "target: {app: bundled:kanju_zh}\n"
                        "goals:\n  cancel_subscription: {labels: [停止续订]}\n"
                        "  customer_service: false\n"
                        "  kids_mode: {labels: [青少年模式], widget: switch}\n")
    goals = load_flow(p).goals
    assert "customer_service" not in goals.names and "kids_mode" in goals.names
    cancel = goals.get("cancel_subscription")
    assert cancel is not None and len(cancel.matchers) == len(
        BUILTIN_GOALS["cancel_subscription"].matchers) + 1


def test_top_level_thresholds_reach_the_graph_detectors_and_gate_keys_win(
        tmp_path: Path) -> None:
    """docs/flows.md: ``thresholds:`` is read by the graph detectors; the gate agrees."""
    from darkscan.detect.graph.settings import Thresholds as DetectorThresholds
    from darkscan.report.gate import resolve_thresholds

    p = _flow(tmp_path, "target: {app: bundled:kanju_zh}\n"
                        "thresholds: {cancel_depth: 6, recommendation_depth: 2}\n"
                        "gate: {recommendation_depth: 3}\n")
    detector = DetectorThresholds.from_settings(load_flow(p).gate)
    assert (detector.cancel_depth, detector.recommendation_depth) == (6, 3)
    assert resolve_thresholds(p).max_cancel_steps == 6


def test_traditional_chinese_normalises_to_the_same_lexicon() -> None:
    assert normalize("取消自動續訂") == "取消自动续订"
    assert normalize("註銷帳號") == "注销账号"
    assert normalize("個人化推薦") == "个性化推荐"  # Taiwan 個人化 = mainland 个性化
    assert normalize("Turn off Auto-Renew") == "turnoffautorenew"


def _observe(device: VirtualDevice) -> "Observer":
    return Observer(device, "com.kanju.video")


def test_key_ignores_dynamic_content_but_separates_screens() -> None:
    dev = VirtualDevice([load_app(KANJU)])
    dev.app_start("com.kanju.video")
    obs = _observe(dev)
    splash = obs.observe(lambda k: False).screen
    # time passes (status-bar clock changes): same key
    for _ in range(80):
        dev.swipe(10, 10, 10, 12)
    assert obs.observe(lambda k: False).screen.key == splash.key
    skip = next(w for w in splash.widgets if w.clickable and "跳过" in w.label)
    dev.tap(*skip.bounds.center)
    consent = obs.observe(lambda k: False).screen
    assert consent.dialog and consent.key != splash.key
    agree = next(w for w in consent.widgets if w.label == "同意")
    dev.tap(*agree.bounds.center)
    home = obs.observe(lambda k: False).screen
    assert not home.dialog and home.key not in (splash.key, consent.key)
    # a scrolled home is recognised as home once scrolled back to the top
    dev.swipe(360, 1000, 360, 300)
    assert obs.observe(lambda k: k == home.key).screen.key == home.key


def test_toggling_a_switch_keeps_the_screen_key() -> None:
    dev = VirtualDevice([load_app(KANJU)])
    dev.open_screen("com.kanju.video", "settings")
    obs = _observe(dev)
    before = obs.observe(lambda k: False).screen
    switch = next(w for w in before.widgets if w.checkable)
    dev.tap(*switch.bounds.center)
    after = obs.observe(lambda k: False).screen
    assert after.key == before.key
    assert [w.checked for w in after.widgets if w.sig == switch.sig] != [switch.checked]


def test_safety_reads_the_screen_not_the_app() -> None:
    dev = VirtualDevice([load_app(KANJU)])
    rules = SafetyRules()
    obs = _observe(dev)
    for sid, label, reason in (("pay", "确认支付", StopReason.PAYMENT),
                               ("delete_account", "确认注销", StopReason.ACCOUNT_DELETION)):
        dev.open_screen("com.kanju.video", sid)
        s = obs.observe(lambda k: False).screen
        w = next(w for w in s.widgets if w.label == label)
        stop = rules.check(w, s)
        assert stop is not None and stop.reason is reason
        assert stop.evidence["signals"], stop.evidence  # what on the screen showed the risk
        back = next(w for w in s.widgets if w.clickable and w.label != label and not w.checkable)
        assert rules.check(back, s) is None  # the app bar's up arrow only leaves
