"""Reviewer report and CI gate over a run folder.

    load_run(RUN) -> RunData            read what the crawl and analysis wrote
    evaluate(run, Thresholds()) -> GateResult
    write_report(run, lang=, gate=) -> Path   RUN/report/index.html (static, offline)
    write_junit(gate_result, path)      JUnit XML, one testcase per gate rule
"""

from darkscan.report.gate import (
    GateResult,
    Outcome,
    RuleResult,
    Thresholds,
    evaluate,
)
from darkscan.report.html import write_report
from darkscan.report.junit import junit_xml, write_junit
from darkscan.report.load import RunData, load_run

__all__ = [
    "GateResult", "Outcome", "RuleResult", "RunData", "Thresholds", "evaluate",
    "junit_xml", "load_run", "write_junit", "write_report",
]
