"""A campaign's outputs: index.html (one row per app), junit.xml and summary.json.

The index is one static page with inline CSS (opens from disk, no network, like the report);
every text from apps, flows or errors is HTML-escaped. Exit code: 3 when some app failed (the
machine, a device or the crawler; its row says why), else 1 when some app failed its gate, else 0.
"""

from __future__ import annotations

import html
import json
import socket
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from darkscan.report.junit import _x

SEVERITIES = ("high", "medium", "low", "info")
EXIT_PASS, EXIT_GATE, EXIT_FAILED = 0, 1, 3

CSS = """body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:6px 8px;
vertical-align:top;text-align:left}th{background:#f4f4f4}.pass{color:#1b7f3b;font-weight:600}
.fail{color:#b3261e;font-weight:600}.failed{background:#fdecea}.muted{color:#777}
.sev-high{color:#b3261e}.sev-medium{color:#a15c00}.sev-low{color:#1a5fb4}ul{margin:0;padding-left:16px}"""


def exit_code(rows: Sequence[dict[str, Any]]) -> int:
    if any(r.get("status") != "done" for r in rows):
        return EXIT_FAILED
    return EXIT_GATE if any(r.get("gate") == "fail" for r in rows) else EXIT_PASS


def _goals_cell(row: dict[str, Any]) -> str:
    goals = row.get("goals") or {}
    if not goals:
        return '<span class="muted">-</span>'
    items = []
    for name, g in goals.items():
        steps = f'{g["steps"]} steps' if g.get("found") and g.get("steps") is not None \
            else "not found"
        items.append(f"<li>{html.escape(name)}: {html.escape(steps)}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _verified_cell(row: dict[str, Any]) -> str:
    marks = [g.get("verified") for g in (row.get("goals") or {}).values() if g.get("found")]
    marks = [m for m in marks if m is not None]
    if not marks:
        return '<span class="muted">-</span>'
    ok = sum(1 for m in marks if m)
    cls = "pass" if ok == len(marks) else "fail"
    return f'<span class="{cls}">{ok}/{len(marks)} verified</span>'


def _findings_cell(row: dict[str, Any]) -> str:
    f = row.get("findings") or {}
    parts = [f'<span class="sev-{s}">{int(f.get(s, 0))} {s}</span>' for s in SEVERITIES
             if f.get(s)]
    return ", ".join(parts) if parts else "none"


def index_html(name: str, rows: Sequence[dict[str, Any]], when: str) -> str:
    body = []
    for r in rows:
        done = r.get("status") == "done"
        if done:
            gate = r.get("gate", "")
            failed = r.get("failed_rules") or []
            gate_cell = f'<span class="{html.escape(gate)}">{html.escape(gate)}</span>' + (
                f'<br><span class="muted">{html.escape(", ".join(failed))}</span>' if failed else "")
            link = f'<a href="{html.escape(str(r.get("report", "")), quote=True)}">report</a>'
            status = ""
        else:
            gate_cell = '<span class="fail">failed</span>'
            link = '<span class="muted">-</span>'
            status = (f'<br><span class="muted">{html.escape(str(r.get("stage", "")))}: '
                      f'{html.escape(str(r.get("error", "")))}</span>')
        where = r.get("serial") or ("phone" if r.get("device") else "virtual device")
        body.append(
            f'<tr class="{"" if done else "failed"}"><td>{html.escape(r["name"])}{status}</td>'
            f'<td>{html.escape(str(where))}</td><td>{_goals_cell(r)}</td>'
            f'<td>{_verified_cell(r)}</td><td>{_findings_cell(r)}</td><td>{gate_cell}</td>'
            f"<td>{link}</td></tr>")
    passed = sum(1 for r in rows if r.get("gate") == "pass")
    failed = sum(1 for r in rows if r.get("status") != "done")
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(name)} - darkscan campaign</title><style>{CSS}</style></head>"
        f"<body><h1>{html.escape(name)}</h1><p class=\"muted\">{len(rows)} apps: {passed} passed "
        f"the gate, {len(rows) - passed - failed} failed it, {failed} could not be audited. "
        f"{html.escape(when)}</p><table><thead><tr><th>app</th><th>device</th>"
        "<th>goal steps</th><th>verified</th><th>findings</th><th>gate</th><th>report</th>"
        f"</tr></thead><tbody>{''.join(body)}</tbody></table></body></html>\n")


def junit_xml(name: str, rows: Sequence[dict[str, Any]]) -> bytes:
    """One testcase per app and gate rule; an app that could not be audited is one error."""
    cases = []
    for r in rows:
        cls = _x(f"darkscan.batch.{r['name']}")
        if r.get("status") != "done":
            cases.append((cls, r.get("stage", "crawl"), "error", str(r.get("error", "failed"))))
            continue
        for rule in r.get("rules") or []:
            cases.append((cls, rule["rule"], rule["outcome"],
                          f'{rule["title"]}: measured {rule["measured"]}, limit {rule["limit"]}'
                          f'\n{rule["message"]}'))
    n = len(cases)
    fails = sum(c[2] == "fail" for c in cases)
    errors = sum(c[2] == "error" for c in cases)
    skipped = sum(c[2] == "skip" for c in cases)
    root = ET.Element("testsuites", name="darkscan", tests=str(n), failures=str(fails),
                      errors=str(errors))
    ts = ET.SubElement(root, "testsuite", name=_x(f"darkscan.batch.{name}"), tests=str(n),
                       failures=str(fails), errors=str(errors), skipped=str(skipped),
                       timestamp=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
                       hostname=socket.gethostname() or "localhost")
    for cls, case, outcome, text in cases:
        tc = ET.SubElement(ts, "testcase", name=_x(case), classname=cls, time="0")
        first = _x(text.splitlines()[0] if text else "")
        if outcome == "fail":
            ET.SubElement(tc, "failure", message=first, type="GateFailure").text = _x(text)
        elif outcome == "error":
            ET.SubElement(tc, "error", message=first, type="AppFailed").text = _x(text)
        elif outcome == "skip":
            ET.SubElement(tc, "skipped", message=first)
        else:
            ET.SubElement(tc, "system-out").text = _x(text)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_outputs(out: Path, name: str, rows: Sequence[dict[str, Any]]) -> dict[str, Path]:
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    paths = {"index": out / "index.html", "junit": out / "junit.xml",
             "summary": out / "summary.json"}
    paths["index"].write_text(index_html(name, rows, when), encoding="utf-8")
    paths["junit"].write_bytes(junit_xml(name, rows))
    summary = {"campaign": name, "finished": when, "exit_code": exit_code(rows),
               "apps": list(rows)}
    paths["summary"].write_text(json.dumps(summary, ensure_ascii=False, indent=1),
                                encoding="utf-8")
    return paths
