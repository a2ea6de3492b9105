"""The page checkers: axe-core for accessibility and the Nu HTML Checker for valid HTML.

Both come from npm (package.json) and run here, on this machine: nothing is sent anywhere else.
"""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"

# WCAG 2.0, 2.1 and 2.2, levels A and AA. No rule is disabled; one known false positive is filtered
# out node by node (see is_known_false_positive).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html, summary: n.failureSummary}))
  }));
}"""


def is_known_false_positive(rule: str, node: dict) -> bool:
    """GOV.UK Frontend's JavaScript puts aria-expanded on a radio that reveals a conditional question.
    ARIA 1.2 does not list it for radios, so axe flags it; the Design System keeps it on purpose because
    screen readers announce it (https://github.com/alphagov/govuk-frontend/issues/979, listed as a known
    issue in https://github.com/alphagov/govuk-frontend/issues/1280). Only that exact case is ignored."""
    return (
        rule == "aria-allowed-attr"
        and "govuk-radios__input" in node["html"]
        and node["summary"].count("ARIA attribute is not allowed") == 1
        and "aria-expanded=" in node["summary"]
    )


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page (through the browser's debugging protocol, so no CSP gets in the way)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    violations = []
    for violation in page.evaluate(_RUN_AXE, AXE_TAGS):
        nodes = [node for node in violation["nodes"] if not is_known_false_positive(violation["id"], node)]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    return violations


def describe_violations(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    "
        + "\n    ".join(f"{n['target']} :: {n['summary']}" for n in v["nodes"])
        for v in violations
    )


class HtmlValidator:
    """The Nu HTML Checker (vnu.jar) running as a local web service, started once per test session."""

    def __init__(self):
        java = shutil.which("java")
        if not java or not VNU_JAR.exists():
            raise FileNotFoundError("java and node_modules/vnu-jar are needed for HTML validation")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.process = subprocess.Popen(  # noqa: S603 - our own fixed command line
            [
                java,
                "-Xss8m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                self.errors("<!DOCTYPE html><html lang=en><title>t</title></html>", timeout=5)
                return
            except OSError:
                time.sleep(0.5)
        self.close()
        raise RuntimeError("the Nu HTML Checker did not start within 90 seconds")

    def errors(self, html: str, timeout: float = 60) -> list[str]:
        """Every error the checker reports in this document (warnings and info are not errors)."""
        request = urllib.request.Request(  # noqa: S310 - a local service we started
            f"http://127.0.0.1:{self.port}/?out=json",
            data=html.encode("utf-8"),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            messages = json.load(response)["messages"]
        return [
            f"line {m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '').strip()[:120]}]"
            for m in messages
            if m.get("type") == "error" or m.get("subType") == "fatal"
        ]

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
