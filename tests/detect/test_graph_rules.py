"""Graph rules over small hand-written run folders (the documented formats) and one rendered
launcher: budget-vs-exhausted severities, cancel-flow friction, thresholds, launcher probes."""

from __future__ import annotations

import json
from pathlib import Path

from darkscan.crawl.probes import icon_visibility, probe_launcher
from darkscan.detect.finding import Category, Severity
from darkscan.detect.graph import analyze_graph
from darkscan.detect.graph.paths import main_screen
from darkscan.detect.graph.rundata import load_run
from darkscan.device.virtual.device import VirtualDevice

REPO = Path(__file__).resolve().parents[2]


def _w(text: str, y: int, *, checkable: bool = False, checked: bool = False,
       clickable: bool = True) -> dict:
    return {"bounds": [0, y, 720, y + 96], "class": "android.widget.Switch" if checkable
            else "android.widget.TextView", "text": "" if checkable else text, "label": text,
            "resource_id": "", "clickable": clickable, "checkable": checkable,
            "checked_first_seen": checked}


def write_run(root: Path, screens: dict[str, list[dict]], links: list[tuple[str, str, str]],
              *, status: str = "done", dialogs: tuple[str, ...] = (), flow: str | None = None,
              goals: dict | None = None) -> Path:
    """A run folder: screens (id -> widgets), links (source, target, tapped label)."""
    (root / "screens").mkdir(parents=True)
    ids = list(screens)
    for i, (sid, widgets) in enumerate(screens.items()):
        (root / "screens" / f"{sid}.json").write_text(json.dumps(
            {"id": sid, "key": sid, "activity": ".A", "package": "com.example.app",
             "dialog": sid in dialogs, "secure": False, "first_seen": i, "widgets": widgets},
            ensure_ascii=False), encoding="utf-8")
    graph = {"directed": True, "multigraph": True, "graph": {"root": ids[0]},
             "nodes": [{"id": s, "kind": "app", "dialog": s in dialogs} for s in ids],
             "links": [{"source": a, "target": b, "key": lab, "action": lab,
                        "kind": "back" if lab == "back" else "tap", "step": n + 1}
                       for n, (a, b, lab) in enumerate(links)]}
    (root / "graph.json").write_text(json.dumps(graph, ensure_ascii=False), encoding="utf-8")
    (root / "run.json").write_text(json.dumps(
        {"app": {"package": "com.example.app", "label": "示例"}, "status": status,
         "device": {"width": 720, "height": 1280}, "flow": flow}), encoding="utf-8")
    (root / "metrics.json").write_text(json.dumps({"goals": goals or {}, "coverage": {}}),
                                       encoding="utf-8")
    return root


TABS = [_w("首页", 1180), _w("我的", 1180)]


def feed_app(root: Path, status: str) -> Path:
    """A feed that recommends content; settings hold no recommendation switch."""
    return write_run(root, {
        "home": [_w("猜你喜欢", 100, clickable=False), _w("热门剧集", 200), *TABS],
        "me": [_w("设置", 100), _w("客服中心", 200), *TABS],
        "settings": [_w("隐私政策", 100), _w("注销账号", 200), _w("自动播放", 300, checkable=True)],
        "show": [_w("第1集", 100)],
    }, [("home", "show", "热门剧集"), ("home", "me", "我的"), ("me", "home", "首页"),
        ("me", "settings", "设置"), ("settings", "me", "back")], status=status)


def test_missing_switch_is_high_only_when_exploration_was_exhausted(tmp_path: Path) -> None:
    done = analyze_graph(feed_app(tmp_path / "done", "done"))
    budget = analyze_graph(feed_app(tmp_path / "budget", "budget"))
    (f_done,) = [f for f in done if f.category is Category.MISSING_RECOMMENDATION_OFF]
    (f_budget,) = [f for f in budget if f.category is Category.MISSING_RECOMMENDATION_OFF]
    assert (f_done.severity, f_done.evidence["exploration"]) == (Severity.HIGH, "exhausted")
    assert (f_budget.severity, f_budget.evidence["exploration"]) == (Severity.INFO, "budget")
    assert "inconclusive" in f_budget.message
    # the deciding screen of an absence is the app's settings screen
    assert f_done.screen == "settings"


def test_goal_table_reason_overrides_a_finished_run(tmp_path: Path) -> None:
    root = feed_app(tmp_path / "r", "done")
    (root / "metrics.json").write_text(json.dumps({"goals": {"recommendation_off": {
        "found": False, "steps": None, "path": [], "reason": "budget"}}}), encoding="utf-8")
    (f,) = [f for f in analyze_graph(root) if f.category is Category.MISSING_RECOMMENDATION_OFF]
    assert f.severity is Severity.INFO


def test_app_without_recommended_content_gets_no_switch_finding(tmp_path: Path) -> None:
    root = write_run(tmp_path / "r", {
        "home": [_w("计算器", 100), *TABS], "me": [_w("设置", 100), *TABS],
        "settings": [_w("隐私政策", 100), _w("注销账号", 200), _w("客服热线 400-800-1234", 300)]},
        [("home", "me", "我的"), ("me", "home", "首页"), ("me", "settings", "设置")])
    assert [f for f in analyze_graph(root) if f.severity is not Severity.INFO] == []


def test_splash_and_consent_dialog_are_not_the_main_screen(tmp_path: Path) -> None:
    root = write_run(tmp_path / "r", {
        "splash": [_w("跳过", 40), _w("广告详情", 600)],
        "consent": [_w("《隐私政策》", 300), _w("同意", 500)],
        "home": [_w("推荐", 100), *TABS], "me": [_w("设置", 100), *TABS],
        "ad": [_w("活动", 100)], "policy": [_w("隐私政策全文", 100, clickable=False)]},
        [("splash", "consent", "跳过"), ("splash", "ad", "广告详情"), ("ad", "splash", "back"),
         ("consent", "policy", "《隐私政策》"), ("consent", "home", "同意"),
         ("home", "me", "我的"), ("me", "home", "首页")], dialogs=("consent",))
    assert main_screen(load_run(root)) == "home"


def cancel_app(root: Path, *, flow: str | None = None) -> Path:
    """Cancel under 我的 › 帮助与反馈 › 关于 › 会员 (unrelated menus), then a retention offer and
    two confirmations; subscribing is one tap from home."""
    return write_run(root, {
        "home": [_w("立即开通会员", 100), *TABS],
        "me": [_w("帮助与反馈", 100), _w("客服中心", 200), _w("设置", 300), *TABS],
        "help": [_w("关于", 100)], "about": [_w("会员", 100)],
        "member": [_w("取消自动续费", 100)],
        "offer": [_w("送你7天会员，再考虑一下？", 100, clickable=False), _w("仍要取消", 300)],
        "confirm": [_w("确认取消自动续费？", 100, clickable=False), _w("确定", 300)],
        "done": [_w("已取消自动续费", 100, clickable=False)],
        "settings": [_w("隐私政策", 100), _w("注销账号", 200),
                     _w("个性化推荐", 300, checkable=True, checked=True)],
        "pay": [_w("确认支付", 100)]},
        [("home", "pay", "立即开通会员"), ("home", "me", "我的"), ("me", "home", "首页"),
         ("me", "help", "帮助与反馈"), ("help", "about", "关于"), ("about", "member", "会员"),
         ("member", "offer", "取消自动续费"), ("offer", "confirm", "仍要取消"),
         ("confirm", "done", "确定"), ("me", "settings", "设置")],
        dialogs=("offer", "confirm"), flow=flow)


def test_cancel_flow_friction_and_path(tmp_path: Path) -> None:
    (f,) = [f for f in analyze_graph(cancel_app(tmp_path / "r"))
            if f.category is Category.BURIED_CANCELLATION]
    ev = f.evidence
    assert ev["depth"] == 5 and ev["confirmations"] == 2 and ev["cancelled_screen"] == "done"
    kinds = [x["kind"] for x in ev["frictions"]]
    assert kinds.count("unrelated_menu") == 2  # 帮助与反馈, 关于
    assert {"retention", "confirmations", "harder_than_subscribe"} <= set(kinds)
    assert f.severity is Severity.HIGH and f.screen == "member"
    assert [p["screen"] for p in ev["path"]] == ["home", "me", "help", "about", "member",
                                                 "offer", "confirm"]


def test_thresholds_come_from_the_flow_gate(tmp_path: Path) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text(f"target: {{app: {REPO / 'tests/apps/_mini.yaml'}}}\n"
                    "gate: {privacy_policy_depth: 2, cancel_depth: 9}\n", encoding="utf-8")
    findings = analyze_graph(cancel_app(tmp_path / "r", flow=str(flow)))
    (priv,) = [f for f in findings if f.category is Category.PRIVACY_POLICY_DEPTH]
    assert priv.evidence["depth"] == 3 and priv.evidence["threshold"] == 2
    (cancel,) = [f for f in findings if f.category is Category.BURIED_CANCELLATION]
    assert cancel.evidence["threshold"] == 9 and cancel.evidence["excess"] == 0


def test_blank_label_and_transparent_icon_on_the_rendered_launcher(tmp_path: Path) -> None:
    text = (REPO / "tests/apps/_mini.yaml").read_text(encoding="utf-8")
    text = text.replace("label: 迷你", 'label: ""').replace(
        'icon: {color: "#3F51B5", glyph: 迷}', "icon: {transparent: true}")
    app = tmp_path / "blank.yaml"
    app.write_text(text, encoding="utf-8")
    device = VirtualDevice([app, REPO / "tests/apps/rec_deep.yaml"])
    (tmp_path / "probes").mkdir()
    probe = probe_launcher(device, "com.darkscan.mini", "", tmp_path / "probes")
    assert probe.found and probe.label_blank and probe.icon_visible is False
    other = probe_launcher(device, "com.test.recdeep", "", tmp_path / "probes")
    assert other.found and not other.label_blank and other.icon_visible is True
    image = device.screenshot()
    visible, frac, _ = icon_visibility(image, tuple(other.icon_bounds))
    assert visible and frac > 0.1

    root = feed_app(tmp_path / "run", "done")
    (root / "probes.json").write_text(json.dumps({"uninstall": {
        "launcher": {k: (list(v) if isinstance(v, tuple) else v)
                     for k, v in probe.__dict__.items()},
        "settings": {"reached": True, "steps": 4,
                     "button": {"text": "卸载", "enabled": True, "bounds": [0, 0, 10, 10]}}}}),
        encoding="utf-8")
    rules = {f.rule for f in analyze_graph(root) if f.category is Category.HARD_UNINSTALL}
    assert rules == {"launcher_label_blank", "launcher_icon_invisible"}
