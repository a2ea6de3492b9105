"""The results of a bench/run.py run: the table, the targets of issue 11, and the Markdown file."""

from dataclasses import dataclass, field

# Which bare baseline page each portal scenario is compared with.
BASELINE_FOR = {
    "home": "hello",
    "report": "insert",
    "volunteer": "insert",
    "queue": "list",
    "referral": "list",
    "insights": "list",
}
BASELINE_PAGES = {"hello": "/hello", "insert": "POST /items", "list": "/items (50 rows)"}
TITLES = {
    "hello": "baseline /hello",
    "insert": "baseline POST /items",
    "list": "baseline /items (50 rows)",
    "home": "home page",
    "report": "hate-incident report journey",
    "volunteer": "volunteer sign-up journey",
    "queue": "staff queue with a filter",
    "referral": "referral page",
    "insights": "insights dashboard",
}
# How far apart two machine-speed checks may be before the figures measured between or against them are called less
# trustworthy: the faster more than 15% faster than the slower.
SPEED_TOLERANCE = 0.15


@dataclass
class Run:
    """One scenario driven against one server: the driver's figures, the server's peak RSS per worker, and the
    machine's speed just before and just after it (bench/run.py's check; None in results from before it)."""

    scenario: str
    database: str
    size: int
    figures: dict
    rss_mb: float
    machine_speed: dict | None = None

    @property
    def baseline(self) -> str | None:
        return BASELINE_FOR.get(self.scenario)


@dataclass
class Results:
    facts: dict
    settings: dict
    runs: list[Run] = field(default_factory=list)
    outbox: list[dict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    timings: list[tuple[str, float]] = field(default_factory=list)
    profiles: dict[str, str] = field(default_factory=dict)  # scenario → py-spy summary
    profile_stacks: dict[str, str] = field(default_factory=dict)  # file name → collapsed stacks

    def find(self, scenario: str, database: str, size: int | None = None) -> Run | None:
        matches = [r for r in self.runs if r.scenario == scenario and r.database == database]
        if size is not None:
            matches = [r for r in matches if r.size == size]
        return matches[0] if matches else None

    def ratio(self, run: Run) -> float | None:
        base = self.find(run.baseline, run.database) if run.baseline else None
        if base is None or not base.figures["rps"]:
            return None
        return run.figures["rps"] / base.figures["rps"]

    def cpu_ratio(self, run: Run) -> float | None:
        """The baseline page's CPU per request over the scenario's: the ratio other work on the machine cannot skew."""
        base = self.find(run.baseline, run.database) if run.baseline else None
        theirs = base.figures.get("cpu_ms_per_request") if base else None
        ours = run.figures.get("cpu_ms_per_request")
        return theirs / ours if theirs and ours else None

    def databases(self) -> list[str]:
        return list(dict.fromkeys(run.database for run in self.runs))


def _ms(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def table(results: Results) -> str:
    lines = [
        "| scenario | database | referrals | req/s | p50 ms | p95 ms | p99 ms | failed | compared with | ratio "
        "| CPU ms/req | ratio by CPU | peak RSS/worker MB | driver CPU | machine busy | machine speed |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for run in results.runs:
        f = run.figures
        name = TITLES[run.scenario]
        if run.scenario in ("report", "volunteer"):
            name += f" ({f['completed_per_second']:.2f} sent/s)"
        if f.get("sparse"):
            name += f" (slow: {f['requests']} requests, from the start †)"
        ratio, cpu_ratio, cpu = results.ratio(run), results.cpu_ratio(run), f.get("cpu_ms_per_request")
        lines.append(
            f"| {name} | {run.database} | {run.size:,} | {f['rps']:.1f} | {_ms(f['p50'])} | {_ms(f['p95'])} "
            f"| {_ms(f['p99'])} | {f['failures']} | {BASELINE_PAGES.get(run.baseline, '—')} "
            f"| {_percent(ratio)} | {_ms(cpu) if cpu else '—'} | {_percent(cpu_ratio)} | {run.rss_mb:.0f} "
            f"| {f['driver_cpu_percent']:.0f}% | {f['machine_busy_percent']:.0f}% | {speed_cell(run.machine_speed)} |"
        )
    return "\n".join(lines)


def _percent(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else "—"


def outbox_table(results: Results) -> str:
    lines = [
        "| database | referrals | emails queued | due (all) | workers | seconds | emails/s | received | duplicates "
        "| machine speed |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for o in results.outbox:
        lines.append(
            f"| {o['database']} | {o['size']:,} | {o['queued']:,} | {o['due']:,} | {o['workers']} | {o['seconds']:.1f} "
            f"| {o['per_second']:.0f} | {o['distinct']:,} | {o['duplicates']} | {speed_cell(o.get('machine_speed'))} |"
        )
    return "\n".join(lines)


def speed_percent(speed: dict) -> float:
    """The machine's speed over a scenario, as a percentage of the run's first check: the mean of the two checks."""
    return (speed["before_percent"] + speed["after_percent"]) / 2


def speed_cell(speed: dict | None) -> str:
    """The mean, then before → after: "97% (100→94)"."""
    if not speed:
        return "—"
    return f"{speed_percent(speed):.0f}% ({speed['before_percent']:.0f}→{speed['after_percent']:.0f})"


def _apart(one: float, other: float) -> float:
    """How much faster the faster of two speeds is than the slower: 0.25 for 100% and 80%."""
    return max(one, other) / min(one, other) - 1


def speed_notes(results: Results) -> list[str]:
    """Each scenario whose speed checks moved by more than SPEED_TOLERANCE, or whose speed differed by more than that
    from the baseline page's it is compared with, and why its figures are less trustworthy; the outbox likewise."""
    notes = [note for run in results.runs if (note := _run_speed_note(results, run))]
    for o in results.outbox:
        if o.get("machine_speed") and (moved := _moved(o["machine_speed"])):
            notes.append(
                f"- Outbox ({o['database']}, {o['size']:,} referrals): {moved}: its emails/s is less trustworthy."
            )
    return notes


def _moved(speed: dict) -> str | None:
    before, after = speed["before_percent"], speed["after_percent"]
    if _apart(before, after) <= SPEED_TOLERANCE:
        return None
    return f"the machine's speed was {before:.0f}% before it and {after:.0f}% after ({_apart(before, after):.0%} apart)"


def _run_speed_note(results: Results, run: Run) -> str | None:
    if not run.machine_speed:
        return None
    reasons = [moved] if (moved := _moved(run.machine_speed)) else []
    base = results.find(run.baseline, run.database) if run.baseline else None
    if base is not None and base.machine_speed:
        ours, theirs = speed_percent(run.machine_speed), speed_percent(base.machine_speed)
        if _apart(ours, theirs) > SPEED_TOLERANCE:
            reasons.append(
                f"the machine ran at {ours:.0f}% against {theirs:.0f}% for {BASELINE_PAGES[run.baseline]}, which it is "
                f"compared with ({_apart(ours, theirs):.0%} apart)"
            )
    if not reasons:
        return None
    less = "its ratio is less trustworthy" if run.baseline else "the ratios compared with it are less trustworthy"
    return f"- {TITLES[run.scenario]} ({run.database}, {run.size:,} referrals): {'; '.join(reasons)}: {less}."


def _speed_summary(results: Results) -> list[str]:
    """The notes below the table: the machine's speed over the run, and any scenario it makes less trustworthy."""
    speeds = [run.machine_speed for run in results.runs] + [o.get("machine_speed") for o in results.outbox]
    checks = [speed[key] for speed in speeds if speed for key in ("before_percent", "after_percent")]
    if not checks:
        return []  # a run from before the checks
    head = f"**Machine speed** over the run: {min(checks):.0f}% to {max(checks):.0f}% of its first check."
    if not (notes := speed_notes(results)):
        return [
            f"{head} No scenario's checks moved by more than {SPEED_TOLERANCE:.0%}, nor differed by more than "
            f"{SPEED_TOLERANCE:.0%} from its baseline page's.",
            "",
        ]
    return [f"{head} Less trustworthy:", "", *notes, ""]


def _verdict(met: bool | None) -> str:
    return {True: "**met**", False: "**missed**", None: "not measured"}[met]


def targets(results: Results) -> list[str]:
    """Each target of issue 11: met or missed, with the figure."""
    lines = []
    for database in results.databases():
        lines += _journey_targets(results, database)
        lines += _scale_targets(results, database)
    for o in results.outbox:
        # Every message due when the clock started was sent (none left waiting), once. A message of the loaded data
        # can fall due while the workers run, and is sent too: more received than were due is not a fault.
        left = o.get("left", o["due"] - o["distinct"])  # results from before "left" was counted
        met = o["per_second"] >= 200 and o["duplicates"] == 0 and left == 0 and o["distinct"] >= o["due"]
        lines.append(
            f"- Outbox ≥ 200 emails/s with {o['workers']} workers, none sent twice ({o['database']}, "
            f"{o['size']:,} referrals): {_verdict(met)} — {o['per_second']:.0f} emails/s, {o['duplicates']} "
            f"sent twice, {o['distinct']:,} received of {o['due']:,} due at the start, {left:,} of those left unsent."
        )
    portal_runs = [run for run in results.runs if run.baseline is not None]
    if portal_runs:
        peak = max(run.rss_mb for run in portal_runs)
        worst = max(portal_runs, key=lambda run: run.rss_mb)
        lines.append(
            f"- Peak RSS per gunicorn worker ≤ 150 MB: {_verdict(peak <= 150)} — {peak:.0f} MB at most "
            f"({worst.database}, {worst.size:,} referrals, after {TITLES[worst.scenario]})."
        )
    return lines


def _journey_targets(results: Results, database: str) -> list[str]:
    lines = []
    report = results.find("report", database)
    if report is not None:
        ratio = results.ratio(report)
        reports_sent = report.figures["completed"]
        per_report = report.figures.get("requests_per_journey") or 0
        insert = results.find("insert", database)
        per_insert = report.figures["completed_per_second"] / insert.figures["rps"] if insert else None
        whole = (
            f"whole reports {report.figures['completed_per_second']:.2f}/s ({per_insert or 0:.1%} of the insert "
            f"rate; a report is {per_report:.0f} requests)"
            if reports_sent
            else f"no whole report was sent within the measured window ({report.figures.get('completed_in_run', 0)} "
            "in the whole run, warm-up and the end included)"
        )
        lines.append(
            f"- Report submission throughput ≥ 50% of the bare insert's ({database}): "
            f"{_verdict(ratio >= 0.5 if ratio is not None else None)} — the journey's requests "
            f"{report.figures['rps']:.0f}/s against {insert.figures['rps'] if insert else 0:.0f} inserts/s "
            f"({ratio or 0:.0%}; by CPU per request {_percent(results.cpu_ratio(report))}); {whole}."
        )
        lines.append(
            f"- Report journey p99 ≤ 150 ms under {report.figures['users']} concurrent users ({database}): "
            f"{_verdict(report.figures['p99'] <= 150)} — p99 {report.figures['p99']:.0f} ms "
            f"(p95 {report.figures['p95']:.0f} ms, slowest page p99: {_slowest(report)})."
        )
    for scenario in ("queue", "referral"):
        run = results.find(scenario, database)
        if run is None:
            continue
        ratios = [
            f"{other.size:,}: {results.ratio(other):.0%}"
            for other in results.runs
            if other.scenario == scenario and other.database == database and results.ratio(other) is not None
        ]
        ratio = results.ratio(run)
        lines.append(
            f"- {TITLES[scenario].capitalize()} ≥ 50% of the bare list page's throughput ({database}, "
            f"{run.size:,} referrals): {_verdict(ratio >= 0.5 if ratio is not None else None)} — "
            f"{run.figures['rps']:.0f} req/s, {ratio or 0:.0%}; by CPU per request {_percent(results.cpu_ratio(run))} "
            f"(throughput ratio by size: {', '.join(ratios)})."
        )
    return lines


def _slowest(run: Run) -> str:
    by_name = run.figures.get("by_name") or {}
    if not by_name:
        return "—"
    name, figures = max(by_name.items(), key=lambda item: item[1]["p99"])
    return f"{name} {figures['p99']:.0f} ms"


def _scale_targets(results: Results, database: str) -> list[str]:
    lines = []
    queues = sorted((r for r in results.runs if r.scenario == "queue" and r.database == database), key=lambda r: r.size)
    if len(queues) >= 2:
        small, large = queues[0], queues[-1]
        growth = large.figures["p95"] / small.figures["p95"] if small.figures["p95"] else float("inf")
        lines.append(
            f"- Queue p95 at {large.size:,} referrals ≤ 1.5 × its p95 at {small.size:,} ({database}): "
            f"{_verdict(growth <= 1.5)} — {large.figures['p95']:.0f} ms against {small.figures['p95']:.0f} ms "
            f"({growth:.2f} ×)."
        )
    insights = sorted(
        (r for r in results.runs if r.scenario == "insights" and r.database == database), key=lambda r: r.size
    )
    if insights:
        largest = insights[-1]
        f = largest.figures
        cold = (
            f" The insights are cached for a few minutes (INSIGHTS_CACHE_SECONDS): the slowest view of the run, "
            f"working the figures out afresh, took {f.get('slowest_ms', 0) / 1000:.1f} s."
        )
        if database != "postgresql":
            lines.append(
                f"- (Not a target) insights p95 on {database} at {largest.size:,} referrals: {f['p95']:.0f} ms.{cold}"
            )
        elif not f["requests"]:
            lines.append(
                f"- Insights p95 ≤ 300 ms at 1,000,000 referrals on PostgreSQL: {_verdict(False)} — no answer."
            )
        else:
            note = (
                "" if largest.size >= 1_000_000 else f" (the target is at 1,000,000; this run went to {largest.size:,})"
            )
            lines.append(
                f"- Insights p95 ≤ 300 ms at 1,000,000 referrals on PostgreSQL: {_verdict(f['p95'] <= 300)} — p95 "
                f"{f['p95']:.0f} ms at {largest.size:,} referrals under {f['users']} users{note}.{cold}"
            )
    return lines


def markdown(results: Results, started: str, total_seconds: float) -> str:
    facts = ", ".join(f"{key} {value}" for key, value in results.facts.items())
    settings = results.settings
    parts = [
        f"# Benchmark, {started}",
        "",
        f"**Machine:** {facts}.",
        "",
        f"**Run:** {settings['description']} Total time {total_seconds / 60:.1f} minutes.",
        "",
        "## Results",
        "",
        table(results),
        "",
        *_speed_summary(results),
    ]
    if results.outbox:
        parts += ["## Outbox", "", outbox_table(results), ""]
    parts += ["## Targets (issue 11)", "", *targets(results), ""]
    if results.skipped:
        parts += ["## Skipped", "", *[f"- {reason}" for reason in results.skipped], ""]
    for name, summary in results.profiles.items():
        parts += [f"## Profile: {name}", "", "```", summary, "```", ""]
    parts += ["## How to read this", "", *DEFINITIONS, ""]
    parts += ["## Where the time went", "", *[f"- {name}: {seconds:.0f} s" for name, seconds in results.timings], ""]
    return "\n".join(parts)


DEFINITIONS = [
    "- Each scenario ran on its own: its users started together and worked in a closed loop (the next request "
    "as soon as the last one answered); the warm-up (after every user was ready, staff signed in) is left out. "
    "Percentiles are exact, in milliseconds, over every request started in the measured window (each waited for, "
    "however long it took: at the end of the window the users stop sending, so no request is left queued in the "
    "server for the next scenario); req/s counts the requests answered within the window.",
    "- **ratio** is the scenario's requests per second divided by the matching bare baseline page's, on the same "
    "database, same gunicorn settings, same machine, same run: home → `/hello`; the report and volunteer journeys "
    "→ `POST /items` (insert one row); queue, referral page and insights → `/items` (50 rows through a template).",
    "- **The report journey's throughput** counts every request of it: each question page's GET and POST (with "
    "its CSRF token), the emergency question, the start page, check answers, the send and the confirmation. "
    "About a dozen of those write to the database (each page's answers are saved to the draft on the server), so "
    "the fair comparison with one insert is request for request. The rate of whole reports sent (a confirmation "
    "page showing its reference) is given as well, as *sent/s*.",
    "- † A page so slow that fewer requests than users started within the measured window is measured over every "
    "request since the users were ready (warm-up included), each waited for however long it took.",
    "- **peak RSS/worker** is the largest VmHWM (peak resident memory) of any gunicorn worker of that server, read "
    "from /proc after the scenario: each server is started anew for each database and size.",
    "- **CPU ms/req** is the CPU the server spent per request answered: the gunicorn workers' and, on PostgreSQL, "
    "the database server's processes for this database. **ratio by CPU** is the baseline page's CPU per request "
    "over the scenario's. Throughput ratios compare two runs made at different moments, so other work on the "
    "machine can skew them; the CPU a request costs does not depend much on what else is running.",
    "- **driver CPU** is the load driver's own CPU use (100% = one core), **machine busy** the share of all cores "
    "busy over the window. The driver shares the machine with the server, and anything else running at the time "
    "shows in machine busy: throughput measured on a busy machine is low.",
    "- **machine speed** is how fast the machine ran a fixed single-threaded pure-Python workload (dict and str "
    "work, the best of 3 rounds of some 40 ms), checked just before and just after the scenario while nothing else "
    "of the benchmark ran, as a percentage of the run's first check: the mean, then before→after. It is timed by "
    "the clock, so other work on the machine slows it as it slows the scenarios. A virtual machine's speed drifts "
    "(by up to 2× between minutes), and req/s, latency, CPU ms/req and emails/s move with it; they are not "
    f"corrected for it. A scenario whose checks moved by more than {SPEED_TOLERANCE:.0%}, or whose "
    f"speed differed by more than {SPEED_TOLERANCE:.0%} from the baseline page's it is compared with, is listed "
    "below the table: its ratio is less trustworthy.",
    "- Residents each come from their own address (X-Forwarded-For behind PROXY_COUNT=1), so the per-client rate "
    "limits stay on and apply as they would to real residents; CSRF is on.",
]
