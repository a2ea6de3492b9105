"""The benchmark's machine-speed check and how bench/report.py reports it, on made-up figures."""

from bench import run as bench_run
from bench import speed as bench_speed
from bench.report import Results, Run, markdown, outbox_table, speed_cell, speed_notes, table


def figures(rps: float = 100.0) -> dict:
    """What bench/drive.py writes, as far as the report reads it."""
    return {
        "rps": rps,
        "p50": 50.0,
        "p95": 80.0,
        "p99": 90.0,
        "failures": 0,
        "sparse": False,
        "users": 16,
        "cpu_ms_per_request": 10.0,
        "driver_cpu_percent": 20.0,
        "machine_busy_percent": 99.0,
    }


def speed(before: float, after: float) -> dict:
    return {"before_percent": before, "after_percent": after}


def results(*runs: Run, outbox: list[dict] | None = None) -> Results:
    return Results({"cores": 2}, {"description": "Made up."}, runs=list(runs), outbox=outbox or [])


def outbox(machine_speed: dict | None) -> dict:
    figures = {"database": "sqlite", "size": 10_000, "queued": 500, "due": 500, "workers": 2, "seconds": 2.5}
    figures |= {"per_second": 200.0, "distinct": 500, "duplicates": 0}
    return figures | ({"machine_speed": machine_speed} if machine_speed else {})


def test_the_speed_check_runs_a_fixed_workload_and_gives_a_positive_speed():
    assert bench_speed.speed_round() == 251  # the same work every time
    assert bench_speed.machine_speed(rounds=1) > 0


def test_each_check_is_a_percentage_of_the_runs_first(monkeypatch):
    checks = iter([20.0, 18.0, 15.0, 16.0])  # rounds per second
    monkeypatch.setattr(bench_run, "machine_speed", lambda: next(checks))
    bench = bench_run.Bench.__new__(bench_run.Bench)  # without a Redis or a server: only the speed checks
    bench.results, bench.first_speed = results(), None

    with bench.speed_checked() as first:
        pass
    with bench.speed_checked() as second:
        pass

    assert (first["before_percent"], first["after_percent"]) == (100, 90)
    assert (second["before_percent"], second["after_percent"]) == (75, 80)
    assert second["before_rounds_per_second"] == 15.0
    assert bench.results.settings["machine_speed_first_check_rounds_per_second"] == 20.0


def test_a_steady_scenario_is_not_flagged():
    steady = results(
        Run("list", "sqlite", 10_000, figures(), 50, speed(100, 98)),
        Run("queue", "sqlite", 10_000, figures(), 90, speed(97, 90)),
    )

    assert speed_notes(steady) == []
    assert "| 94% (97→90) |" in table(steady)
    assert "No scenario's checks moved by more than 15%" in markdown(steady, "2026-11-25 10:00", 60)


def test_a_scenario_whose_speed_moved_more_than_15_percent_is_flagged():
    moved = results(
        Run("list", "sqlite", 10_000, figures(), 50, speed(100, 98)),
        Run("queue", "sqlite", 10_000, figures(), 90, speed(100, 85)),
    )

    (note,) = speed_notes(moved)
    assert note.startswith("- staff queue with a filter (sqlite, 10,000 referrals): ")
    assert "100% before it and 85% after (18% apart)" in note
    assert note.endswith("its ratio is less trustworthy.")
    assert note in markdown(moved, "2026-11-25 10:00", 60)


def test_a_scenario_at_another_speed_than_its_baseline_page_is_flagged():
    slower = results(
        Run("list", "sqlite", 10_000, figures(), 50, speed(100, 100)),
        Run("hello", "sqlite", 10_000, figures(), 50, speed(70, 70)),  # another page's: no bearing on the queue
        Run("queue", "sqlite", 10_000, figures(), 90, speed(81, 81)),
    )

    (note,) = speed_notes(slower)
    assert "staff queue with a filter" in note
    assert "81% against 100% for /items (50 rows)" in note
    assert "less trustworthy" in note


def test_a_baseline_page_whose_speed_moved_is_flagged_for_the_ratios_against_it():
    moved = results(Run("list", "sqlite", 10_000, figures(), 50, speed(100, 80)))

    (note,) = speed_notes(moved)
    assert note.startswith("- baseline /items (50 rows) (sqlite, 10,000 referrals): ")
    assert note.endswith("the ratios compared with it are less trustworthy.")


def test_the_outbox_is_flagged_when_the_speed_moved_over_it():
    assert speed_notes(results(outbox=[outbox(speed(90, 88))])) == []
    (note,) = speed_notes(results(outbox=[outbox(speed(90, 70))]))
    assert note.startswith("- Outbox (sqlite, 10,000 referrals): ") and "emails/s is less trustworthy" in note


def test_results_from_before_the_speed_check_still_render():
    raw = {"scenario": "queue", "database": "sqlite", "size": 10_000, "figures": figures(), "rss_mb": 90.0}
    older = results(Run(**raw), outbox=[outbox(None)])  # as in an older bench/results/*.json

    assert speed_cell(None) == "—"
    assert table(older).splitlines()[-1].endswith("| — |")
    assert outbox_table(older).splitlines()[-1].endswith("| — |")
    assert speed_notes(older) == []
    assert "**Machine speed**" not in markdown(older, "2026-11-24 10:04", 60)


def test_the_outbox_target_needs_every_message_due_at_the_start_sent_once():
    from bench.report import targets

    def verdict(**figures) -> str:
        (line,) = [line for line in targets(results(outbox=[outbox(None) | figures])) if "Outbox" in line]
        return line

    assert "**met**" in verdict(left=0)
    # A message of the loaded data fell due while the workers ran, and was sent too.
    assert "**met**" in verdict(distinct=501, left=0)
    assert "**missed**" in verdict(distinct=499, left=1)
    assert "**missed**" in verdict(left=0, duplicates=1)
    assert "**missed**" in verdict(left=0, per_second=150.0)
