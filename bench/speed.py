"""The machine's speed, checked just before and just after each scenario of bench/run.py: a virtual machine's
speed drifts (by up to 2× between minutes here), which moves every figure measured in seconds."""

import os
import time
from pathlib import Path

SPEED_ROUND_STEPS = 200_000  # one round of the machine-speed check: about 40 ms on the 2-core VM


def speed_round() -> int:
    """The machine-speed check's fixed workload: dict and str work in pure Python, on one thread."""
    counts: dict[str, int] = {}
    for number in range(SPEED_ROUND_STEPS):
        word = f"referral-{number % 251}"
        counts[word] = counts.get(word, 0) + len(word.upper())
    return len(counts)


def machine_speed(rounds: int = 3) -> float:
    """Rounds of the fixed workload this machine runs per second now: the best of `rounds` (so a moment's
    interruption does not count)."""
    best = float("inf")
    for _ in range(rounds):
        began = time.perf_counter()
        speed_round()
        best = min(best, time.perf_counter() - began)
    return 1 / best


def cpu_seconds(pids) -> float:
    """User and system CPU time these processes have used so far (those that ended are left out)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return total


def wait_until_idle(pids, timeout: float = 10) -> None:
    """Until these processes (a server's) use next to no CPU for a fifth of a second, or `timeout` passes: gunicorn
    answers once one worker is up, while the others may still be loading the app beside a speed check."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = cpu_seconds(pids)
        time.sleep(0.2)
        if cpu_seconds(pids) - before < 0.02:
            return
