"""JUnit XML for CI systems: one testcase per gate rule (Jenkins/Ant junit-10 layout)."""

from __future__ import annotations

import re
import socket
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

from darkscan.errors import InputError, RunFolderError
from darkscan.report.gate import GateResult, Outcome
from darkscan.runfolder.files import write_atomic

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (app texts may contain anything)."""
    return _NOT_XML.sub("\ufffd", text)


def junit_xml(result: GateResult, *, suite: str = "darkscan.gate", app: str = "",
              elapsed: float = 0.0) -> bytes:
    """The gate verdicts as a ``<testsuites>`` document (UTF-8 bytes)."""
    n = len(result.results)
    failures = sum(r.outcome is Outcome.FAIL for r in result.results)
    skipped = sum(r.outcome is Outcome.SKIP for r in result.results)
    root = ET.Element("testsuites", name="darkscan", tests=str(n), failures=str(failures),
                      errors="0", time=f"{elapsed:.3f}")
    ts = ET.SubElement(root, "testsuite", name=suite, tests=str(n), failures=str(failures),
                       errors="0", skipped=str(skipped), time=f"{elapsed:.3f}",
                       timestamp=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"),
                       hostname=socket.gethostname() or "localhost")
    props = ET.SubElement(ts, "properties")
    ET.SubElement(props, "property", name="app", value=_x(app))
    for key, value in vars(result.thresholds).items():
        shown = "off" if value is None or value is False else getattr(value, "value", value)
        ET.SubElement(props, "property", name=f"threshold.{key}", value=str(shown))
    classname = _x(f"darkscan.gate.{app}" if app else "darkscan.gate")
    for r in result.results:
        tc = ET.SubElement(ts, "testcase", name=r.rule, classname=classname, time="0")
        if r.outcome is Outcome.FAIL:
            fail = ET.SubElement(tc, "failure", message=_x(r.message), type="GateFailure")
            fail.text = _x(f"{r.title}: measured {r.measured}, limit {r.limit}\n{r.message}")
        elif r.outcome is Outcome.SKIP:
            ET.SubElement(tc, "skipped", message=_x(r.message))
        else:
            out = ET.SubElement(tc, "system-out")
            out.text = _x(f"{r.title}: measured {r.measured}, limit {r.limit}")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def write_junit(result: GateResult, path: Path | str, *, app: str = "",
                elapsed: float = 0.0) -> Path:
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"{path}: cannot write the JUnit XML: {e.strerror}") from None
    if path.is_dir():
        raise InputError(f"{path}: cannot write the JUnit XML: Is a directory")
    try:
        write_atomic(path, junit_xml(result, app=app, elapsed=elapsed))
    except RunFolderError as e:
        raise InputError(f"{path}: cannot write the JUnit XML: "
                         f"{e.message.rsplit('cannot write: ', 1)[-1]}") from None
    return path
