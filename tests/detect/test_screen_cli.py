"""`darkscan scan` and `darkscan analyze` end to end, in-process."""

from __future__ import annotations

import json

import pytest
from PIL import Image

from darkscan.cli import main


@pytest.fixture()
def screens(tmp_path, app_screens):
    s = app_screens("kanju_zh")
    vip = tmp_path / "vip.png"
    Image.fromarray(s["vip"].image).save(vip)
    (tmp_path / "vip.xml").write_text(s["vip"].xml, "utf-8")
    gray = tmp_path / "retention_gray.png"
    Image.fromarray(s["retention"].image).convert("L").save(gray)
    rgba = tmp_path / "splash_rgba.png"
    Image.fromarray(s["splash"].image).convert("RGBA").save(rgba)
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    trunc = tmp_path / "trunc.png"
    trunc.write_bytes(vip.read_bytes()[:500])
    text = tmp_path / "readme.png"
    text.write_text("not an image")
    return {"vip": vip, "gray": gray, "rgba": rgba, "empty": empty, "trunc": trunc, "text": text}


@pytest.mark.slow
def test_scan_json_contract_and_per_file_errors(screens, capsys) -> None:
    order = ["vip", "empty", "gray", "trunc", "rgba", "text"]
    rc = main(["scan", "--json", *[str(screens[k]) for k in order]])
    out = json.loads(capsys.readouterr().out)
    assert rc == 2  # some files could not be read; the others were analysed
    assert [s["image"] for s in out["screens"]] == [str(screens[k]) for k in order]
    by = dict(zip(order, out["screens"]))
    for bad in ("empty", "trunc", "text"):
        assert by[bad]["error"] and by[bad]["findings"] == []
    assert "empty" in by["empty"]["error"] and "not an image" in by["text"]["error"]
    assert (by["vip"]["width"], by["vip"]["height"]) == (720, 1280)
    for key in ("vip", "gray", "rgba"):
        assert "error" not in by[key]
        for f in by[key]["findings"]:
            assert set(f) == {"category", "rule", "severity", "bbox", "message", "evidence",
                              "regulations"}
            assert len(f["bbox"]) == 4
    cats = {k: {f["category"] for f in by[k]["findings"]} for k in by}
    assert "hidden_auto_renewal" in cats["vip"]            # pixels only, no XML
    assert "confirmshaming" in cats["gray"]                 # grayscale converted
    assert "ad_close_obstruction" in cats["rgba"]           # RGBA converted


@pytest.mark.slow
def test_scan_with_xml_uses_widget_state(screens, capsys) -> None:
    rc = main(["scan", "--json", "--xml", str(screens["vip"].with_suffix(".xml")),
               "--density", "2", str(screens["vip"])])
    assert rc == 0
    found = json.loads(capsys.readouterr().out)["screens"][0]["findings"]
    pre = [f for f in found if f["category"] == "preselection"]
    assert any(f["evidence"]["kind"] == "checkbox" and f["severity"] == "high" for f in pre)


def test_scan_usage_errors(tmp_path, capsys) -> None:
    a, b = tmp_path / "a.png", tmp_path / "b.png"
    for p in (a, b):
        Image.new("RGB", (10, 10)).save(p)
    assert main(["scan", "--xml", str(tmp_path / "x.xml"), str(a), str(b)]) == 2
    assert "exactly one IMAGE" in " ".join(capsys.readouterr().err.split())


def test_analyze_missing_run_is_one_line(tmp_path, capsys) -> None:
    assert main(["analyze", str(tmp_path / "nope")]) == 2
    err = " ".join(capsys.readouterr().err.split())  # rich wraps at the terminal width
    assert "no such run folder" in err and "Traceback" not in err
    (tmp_path / "empty").mkdir()
    assert main(["analyze", str(tmp_path / "empty")]) == 2


@pytest.mark.slow
def test_analyze_a_crawl_writes_findings(repo_root, tmp_path, capsys) -> None:
    run = tmp_path / "run"
    assert main(["crawl", str(repo_root / "flows" / "kanju_zh.yaml"), "--out", str(run)]) == 0
    capsys.readouterr()
    assert main(["analyze", str(run)]) == 0
    data = json.loads((run / "findings.json").read_text("utf-8"))
    cats = {f["category"] for f in data["findings"]}
    assert {"hidden_auto_renewal", "preselection", "ad_close_obstruction", "false_hierarchy",
            "confirmshaming"} <= cats
    screens = {p.stem for p in (run / "screens").glob("*.json")}
    assert all(f["screen"] in screens for f in data["findings"])
    # the checkbox finding uses the crawler's first-seen state
    pre = [f for f in data["findings"] if f["category"] == "preselection"
           and f["evidence"]["kind"] == "checkbox"]
    assert pre and pre[0]["evidence"]["state_from"] == "first_seen"
