"""The report in a real browser (Debian's Chromium through Playwright), opened from disk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import synthrun
from pw import Page, needs_chromium

from darkscan.cli import main

pytestmark = [pytest.mark.slow, needs_chromium]


def _report(run: Path, dest: Path, *extra: str) -> Path:
    shutil.copytree(run, dest, ignore=shutil.ignore_patterns("report"))
    assert main(["report", str(dest), *extra]) == 0
    return dest / "report" / "index.html"


@pytest.fixture(scope="module")
def demo(dark_run: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    run = tmp_path_factory.mktemp("browser") / "run"
    return run, _report(dark_run, run)


def _visible(page: Any) -> list[str]:
    return page.eval_on_selector_all("li.finding:not([hidden])", "els => els.map(e => e.id)")


def test_filters(browser: Any, demo: tuple[Path, Path]) -> None:
    run, index = demo
    findings = json.loads((run / "findings.json").read_text(encoding="utf-8"))["findings"]
    p = Page(browser, index)
    page = p.page
    assert len(_visible(page)) == len(findings)
    page.select_option("#filters select[name=severity]", "high")
    assert len(_visible(page)) == sum(f["severity"] == "high" for f in findings) == 2
    page.select_option("#filters select[name=category]", "preselection")
    assert len(_visible(page)) == 1
    page.select_option("#filters select[name=severity]", "")
    page.select_option("#filters select[name=category]", "")
    screen_opts = page.eval_on_selector_all("#filters select[name=screen] option",
                                            "os => os.map(o => [o.value, o.textContent])")
    vip = next(v for v, label in screen_opts if label.startswith("会员中心"))
    page.select_option("#filters select[name=screen]", vip)
    assert len(_visible(page)) == sum(f["screen"] == "vip" for f in findings) == 2
    assert "2 / 3" in page.text_content("#shown-count")
    assert p.errors == [] and p.network == []
    p.close()


def test_clicking_a_finding_shows_its_box_in_place(browser: Any, demo: tuple[Path, Path]) -> None:
    run, index = demo
    findings = json.loads((run / "findings.json").read_text(encoding="utf-8"))["findings"]
    p = Page(browser, index)
    page = p.page
    for li in page.query_selector_all("li.finding"):
        msg = li.query_selector("p.message").text_content()
        f = next(f for f in findings if f["message"] == msg)
        box = li.query_selector(".shot-frame .box")
        assert not box.is_visible()
        li.query_selector("p.message").click()
        assert "active" in (li.get_attribute("class") or "")
        img = li.query_selector(".shot-frame img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img)
        assert box.is_visible()
        ib, bb = img.bounding_box(), box.bounding_box()
        sx = ib["width"] / synthrun.WIDTH
        sy = ib["height"] / synthrun.HEIGHT
        x1, y1, x2, y2 = f["bbox"]
        assert abs(bb["x"] - (ib["x"] + x1 * sx)) <= 1.5
        assert abs(bb["y"] - (ib["y"] + y1 * sy)) <= 1.5
        assert abs(bb["width"] - (x2 - x1) * sx) <= 1.5
        assert abs(bb["height"] - (y2 - y1) * sy) <= 1.5
    assert p.errors == [] and p.network == []
    p.close()


def test_graph_renders_pans_zooms_and_opens_a_screen(browser: Any,
                                                     demo: tuple[Path, Path]) -> None:
    run, index = demo
    graph = json.loads((run / "graph.json").read_text(encoding="utf-8"))
    p = Page(browser, index)
    page = p.page
    nodes = page.query_selector_all("#graph-svg a.node")
    assert len(nodes) == len(graph["nodes"])
    svg = page.query_selector("#graph-svg")
    svg.scroll_into_view_if_needed()
    sb = svg.bounding_box()
    assert sb["width"] > 300 and sb["height"] >= 200
    for n in nodes:  # every node is drawn inside the visible drawing
        nb = n.query_selector("circle").bounding_box()
        assert sb["x"] <= nb["x"] and nb["x"] + nb["width"] <= sb["x"] + sb["width"]
    vb0 = svg.get_attribute("viewBox")
    page.click("#graph-tools button[data-zoom='1.25']")
    vb1 = svg.get_attribute("viewBox")
    assert float(vb1.split()[2]) < float(vb0.split()[2])
    page.mouse.move(sb["x"] + 20, sb["y"] + 20)
    page.mouse.down()
    page.mouse.move(sb["x"] + 120, sb["y"] + 60, steps=5)
    page.mouse.up()
    assert svg.get_attribute("viewBox").split()[:2] != vb1.split()[:2]
    page.click("#graph-tools button[data-zoom='0']")
    assert [float(v) for v in svg.get_attribute("viewBox").split()] == \
        [float(v) for v in vb0.split()]
    page.select_option("#graph-goal", index=1)
    assert page.eval_on_selector_all("#graph-svg .edge.hl", "e => e.length") >= 1
    target = page.query_selector("#graph-svg a.node:has(title:text-is('renew'))")
    target.click()
    dialog = page.query_selector("dialog#viewer")
    assert dialog.is_visible()
    assert "自动续费管理" in dialog.text_content()
    img = dialog.query_selector("img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img)
    assert dialog.query_selector(".box").is_visible()  # the finding on that screen
    page.click("dialog#viewer button.close")
    assert not dialog.is_visible()
    assert p.errors == [] and p.network == []
    p.close()


def test_cancel_path_is_shown_step_by_step(browser: Any, demo: tuple[Path, Path]) -> None:
    run, index = demo
    metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    p = Page(browser, index)
    page = p.page
    art = page.query_selector('article.path[data-goal="cancel_subscription"]')
    art.scroll_into_view_if_needed()
    steps = art.query_selector_all("li.step")
    assert len(steps) == metrics["goals"]["cancel_subscription"]["steps"] == 6
    for li, step in zip(steps, metrics["goals"]["cancel_subscription"]["path"]):
        li.scroll_into_view_if_needed()
        img = li.query_selector("img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=img)
        mark = li.query_selector(".box")
        assert mark.is_visible()
        ib, mb = img.bounding_box(), mark.bounding_box()
        assert ib["y"] < mb["y"] < ib["y"] + ib["height"]
        assert step["action"].split("'")[1] in li.text_content()
    assert p.errors == [] and p.network == []
    p.close()


def test_xss_app_runs_no_script(browser: Any, xss_run: Path, tmp_path: Path) -> None:
    index = _report(xss_run, tmp_path / "run")
    p = Page(browser, index)
    page = p.page
    for li in page.query_selector_all("li.finding"):
        li.query_selector("p.message").click()
    for fig in page.query_selector_all("figure.screen a.open-screen"):
        fig.click()
        page.wait_for_timeout(100)
        page.click("dialog#viewer button.close")
    for node in page.query_selector_all("#graph-svg a.node"):
        node.click()
        page.click("dialog#viewer button.close")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__xss") is None
    assert p.dialogs == [] and p.network == []
    text = page.text_content("body")
    assert synthrun.XSS_SCRIPT in text and synthrun.XSS_IMG in text
    assert p.errors == []
    p.close()


def test_chinese_report_renders(browser: Any, dark_run: Path, tmp_path: Path) -> None:
    index = _report(dark_run, tmp_path / "run", "--lang", "zh")
    p = Page(browser, index)
    assert p.page.text_content("header nav").strip().startswith("概览")
    p.page.select_option("#filters select[name=severity]", "medium")
    assert len(_visible(p.page)) == 1
    assert p.errors == [] and p.network == []
    p.close()
