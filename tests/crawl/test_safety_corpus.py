"""The safety corpus (issue #13.2): risky screens worded unlike the bundled apps.

Every app under tests/apps/safety_corpus/ is crawled with a small budget: afterwards the device
has counted 0 charges, 0 account deletions, 0 password and 0 verification-code entries, while
the safe goals (the plan page, the cashier, the deletion page; the built-in goals each app
declares) are still reached. Every safety stop is listed with its evidence: in the terminal
summary (visible with -q) and in ``safety_stops.txt`` of the session's temp directory.

A fast guard-level test opens every designed risky screen directly (including the sheets a
safe crawl never reaches) and checks that each dangerous control is refused - and that it
really pays / deletes / leads on when tapped, so the corpus has teeth.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from darkscan.crawl import Budget, crawl, virtual_flow
from darkscan.crawl.observe import Observer
from darkscan.crawl.safety import SafetyRules
from darkscan.crawl.state import Screen, Widget
from darkscan.device.virtual import VirtualDevice, load_app

CORPUS = Path(__file__).resolve().parents[1] / "apps" / "safety_corpus"
APPS = sorted(CORPUS.glob("*.yaml"))
VARIANTS = {"plain", "icon_only", "image_only", "disguised", "multi_step"}
KINDS = {"checkout", "top_up", "one_tap_buy", "sign_up_with_card", "deletion", "data_erasure"}
MAX_STEPS = 150

STOP_LINES: list[str] = []   # read by tests/crawl/conftest.py's terminal summary


def _yaml(app: Path) -> dict[str, Any]:
    return yaml.safe_load(app.read_text(encoding="utf-8"))


def _risky() -> list[tuple[Path, str, dict[str, Any]]]:
    return [(app, sid, spec) for app in APPS
            for sid, spec in (_yaml(app)["design"]["risky"] or {}).items()]


def test_corpus_size_languages_and_variants() -> None:
    by_lang: Counter[str] = Counter()
    seen_variants: dict[str, set[str]] = {}
    kinds: set[str] = set()
    for app, _sid, spec in _risky():
        lang = _yaml(app)["app"]["lang"]
        by_lang[lang] += 1
        seen_variants.setdefault(lang, set()).add(spec["variant"])
        kinds.add(spec["kind"])
        assert spec["variant"] in VARIANTS and spec["kind"] in KINDS, (app.name, spec)
    assert sum(by_lang.values()) >= 60, by_lang
    assert set(by_lang) == {"zh-Hans", "zh-Hant", "en"}, by_lang
    for lang, variants in seen_variants.items():
        assert variants == VARIANTS, (lang, VARIANTS - variants)
    assert kinds == KINDS


# Labels the old main tapped on 33 hostile screens (issue #13): each is a dangerous control here.
ISSUE_WORDINGS = ["1-tap buy", "Continue", "微信支付", "Buy for $0.99", "¥6 购买", "马上抢", "一键支付",
                  "立即充值", "立即开通", "同意协议并支付", "Confirm upgrade", "Close my account",
                  "Erase all data", "我已知晓，同意注销", "下一步", "我知道了"]


def test_every_wording_the_old_main_tapped_is_in_the_corpus() -> None:
    labels: set[str] = set()
    for app, _sid, spec in _risky():
        screen = _yaml(app)["screens"][_sid]
        for w in _flat(screen.get("widgets") or []):
            if w.get("id") in spec["controls"]:
                labels.update(x for x in (w.get("text"), w.get("desc")) if x)
    assert not set(ISSUE_WORDINGS) - labels, set(ISSUE_WORDINGS) - labels


def _flat(widgets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for w in widgets:
        out.append(w)
        out.extend(_flat(w.get("items") or []))
    return out


# ------------------------------------------------------------------ guard on rendered screens
def _widget(screen: Screen, package: str, cid: str) -> Widget:
    rid = f"{package}:id/{cid}"
    return next(w for w in screen.widgets if w.resource_id == rid)


def _open(dev: VirtualDevice, package: str, sid: str) -> Screen:
    dev.open_screen(package, sid)
    return Observer(dev, package).observe(lambda k: False, full=False).screen


@pytest.mark.parametrize("app, sid, spec", _risky(), ids=lambda v: v.stem if isinstance(v, Path)
                         else (v if isinstance(v, str) else ""))
def test_guard_refuses_every_dangerous_control(app: Path, sid: str, spec: dict) -> None:
    a = load_app(app)
    rules = SafetyRules()
    dev = VirtualDevice([a])
    arrival = None
    if spec.get("after"):  # a sheet: judged knowing which tap opened it
        src_id, cid = spec["after"]
        src = _open(dev, a.package, src_id)
        arrival = rules.arrival(_widget(src, a.package, cid), rules.assess(src))
    screen = _open(dev, a.package, sid)
    risk = rules.assess(screen, arrival)
    for cid in spec["controls"]:
        w = _widget(screen, a.package, cid)
        stop = rules.check(w, screen, arrival, risk)
        assert stop is not None, (sid, cid, w.label, risk)
        assert stop.evidence.get("rule"), stop
        # the control has teeth: tapped for real it pays, deletes or opens the next sheet
        dev2 = VirtualDevice([a])
        dev2.open_screen(a.package, sid)
        before = (dev2.counters.payments, dev2.counters.deletions)
        dev2.tap(*w.bounds.center)
        after = (dev2.counters.payments, dev2.counters.deletions)
        if after == before:
            nxt = Observer(dev2, a.package).observe(lambda k: False, full=False).screen
            assert nxt.key != screen.key, (sid, cid, "tap did nothing")
    for w in screen.widgets:  # leaving stays possible
        if w.clickable and w.desc in ("转到上一层级", "瀏覽上一頁", "Navigate up"):
            assert rules.check(w, screen, arrival, risk) is None, (sid, w.label)


def _secret_fields() -> list[tuple[Path, str, str, str]]:
    """(app, screen, field id, expected stop reason) of every password / code input."""
    out = []
    for app in APPS:
        for sid, spec in _yaml(app)["screens"].items():
            for w in _flat(spec.get("widgets") or []):
                if w.get("type") == "input" and (w.get("password") or w.get("code")):
                    out.append((app, sid, w["id"],
                                "password" if w.get("password") else "verification_code"))
    return out


SECRET_FIELDS = _secret_fields()


def test_secret_fields_of_both_kinds_in_every_language() -> None:
    kinds = {(_yaml(app)["app"]["lang"], reason) for app, _s, _i, reason in SECRET_FIELDS}
    assert {r for _l, r in kinds} == {"password", "verification_code"}
    assert {lang for lang, r in kinds if r == "verification_code"} == {"zh-Hans", "zh-Hant", "en"}


@pytest.mark.parametrize("app, sid, cid, reason", SECRET_FIELDS,
                         ids=lambda v: v.stem if isinstance(v, Path) else str(v))
def test_secret_fields_stop_with_their_own_reason(app: Path, sid: str, cid: str,
                                                  reason: str) -> None:
    """A code field (SMS, OTP, CVC) is refused as ``verification_code``, a password field as
    ``password``; the screen's other controls, when refused for the secret, say the same."""
    a = load_app(app)
    dev = VirtualDevice([a])
    screen = _open(dev, a.package, sid)
    rules = SafetyRules()
    stop = rules.check(_widget(screen, a.package, cid), screen)
    assert stop is not None and stop.reason.value == reason, (sid, cid, stop)
    risk = rules.assess(screen)
    if risk.kind == "secret":
        for w in screen.widgets:
            st = rules.check(w, screen, None, risk)
            if w.clickable and st is not None and not w.editable:
                assert st.reason.value in ("password", "verification_code"), (w.label, st)
                if reason == "verification_code" and not any(
                        x.name != "code_field" for x in risk.signals if x.kind == "secret"):
                    assert st.reason.value == "verification_code", (w.label, st)


# ------------------------------------------------------------------ crawling the corpus
@dataclass
class Crawl:
    app: Path
    design: dict[str, Any]
    device: VirtualDevice
    out: Path
    steps: list[dict[str, Any]]
    metrics: dict[str, Any]


_CRAWLS: dict[Path, Crawl] = {}


@pytest.fixture(scope="module")
def corpus_crawl(tmp_path_factory: pytest.TempPathFactory):
    report = tmp_path_factory.getbasetemp() / "safety_stops.txt"

    def get(app: Path) -> Crawl:
        if app not in _CRAWLS:
            out = tmp_path_factory.mktemp(app.stem) / "run"
            dev = VirtualDevice([load_app(app)])
            res = crawl(virtual_flow(app, budget=Budget(max_steps=MAX_STEPS, max_minutes=5)),
                        out, device=dev)
            steps = [json.loads(x) for x in (out / "steps.jsonl").read_text().splitlines()]
            _CRAWLS[app] = Crawl(app, _yaml(app)["design"], dev, out, steps, res.metrics)
            lines = [_stop_line(app, s) for s in steps if s["event"] == "stopped_before"]
            STOP_LINES.extend(lines)
            with report.open("a", encoding="utf-8") as f:
                f.write("\n".join(lines) + "\n")
            print("\n".join(lines))
        return _CRAWLS[app]

    yield get
    if STOP_LINES:
        print(f"\n{len(STOP_LINES)} safety stops, listed in {report}")


def _stop_line(app: Path, s: dict[str, Any]) -> str:
    ev = s.get("evidence") or {}
    signals = "; ".join(f"{x['signal']}: {x['text']}" for x in ev.get("signals", [])[:4])
    label = s["action"]["target"]["text"] or "(no label)"
    return (f"{app.stem} {s['from']} {s['reason']:<16} {label!r:<24} {ev.get('rule', '')}"
            + (f" | {signals}" if signals else ""))


@pytest.mark.slow
@pytest.mark.parametrize("app", APPS, ids=lambda p: p.stem)
def test_corpus_crawl_never_pays_deletes_or_types_secrets(corpus_crawl, app: Path) -> None:
    c = corpus_crawl(app)
    k = c.device.counters
    assert (k.payments, k.deletions, k.password_entries, k.code_entries) == (0, 0, 0, 0)
    stops = [s for s in c.steps if s["event"] == "stopped_before"]
    assert stops and all(s["action"]["executed"] is False for s in stops)
    for s in stops:  # every stop says why, and (unless the wording alone decided) what showed it
        ev = s["evidence"]
        assert ev["rule"], s
        if ev["rule"].startswith(("high", "attention")):
            assert ev["signals"], s
    # a stop on a screen made risky by a secret field names its kind: a code field alone is
    # verification_code (it was reported as password), any other secret password
    for s in stops:
        ev = s["evidence"]
        if ev.get("risk") == "secret":
            codes_only = all(x["signal"] == "code_field" for x in ev["signals"]
                             if x["kind"] == "secret")
            assert s["reason"] == ("verification_code" if codes_only else "password"), s


@pytest.mark.slow
@pytest.mark.parametrize("app", APPS, ids=lambda p: p.stem)
def test_corpus_crawl_still_reaches_the_safe_goals(corpus_crawl, app: Path) -> None:
    c = corpus_crawl(app)
    goals = c.metrics["goals"]
    for g in c.design.get("goals") or []:
        assert goals[g]["found"], (g, goals[g])
    a = _yaml(app)["screens"]
    graph = json.loads((c.out / "graph.json").read_text())
    xml = {n["id"]: (c.out / "screens" / f"{n['id']}.xml").read_text(encoding="utf-8")
           for n in graph["nodes"] if n["kind"] == "app"}
    act = {n["id"]: n.get("activity") for n in graph["nodes"]}

    def nodes_of(sid: str) -> set[str]:
        spec = a[sid]
        if spec.get("dialog"):
            return {n for n, x in xml.items() if f'text="{spec["title"]}"' in x}
        return {n for n in xml if act[n] == spec["activity"]}

    stopped_on = {s["from"] for s in c.steps if s["event"] == "stopped_before"}
    for sid in c.design["reach"]:
        assert nodes_of(sid), (sid, "not reached")
        if sid in c.design["risky"]:  # reached, and its dangerous control refused there
            assert nodes_of(sid) & stopped_on, (sid, "reached without a safety stop")


def test_flow_safety_keys_widen_and_narrow_the_guard() -> None:
    app = load_app(CORPUS / "zh_hant_shop.yaml")
    dev = VirtualDevice([app])
    plan = _open(dev, app.package, "plan")
    cont = _widget(plan, app.package, "c1")                  # 繼續 beside LINE Pay 自動扣款
    assert SafetyRules().check(cont, plan) is not None
    assert SafetyRules.with_extra(allow=["继续"]).check(cont, plan) is None  # zh-Hant normalised
    assert SafetyRules.with_extra(allow=["继续"], deny=["繼續"]).check(cont, plan).reason.value \
        == "flow_rule"
    home = _open(dev, app.package, "home")
    row = next(w for w in home.widgets if w.clickable and w.label == "限時搶購")
    assert SafetyRules().check(row, home) is None
    assert SafetyRules.with_extra(pay=["搶購"]).check(row, home).reason.value == "payment"
