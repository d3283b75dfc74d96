"""Acceptance: a campaign of 8 virtual apps on a local Ray instance gives, for every app, the
metrics and findings of ``darkscan run`` on that app alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from darkscan.cli import main

pytest.importorskip("ray")
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
FLOWS = ["fitpro_en"]                                         # bundled, with its flow file
TEST_APPS = ["cancel_phone", "fault_popup", "fault_secure", "privacy_deep", "rec_deep",
             "rec_sticky", "uninstall_disabled"]
AS_APP = {"rec_sticky", "uninstall_disabled"}                 # listed as app: (default flow)


def _json(p: Path) -> dict:
    return json.loads(p.read_text(encoding="utf-8"))


def test_campaign_equals_each_run_alone(tmp_path: Path) -> None:
    flows: dict[str, Path] = {n: REPO / "flows" / f"{n}.yaml" for n in FLOWS}
    entries = [{"flow": str(flows[n])} for n in FLOWS]
    for n in TEST_APPS:
        app = REPO / "tests" / "apps" / f"{n}.yaml"
        flow = tmp_path / f"{n}.yaml"
        flow.write_text(yaml.safe_dump({"name": n, "target": {"app": str(app)}}), "utf-8")
        flows[n] = flow
        entries.append({"app": str(app)} if n in AS_APP else {"flow": str(flow)})
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(yaml.safe_dump({"name": "eight apps", "gate": {"fail_on": "high"},
                                        "apps": entries}), "utf-8")
    out = tmp_path / "out"
    rc = main(["batch", str(campaign), "--out", str(out), "--cpus", "2"])
    summary = _json(out / "summary.json")
    rows = {r["name"]: r for r in summary["apps"]}
    assert set(rows) == set(flows) and all(r["status"] == "done" for r in rows.values())
    assert rc == summary["exit_code"] == (1 if any(r["gate"] == "fail" for r in rows.values())
                                          else 0)
    for name, flow in flows.items():
        alone = tmp_path / "alone" / name
        assert main(["run", str(flow), "--out", str(alone)]) in (0, 1)
        run = out / "apps" / name
        assert _json(run / "metrics.json") == _json(alone / "metrics.json"), name
        assert _json(run / "findings.json") == _json(alone / "findings.json"), name
        assert (run / "report" / "index.html").is_file()
    page = (out / "index.html").read_text(encoding="utf-8")
    for name, row in rows.items():
        assert f'href="{row["report"]}"' in page and (out / row["report"]).is_file()
    junit = (out / "junit.xml").read_text(encoding="utf-8")
    assert junit.count("<testcase") == sum(len(r["rules"]) for r in rows.values())


def test_gpus_asked_of_a_cluster_without_any_is_one_line_exit_3(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Ray would wait for ever for a GPU no node has: batch says so at once instead."""
    campaign = tmp_path / "c.yaml"
    campaign.write_text(yaml.safe_dump({"apps": [
        {"app": str(REPO / "tests" / "apps" / "rec_deep.yaml")}]}), "utf-8")
    rc = main(["batch", str(campaign), "--out", str(tmp_path / "out"), "--cpus", "1",
               "--gpus-per-app", "0.5"])
    err = " ".join(capsys.readouterr().err.split())
    assert rc == 3 and "--gpus-per-app 0.5: the Ray cluster has 0 GPUs" in err, err
    assert "Traceback" not in err and not (tmp_path / "out" / "summary.json").exists()
