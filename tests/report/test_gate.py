"""The CI gate over run folders written from rendered screens: verdicts, exit codes, JUnit XML."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import synthrun
from darkscan.cli import main
from darkscan.detect.finding import Severity
from darkscan.errors import FlowError
from darkscan.report import Outcome, Thresholds, evaluate, junit_xml, load_run
from darkscan.report.gate import thresholds_for

lxml_etree = pytest.importorskip("lxml.etree")
XSD = Path(__file__).parent / "data" / "junit-10.xsd"


def _outcomes(run: Path, t: Thresholds | None = None) -> dict[str, Outcome]:
    return {r.rule: r.outcome for r in evaluate(load_run(run), t).results}


def test_dark_run_fails_on_cancel_depth_clean_twin_passes(dark_run: Path, clean_run: Path) -> None:
    dark = _outcomes(dark_run)
    assert dark["max-cancel-steps"] is Outcome.FAIL
    assert dark["max-cancel-ratio"] is Outcome.FAIL  # 6 steps vs 2 to subscribe
    assert dark["fail-on"] is Outcome.FAIL
    clean = _outcomes(clean_run)
    assert all(o is not Outcome.FAIL for o in clean.values()), clean
    assert clean["max-cancel-steps"] is Outcome.PASS


def test_steps_count_from_the_main_screen(tmp_path: Path) -> None:
    """A splash screen before home adds a step from launch, not to the depth of cancelling."""
    run = synthrun.write_run(synthrun.video_app(splash=True), tmp_path / "run")
    goals = json.loads((run / "metrics.json").read_text(encoding="utf-8"))["goals"]
    assert goals["cancel_subscription"]["steps"] == 7  # from launch
    res = {r.rule: r for r in evaluate(load_run(run), Thresholds(max_cancel_steps=6)).results}
    assert res["max-cancel-steps"].outcome is Outcome.PASS
    assert res["max-cancel-steps"].measured == "6 steps (7 from launch)"
    assert res["max-cancel-ratio"].measured == "3.00 (6/2)"
    res = {r.rule: r for r in evaluate(load_run(run), Thresholds(max_cancel_steps=5)).results}
    assert res["max-cancel-steps"].outcome is Outcome.FAIL
    assert "6 steps from the main screen" in res["max-cancel-steps"].message


def test_thresholds_move_the_verdict(dark_run: Path) -> None:
    t = Thresholds(max_cancel_steps=6, max_cancel_ratio=3.0, fail_on=None)
    out = _outcomes(dark_run, t)
    assert out["max-cancel-steps"] is Outcome.PASS
    assert out["max-cancel-ratio"] is Outcome.PASS
    assert out["fail-on"] is Outcome.SKIP
    assert _outcomes(dark_run, Thresholds(max_cancel_steps=5))["max-cancel-steps"] is Outcome.FAIL


def test_require_recommendation_off(dark_run: Path, clean_run: Path) -> None:
    t = Thresholds(require_recommendation_off=True)
    assert _outcomes(dark_run, t)["require-recommendation-off"] is Outcome.FAIL
    assert _outcomes(clean_run, t)["require-recommendation-off"] is Outcome.PASS


def test_not_analysed_run_skips_the_severity_rule(dark_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(dark_run, run, ignore=shutil.ignore_patterns("report", "findings.json"))
    res = {r.rule: r for r in evaluate(load_run(run)).results}
    assert res["fail-on"].outcome is Outcome.SKIP
    assert "analyze" in res["fail-on"].message


def test_flow_gate_section_and_flags_precedence(dark_run: Path, tmp_path: Path) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text("target: {app: x.yaml}\n"
                    "thresholds: {cancel_depth: 5}\n"
                    "gate:\n  max_cancel_ratio: 4\n  fail_on: medium\n"
                    "  require-recommendation-off: true\n  uninstall_steps: 5\n",
                    encoding="utf-8")
    run = load_run(dark_run)
    t = thresholds_for(run, flow)
    assert (t.max_cancel_steps, t.max_cancel_ratio, t.fail_on) == (5, 4.0, Severity.MEDIUM)
    assert t.require_recommendation_off is True
    t2 = thresholds_for(run, flow, {"max_cancel_steps": 7, "fail_on": "none"})
    assert (t2.max_cancel_steps, t2.fail_on) == (7, None)


@pytest.mark.parametrize("gate, key", [
    ("{max_cancel_stepz: 3}", "max_cancel_stepz"),
    ("{fail_on: severe}", "fail_on"),
    ("{max_cancel_ratio: -1}", "max_cancel_ratio"),
    ("{require_recommendation_off: maybe}", "require_recommendation_off"),
    ("[1, 2]", "gate"),
])
def test_bad_flow_gate_names_file_and_key(dark_run: Path, tmp_path: Path, gate: str,
                                          key: str) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text(f"gate: {gate}\n", encoding="utf-8")
    with pytest.raises(FlowError) as e:
        thresholds_for(load_run(dark_run), flow)
    assert str(flow) in e.value.message and key in e.value.message


def test_cli_exit_codes(dark_run: Path, clean_run: Path, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", str(dark_run)]) == 1
    out = capsys.readouterr().out
    assert "max-cancel-steps" in out and "gate FAILED" in out and "6 steps" in out
    assert main(["gate", str(clean_run)]) == 0
    assert "gate passed" in capsys.readouterr().out
    assert main(["gate", str(dark_run), "--max-cancel-steps", "6", "--max-cancel-ratio", "3",
                 "--fail-on", "none"]) == 0
    assert main(["gate", str(clean_run), "--fail-on", "low"]) == 1


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    return capsys.readouterr().err.replace("\n", "")  # rich wraps long lines


def test_cli_bad_input_is_exit_2_with_one_line(dark_run: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gate", str(tmp_path / "nope")]) == 2
    err = _err(capsys)
    assert "no such run folder" in err and "Traceback" not in err
    broken = tmp_path / "broken"
    shutil.copytree(dark_run, broken, ignore=shutil.ignore_patterns("report"))
    (broken / "metrics.json").write_text('{"goals": {"cancel', encoding="utf-8")
    assert main(["gate", str(broken)]) == 2
    err = _err(capsys)
    assert "metrics.json" in err and "corrupt JSON" in err
    (broken / "metrics.json").unlink()
    assert main(["gate", str(broken)]) == 2
    assert "metrics.json" in _err(capsys)
    shutil.copy(dark_run / "metrics.json", broken / "metrics.json")
    (broken / "findings.json").write_text('{"findings": [{"category": "nope"}]}',
                                          encoding="utf-8")
    assert main(["gate", str(broken)]) == 2
    assert "findings.json" in _err(capsys)
    assert main(["gate", str(dark_run), "--fail-on", "severe"]) == 2
    assert main(["gate", str(dark_run), "--max-cancel-steps", "-1"]) == 2
    assert main(["gate", str(dark_run), "--max-cancel-stepz", "3"]) == 2
    assert "No such option" in _err(capsys)


def test_junit_validates_one_testcase_per_rule(dark_run: Path, clean_run: Path,
                                               tmp_path: Path) -> None:
    schema = lxml_etree.XMLSchema(lxml_etree.parse(str(XSD)))
    junit = tmp_path / "junit.xml"
    assert main(["gate", str(dark_run), "--junit", str(junit)]) == 1
    doc = lxml_etree.parse(str(junit))
    schema.assertValid(doc)
    cases = doc.findall(".//testcase")
    result = evaluate(load_run(dark_run))
    assert [c.get("name") for c in cases] == [r.rule for r in result.results]
    failed = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
    assert set(failed) == {"max-cancel-steps", "max-cancel-ratio", "fail-on"}
    assert "6 steps" in failed["max-cancel-steps"].get("message")
    suite = doc.find("testsuite")
    assert suite.get("failures") == "3" and suite.get("tests") == str(len(cases))
    clean = lxml_etree.fromstring(junit_xml(evaluate(load_run(clean_run))))
    schema.assertValid(clean)
    assert clean.find("testsuite").get("failures") == "0"


def test_junit_survives_hostile_text(xss_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(xss_run, run, ignore=shutil.ignore_patterns("report"))
    metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    metrics["goals"]["cancel_subscription"] = {"found": False, "steps": None, "path": [],
                                               "reason": "<b>]]>\x01\x1b</b>"}
    (run / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    xml = junit_xml(evaluate(load_run(run)), app="a<&>\x00b")
    schema = lxml_etree.XMLSchema(lxml_etree.parse(str(XSD)))
    doc = lxml_etree.fromstring(xml)
    schema.assertValid(doc)
    msg = doc.find(".//failure").get("message")
    assert "<b>]]>" in msg


def test_run_rejects_bad_thresholds_before_crawling(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    flow = tmp_path / "flow.yaml"
    flow.write_text("gate: {max_cancel_steps: 4}\n", encoding="utf-8")
    out = tmp_path / "run"
    assert main(["run", str(flow), "--out", str(out), "--fail-on", "severe"]) == 2
    assert "--fail-on" in _err(capsys)
    flow.write_text("gate: {max_cancel_stepz: 4}\n", encoding="utf-8")
    assert main(["run", str(flow), "--out", str(out)]) == 2
    assert "max_cancel_stepz" in _err(capsys)
    assert main(["run", str(tmp_path / "missing.yaml"), "--out", str(out)]) == 2
    assert not out.exists()


def test_require_verified_fails_on_a_path_that_did_not_replay(dark_run: Path,
                                                             tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(dark_run, run)
    metrics = json.loads((run / "metrics.json").read_text(encoding="utf-8"))
    found = [n for n, g in metrics["goals"].items() if g["found"]]
    assert len(found) >= 2
    t = Thresholds(require_verified=True)
    res = {r.rule: r for r in evaluate(load_run(run), t).results}
    assert res["require-verified"].outcome is Outcome.SKIP        # no replay results yet
    assert _outcomes(run)["require-verified"] is Outcome.SKIP     # off by default
    for n in found:
        metrics["goals"][n].update(verified=True, verified_steps=metrics["goals"][n]["steps"])
    (run / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    assert _outcomes(run, t)["require-verified"] is Outcome.PASS
    bad = found[0]
    metrics["goals"][bad].update(verified=False, verified_steps=None,
                                 unverified_reason="step 2: 'About' led to s9, not s4")
    (run / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    res = {r.rule: r for r in evaluate(load_run(run), t).results}
    assert res["require-verified"].outcome is Outcome.FAIL
    assert bad in res["require-verified"].message and "led to s9" in res["require-verified"].message
    assert res["require-verified"].measured == f"{len(found) - 1}/{len(found)} verified"
    assert main(["gate", str(run), "--require-verified", "--fail-on", "none",
                 "--max-cancel-steps", "99", "--max-cancel-ratio", "99"]) == 1
    assert main(["gate", str(run), "--fail-on", "none", "--max-cancel-steps", "99",
                 "--max-cancel-ratio", "99"]) == 0
