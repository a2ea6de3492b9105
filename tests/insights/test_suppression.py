import random
from dataclasses import replace

import pytest

from portal.insights.figures import suppress_figures
from portal.insights.suppression import Cell, Suppressed, suppress_table

P, S = Suppressed.PRIMARY, Suppressed.SECONDARY
CAP = 300  # larger than any number in these tables: what a reader might guess a hidden number is at most


def marks(table) -> dict:
    """Every number's suppression, by where it is: (row, column), ("total", column), (row, "total")."""
    found = {}
    for i, (cells, total) in enumerate(zip(table.cells, table.row_totals, strict=True)):
        found |= {(i, j): cell.suppressed for j, cell in enumerate(cells)}
        found[i, "total"] = total.suppressed
    found |= {("total", j): cell.suppressed for j, cell in enumerate(table.column_totals)}
    found["total", "total"] = table.grand_total.suppressed
    return {place: mark for place, mark in found.items() if mark}


def test_nothing_small_nothing_hidden():
    table = suppress_table(["Jan", "Feb"], ["A", "B"], [[5, 6], [7, 0]])
    assert marks(table) == {}
    assert not table.any_suppressed
    assert [[cell.display for cell in cells] for cells in table.cells] == [["5", "6"], ["7", "0"]]
    assert [cell.display for cell in table.row_totals] == ["11", "7"]
    assert [cell.display for cell in table.column_totals] == ["12", "6"]
    assert table.grand_total == Cell(18)


def test_a_small_number_in_a_row_is_protected_through_the_row_and_then_a_column():
    table = suppress_table(["Jan", "Feb", "Mar"], ["A", "B", "C"], [[3, 10, 12], [8, 9, 20], [7, 15, 30]])
    # Jan's 3 would follow from Jan's total, so Jan's 10 goes too; that would follow from column B, so
    # Feb's 9 goes; then Feb's 8 closes the square (the cheapest way round).
    assert marks(table) == {(0, 0): P, (0, 1): S, (1, 0): S, (1, 1): S}
    assert table.cells[0][0].display == "fewer than 5"
    assert table.cells[0][1].display == "hidden"
    assert table.any_suppressed and table.any_secondary
    assert [cell.display for cell in table.row_totals] == ["25", "37", "52"]


def test_two_hidden_in_every_line_is_not_enough_when_the_bounds_give_them_away():
    # With only the 1s and the 7 and 8 hidden, column A says the two 1s add up to 12 - 10 = 2, and
    # "fewer than 5" means at least 1 each: so both are 1. The 10 below them has to go as well.
    table = suppress_table(["r0", "r1", "r2"], ["A", "B"], [[1, 7], [1, 8], [10, 10]])
    assert marks(table) == {(0, 0): P, (1, 0): P, (0, 1): S, (1, 1): S, (2, 0): S, (2, 1): S}


def test_when_rows_do_not_add_up_only_the_columns_are_protected():
    table = suppress_table(["Jan", "Feb"], ["A", "B"], [[3, 6], [9, 12]], row_totals=[10, 15])
    assert not table.rows_add_up
    assert marks(table) == {(0, 0): P, (1, 0): S}
    assert [cell.value for cell in table.column_totals] == [12, 18]
    assert table.grand_total == Cell(25)


def test_small_row_totals_are_protected_in_the_totals_column_when_rows_do_not_add_up():
    table = suppress_table(["Jan", "Feb", "Mar"], ["A"], [[6], [7], [8]], row_totals=[2, 9, 12])
    assert marks(table) == {(0, "total"): P, (1, "total"): S}
    assert table.grand_total == Cell(23)


def test_fewer_than_five_is_relabelled_hidden_when_it_would_give_itself_away():
    # Four "fewer than 5" under a column total of "fewer than 5" can only be four 1s, and with rows that do not
    # add up there is nothing else to hide in that column: so one of them is shown as "hidden" (0 or more).
    table = suppress_table(["a", "b", "c", "d"], ["A", "B"], [[1, 6], [1, 7], [1, 8], [1, 9]], row_totals=[7, 8, 9, 10])
    assert marks(table) == {(0, 0): S, (1, 0): P, (2, 0): P, (3, 0): P, ("total", 0): P}
    assert table.cells[0][0].display == "hidden"


def test_all_zeros_are_published():
    table = suppress_table(["Jan", "Feb"], ["A", "B"], [[0, 0], [0, 0]])
    assert marks(table) == {}
    assert table.grand_total.display == "0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, {}),
        (3, {(0, 0): P, (0, "total"): P, ("total", 0): P, ("total", "total"): P}),
        (7, {}),
    ],
)
def test_a_single_cell(value, expected):
    table = suppress_table(["Jan"], ["A"], [[value]])
    assert marks(table) == expected


@pytest.mark.parametrize(("value", "hidden"), [(1, True), (4, True), (5, False)])
def test_the_threshold_is_fewer_than_five(value, hidden):
    table = suppress_table(["Jan", "Feb"], ["A", "B"], [[value, 20], [30, 40]])
    assert (table.cells[0][0].suppressed == P) is hidden


def test_another_threshold():
    table = suppress_table(["Jan", "Feb"], ["A", "B"], [[9, 20], [30, 40]], threshold=10)
    assert table.cells[0][0].display == "fewer than 10"
    assert suppress_table(["Jan"], ["A"], [[10]], threshold=10).any_suppressed is False


def test_zeros_are_hidden_only_when_nothing_else_will_do():
    table = suppress_table(["Jan", "Feb"], ["A", "B"], [[3, 0], [0, 9]])
    assert table.cells[0][1].suppressed is None and table.cells[1][0].suppressed is None
    assert marks(table) == {(0, 0): P, (0, "total"): P, ("total", 0): P, ("total", "total"): S}


def test_no_rows_yet():
    table = suppress_table([], ["A", "B"], [])
    assert table.column_totals == (Cell(0), Cell(0)) and table.grand_total == Cell(0) and table.rows == []


def test_mismatched_counts_are_refused():
    with pytest.raises(ValueError, match="one row per row label"):
        suppress_table(["Jan"], ["A", "B"], [[1]])
    with pytest.raises(ValueError, match="row_totals"):
        suppress_table(["Jan"], ["A"], [[1]], row_totals=[1, 2])


# --- The property: no hidden number can be worked out by a reader who knows how the table was made. ---


def reader_equations(table) -> list[list[tuple]]:
    """What a reader can add up: each column, each row (when rows add up), the totals column and row."""
    rows, columns = range(len(table.row_labels)), range(len(table.column_labels))
    equations = [[*(((i, j), 1) for i in rows), (("total", j), -1)] for j in columns]
    equations.append([*(((i, "total"), 1) for i in rows), (("total", "total"), -1)])
    if table.rows_add_up:
        equations += [[*(((i, j), 1) for j in columns), ((i, "total"), -1)] for i in rows]
        equations.append([*((("total", j), 1) for j in columns), (("total", "total"), -1)])
    if table.rows_at_least:
        # Each row's cells are its total plus an unknown 0 or more: ("beyond", i).
        equations += [[*(((i, j), 1) for j in columns), ((i, "total"), -1), (("beyond", i), -1)] for i in rows]
        beyond = [(("beyond", i), -1) for i in rows]
        equations.append([*((("total", j), 1) for j in columns), (("total", "total"), -1), *beyond])
    return equations


def reader_domains(table) -> dict:
    """What a reader knows of each number: published ones exactly, "fewer than 5" 1-4, "hidden" 0 or more."""
    domains = {}
    for place, cell in all_cells(table).items():
        if cell.suppressed == P:
            domains[place] = (1, table.threshold - 1)
        elif cell.suppressed == S:
            domains[place] = (0, CAP)
        else:
            domains[place] = (cell.value, cell.value)
    if table.rows_at_least:
        domains |= {("beyond", i): (0, CAP) for i in range(len(table.row_labels))}
    return domains


def all_cells(table) -> dict:
    found = {(i, j): cell for i, cells in enumerate(table.cells) for j, cell in enumerate(cells)}
    found |= {(i, "total"): cell for i, cell in enumerate(table.row_totals)}
    found |= {("total", j): cell for j, cell in enumerate(table.column_totals)}
    found["total", "total"] = table.grand_total
    return found


def narrow(domains: dict, equations) -> dict | None:
    """Tighten each number's range from each equation until nothing changes; None if no solution is left."""
    domains = dict(domains)
    changed = True
    while changed:
        changed = False
        for equation in equations:
            for place, sign in equation:
                others = [(domains[other], other_sign) for other, other_sign in equation if other != place]
                low = -sum(hi if s > 0 else -lo for (lo, hi), s in others)
                high = -sum(lo if s > 0 else -hi for (lo, hi), s in others)
                low, high = (low, high) if sign > 0 else (-high, -low)
                old = domains[place]
                new = (max(old[0], low), min(old[1], high))
                if new[0] > new[1]:
                    return None
                if new != old:
                    domains[place], changed = new, True
    return domains


def has_solution(domains: dict, equations) -> bool:
    """Exhaustive search (by halving ranges, pruned by the equations) for whole numbers that fit."""
    domains = narrow(domains, equations)
    if domains is None:
        return False
    open_places = [place for place, (low, high) in domains.items() if low < high]
    if not open_places:
        return True
    place = min(open_places, key=lambda p: domains[p][1] - domains[p][0])
    low, high = domains[place]
    middle = (low + high) // 2
    return has_solution({**domains, place: (low, middle)}, equations) or has_solution(
        {**domains, place: (middle + 1, high)}, equations
    )


def possible_values_besides_the_true_one(table, place) -> bool:
    domains, equations = reader_domains(table), reader_equations(table)
    true_value = all_cells(table)[place].value
    low, high = domains[place]
    return any(
        has_solution({**domains, place: part}, equations)
        for part in ((low, true_value - 1), (true_value + 1, high))
        if part[0] <= part[1]
    )


def random_tables(seed: int, count: int):
    rng = random.Random(seed)
    for _number in range(count):
        rows, columns = rng.randint(1, 3), rng.randint(1, 3)
        counts = [[rng.choice([0, 0, 1, 2, 3, 4, *range(5, 13)]) for _j in range(columns)] for _i in range(rows)]
        kind = rng.random()
        row_totals = None if kind < 0.5 else [rng.randint(0, 15) for _i in range(rows)]
        if kind > 0.75:  # rows that add up to at least their totals
            row_totals = [rng.randint(max(0, sum(line) - 6), sum(line)) for line in counts]
        yield suppress_table(
            [f"r{i}" for i in range(rows)],
            [f"c{j}" for j in range(columns)],
            counts,
            row_totals=row_totals,
            rows_at_least=kind > 0.75,
        )


@pytest.mark.parametrize("seed", range(4))
def test_no_hidden_number_can_be_worked_out(seed):
    for table in random_tables(seed, 100):
        cells = all_cells(table)
        assert all(cell.suppressed for cell in cells.values() if 1 <= cell.value <= 4)
        for place, cell in cells.items():
            if cell.suppressed:
                assert possible_values_besides_the_true_one(table, place), (place, table)


def test_the_reader_model_catches_a_giveaway():
    """The check above would fail a table that gives a number away: two "fewer than 5" that add up to 2."""
    table = suppress_table(["r0", "r1", "r2"], ["A", "B"], [[1, 7], [1, 8], [10, 10]])
    leaky = replace(table, cells=(*table.cells[:2], (Cell(10), Cell(10))))
    assert not possible_values_besides_the_true_one(leaky, (0, 0))


def test_a_strand_cannot_be_worked_out_from_every_report_naming_one():
    # Race 5, Religion "fewer than 5", all else 0, 9 reports: if those were all published, every report names a
    # strand, so Religion would be at least 9 - 5 = 4, and so exactly 4.
    table = suppress_table(["Oct"], ["Race", "Religion", "Sex"], [[5, 4, 0]], row_totals=[9], rows_at_least=True)
    assert table.cells[0][1].suppressed == P
    assert len(table.cells[0]) == 3 and [cell.value for cell in table.row_totals] == [9]
    assert possible_values_besides_the_true_one(table, (0, 1))


def test_rows_that_add_up_to_less_than_their_totals_are_refused():
    with pytest.raises(ValueError, match="at least its total"):
        suppress_table(["Jan"], ["A", "B"], [[1, 2]], row_totals=[4], rows_at_least=True)


def test_fixed_totals_are_kept_and_other_numbers_hidden_instead():
    # The area table shows October's 9 reports, so the strand table cannot hide them: it hides Race's 5 (and
    # what that needs) so that Religion's "fewer than 5" is not 9 - 5.
    by_strand, by_area = suppress_figures(["Oct"], ["Race", "Religion"], [[5, 4]], ["North", "South"], [[9, 0]], [9])
    assert marks(by_area) == {}
    assert by_strand.row_totals[0].display == by_strand.grand_total.display == "9"
    assert by_strand.cells[0][0].suppressed == S and by_strand.cells[0][1].suppressed == P
    assert not given_away_by_both(by_strand, by_area)


# --- Both published tables together: the reader knows they share the month totals and the grand total. ---


def joint_reader(by_strand, by_area) -> tuple[dict, list]:
    """Every number of both tables (the shared totals once), what the reader knows of each, and every equation:
    the area table's rows and columns, the strand table's columns, and each month's strands adding up to its
    reports plus an unknown 0 or more."""
    cap = 2 * by_area.grand_total.value + 5  # what a reader might guess a hidden number is at most
    domains = {}
    for name, table in (("area", by_area), ("strand", by_strand)):
        for place, cell in all_cells(table).items():
            known = (cell.value, cell.value) if not cell.suppressed else (1, 4) if cell.suppressed == P else (0, cap)
            key = shared(name, place)
            old = domains.get(key, (0, cap))
            domains[key] = (max(old[0], known[0]), min(old[1], known[1]))  # published in either is published
    rows, strands = range(len(by_strand.row_labels)), range(len(by_strand.column_labels))
    domains |= {("beyond", i): (0, cap * len(strands)) for i in rows}
    equations = [[(shared("area", place), sign) for place, sign in line] for line in reader_equations(by_area)]
    equations += [[(("strand", i, k), 1) for i in rows] + [(("strand", "total", k), -1)] for k in strands]
    equations += [
        [*((("strand", i, k), 1) for k in strands), (("area", i, "total"), -1), (("beyond", i), -1)] for i in rows
    ]
    return domains, equations


def shared(name: str, place: tuple) -> tuple:
    """A number's key in the joint reader: the month totals and the grand total are the same in both tables."""
    if place[-1] == "total" and (place[0] != "total" or place == ("total", "total")):
        return ("area", *place)
    return (name, *place)


def given_away_by_both(by_strand, by_area) -> list:
    """The hidden numbers a reader of both tables could work out (an empty list when none)."""
    domains, equations = joint_reader(by_strand, by_area)
    given_away = []
    for name, table in (("area", by_area), ("strand", by_strand)):
        for place, cell in all_cells(table).items():
            key = shared(name, place)
            low, high = domains[key]
            if low < high and not any(
                has_solution({**domains, key: part}, equations)
                for part in ((low, cell.value - 1), (cell.value + 1, high))
                if part[0] <= part[1]
            ):
                given_away.append((name, place, cell.value))
    return given_away


def made_up_figures(rng: random.Random):
    """Months of made-up reports, each in one of two areas and naming one or two of the strands."""
    months, strands = rng.randint(2, 3), rng.randint(2, 3)
    strand_counts = [[0] * strands for _month in range(months)]
    area_counts = [[0, 0] for _month in range(months)]
    for month in range(months):
        for _report in range(rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 9, 12])):
            area_counts[month][rng.randrange(2)] += 1
            for strand in rng.sample(range(strands), rng.choice([1, 1, 2]) if strands > 1 else 1):
                strand_counts[month][strand] += 1
    month_reports = [sum(line) for line in area_counts]
    labels = [f"m{i}" for i in range(months)], [f"s{k}" for k in range(strands)]
    return labels[0], labels[1], strand_counts, ["North", "South"], area_counts, month_reports


@pytest.mark.parametrize("seed", range(3))
def test_no_hidden_number_can_be_worked_out_from_both_tables_together(seed):
    rng = random.Random(seed)
    for _case in range(100):
        figures = made_up_figures(rng)
        by_strand, by_area = suppress_figures(*figures)
        assert [cell.display for cell in by_strand.row_totals] == [cell.display for cell in by_area.row_totals]
        assert by_strand.grand_total.display == by_area.grand_total.display
        assert not given_away_by_both(by_strand, by_area), (figures, by_strand, by_area)
