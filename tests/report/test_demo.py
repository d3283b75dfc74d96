"""Acceptance on real crawls: the bundled demo app (看剧), its clean twin and the XSS test app,
crawled on the virtual device, analysed when the analysis stage exists, reported and gated."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from pw import Page, needs_chromium

from darkscan.cli import main
from darkscan.crawl import crawl
from darkscan.crawl.flow import Budget, bundled_app, virtual_flow

pytestmark = pytest.mark.slow
lxml_etree = pytest.importorskip("lxml.etree")
XSD = Path(__file__).parent / "data" / "junit-10.xsd"
XSS_APP = Path(__file__).parents[1] / "apps" / "xss.yaml"


def _analysis_built() -> bool:
    from darkscan.cli import analyze

    return bool(inspect.signature(analyze.analyze_command).parameters)


def _crawled(app: Path, out: Path) -> Path:
    crawl(virtual_flow(app, budget=Budget(max_steps=400, max_minutes=10)), out)
    if _analysis_built():
        assert main(["analyze", str(out)]) == 0
    assert main(["report", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _crawled(bundled_app("kanju_zh"), tmp_path_factory.mktemp("demo") / "run")


@pytest.fixture(scope="session")
def clean_twin_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _crawled(bundled_app("kanju_zh_clean"), tmp_path_factory.mktemp("twin") / "run")


@pytest.fixture(scope="session")
def xss_app_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _crawled(XSS_APP, tmp_path_factory.mktemp("xssapp") / "run")


def test_gate_fails_demo_on_cancel_depth_and_passes_clean_twin(
        demo_run: Path, clean_twin_run: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    junit = tmp_path / "demo.xml"
    assert main(["gate", str(demo_run), "--junit", str(junit)]) == 1
    doc = lxml_etree.parse(str(junit))
    lxml_etree.XMLSchema(lxml_etree.parse(str(XSD))).assertValid(doc)
    case = doc.find(".//testcase[@name='max-cancel-steps']")
    failure = case.find("failure")
    assert failure is not None
    # designed: 6 taps from home (8 from launch: splash skip and consent come first)
    assert "takes 6 steps from the main screen" in failure.get("message")
    capsys.readouterr()
    junit2 = tmp_path / "twin.xml"
    assert main(["gate", str(clean_twin_run), "--junit", str(junit2)]) == 0
    assert "gate passed" in capsys.readouterr().out
    twin = lxml_etree.parse(str(junit2))
    lxml_etree.XMLSchema(lxml_etree.parse(str(XSD))).assertValid(twin)
    assert twin.find("testsuite").get("failures") == "0"


@pytest.mark.parametrize("app, expected", [("kanju_zh", 1), ("kanju_zh_clean", 0)])
def test_run_is_one_command_for_ci(tmp_path: Path, app: str, expected: int) -> None:
    if not _analysis_built():
        pytest.skip("`darkscan analyze` is not built yet; `darkscan run` needs it")
    flow = tmp_path / "flow.yaml"
    flow.write_text(f"target: {{app: 'bundled:{app}'}}\nbudget: {{max_steps: 400}}\n"
                    "gate: {max_cancel_steps: 4, fail_on: high}\n", encoding="utf-8")
    run = tmp_path / "run"
    assert main(["run", str(flow), "--out", str(run)]) == expected
    assert (run / "report" / "index.html").is_file() and (run / "findings.json").is_file()
    doc = lxml_etree.parse(str(run / "junit.xml"))
    lxml_etree.XMLSchema(lxml_etree.parse(str(XSD))).assertValid(doc)
    assert (doc.find("testsuite").get("failures") != "0") == bool(expected)


@needs_chromium
def test_demo_report_in_browser(browser: Any, demo_run: Path) -> None:
    metrics = json.loads((demo_run / "metrics.json").read_text(encoding="utf-8"))
    graph = json.loads((demo_run / "graph.json").read_text(encoding="utf-8"))
    p = Page(browser, demo_run / "report" / "index.html")
    page = p.page
    # the graph renders: every screen a node, drawn with a size
    assert page.eval_on_selector_all("#graph-svg a.node", "n => n.length") == len(graph["nodes"])
    assert page.query_selector("#graph-svg").bounding_box()["height"] >= 200
    # the cancel path, step by step, each tap marked on its thumbnail
    goal = metrics["goals"]["cancel_subscription"]
    art = page.query_selector('article.path[data-goal="cancel_subscription"]')
    steps = art.query_selector_all("li.step")
    assert len(steps) == len(goal["path"]) == goal["steps"]
    counted = art.query_selector_all("li.step:not(.prelude)")
    assert len(counted) == 6
    for li in steps:
        li.scroll_into_view_if_needed()
        img = li.query_selector("img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img)
        assert li.query_selector(".box").is_visible()
    assert "取消自动续费" in steps[-1].text_content()
    findings = page.query_selector_all("li.finding")
    if findings:  # analysed: filters narrow the list, a click shows the box over its screen
        sev = page.eval_on_selector_all("li.finding", "l => l.map(e => e.dataset.severity)")
        page.select_option("#filters select[name=severity]", sev[0])
        assert page.eval_on_selector_all("li.finding:not([hidden])", "l => l.length") == \
            sev.count(sev[0])
        page.select_option("#filters select[name=severity]", "")
        li = next(f for f in findings if f.query_selector(".shot-frame .box"))
        li.query_selector("p.message").click()
        img = li.query_selector(".shot-frame img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img)
        assert li.query_selector(".shot-frame .box").is_visible()
    assert p.errors == [] and p.network == []
    p.close()


@needs_chromium
def test_xss_app_report_runs_nothing(browser: Any, xss_app_run: Path) -> None:
    p = Page(browser, xss_app_run / "report" / "index.html")
    page = p.page
    page.add_init_script("window.alert = () => { window.__alerted = true; };")
    page.reload()
    for fig in page.query_selector_all("figure.screen a.open-screen"):
        fig.click()
        page.click("dialog#viewer button.close")
    for li in page.query_selector_all("li.finding"):
        li.query_selector("p.message").click()
    page.mouse.move(200, 200)
    page.wait_for_timeout(200)
    assert page.evaluate("window.__alerted") is None
    assert p.dialogs == [] and p.errors == [] and p.network == []
    text = page.text_content("body")
    assert 'XSS <b>Lab</b> & "Co"' in text  # the app label, shown as text
    p.close()
