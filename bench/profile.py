"""Where the portal's workers spend a scenario's time: py-spy sampling every gunicorn worker, summarised.

`bench/run.py --profile queue,referral` has bench/drive.py record each of those scenarios' measured window with
`py-spy record --subprocesses --idle` on the gunicorn master. The summary covers the samples taken inside a request
(under Flask's full_dispatch_request): the share of time in each function of the portal (inclusive: itself and what
it calls, waiting on the database included), and where that time is actually spent (leaf frames, and their
packages). The collapsed stacks are written beside the results too, for flamegraph.pl or speedscope.
"""

import re
import subprocess
from collections import Counter
from pathlib import Path

from bench.servers import BIN, ROOT

REQUEST_FRAME = "full_dispatch_request"
_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^():]+)(?::(?P<line>\d+))?\)$")


def start_recording(master_pid: int, seconds: float, output: Path) -> subprocess.Popen:
    """py-spy recording a gunicorn master and its workers for `seconds`, into `output` (collapsed stacks)."""
    command = [str(BIN / "py-spy"), "record", "--pid", str(master_pid), "--subprocesses", "--idle", "--rate", "50"]
    command += ["--format", "raw", "--duration", str(max(1, int(seconds))), "--output", str(output), "--nonblocking"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603 - ours


def summary_of(output: Path) -> str:
    if not output.exists():
        return "py-spy wrote nothing (it needs ptrace: root or CAP_SYS_PTRACE)"
    return summarise(output.read_text())


def _frame(text: str) -> tuple[str, str]:
    match = _FRAME.match(text.strip())
    if not match:
        return text.strip(), ""
    path = match["file"]
    for prefix in (str(ROOT) + "/", "/root/"):
        path = path.removeprefix(prefix)
    path = re.sub(r"^.*site-packages/", "", path)
    return match["function"], path


def summarise(collapsed: str, top: int = 25) -> str:
    inclusive, leaves, packages = Counter(), Counter(), Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit() or REQUEST_FRAME not in stack:
            continue
        frames = [_frame(text) for text in stack.split(";")]
        starts = [i for i, (function, _path) in enumerate(frames) if function.endswith(REQUEST_FRAME)]
        if not starts:
            continue
        frames = frames[starts[0] :]
        samples = int(count)
        total += samples
        for function, path in set(frames):
            if path.startswith("portal/") or path.endswith(".html"):
                inclusive[f"{function} ({path})"] += samples
        function, path = frames[-1]
        leaves[f"{function} ({path})"] += samples
        packages[path.split("/")[0] if "/" in path else path] += samples
    if not total:
        return "no samples inside a request"
    lines = [
        f"{total} samples inside requests (50 a second per worker, waiting included)",
        "",
        "Portal code, inclusive:",
    ]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in inclusive.most_common(top)]
    lines += ["", "Where the time is spent, by package (leaf frames):"]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in packages.most_common(12)]
    lines += ["", "Where the time is spent (leaf frames):"]
    lines += [f"  {100 * n / total:5.1f}%  {name}" for name, n in leaves.most_common(top)]
    return "\n".join(lines)
