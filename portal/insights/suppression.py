"""Small-number suppression for published tables of counts, so that no published table lets a reader work out
a count of fewer than five, either directly or from the totals and the other published numbers.

The reader's arithmetic is a set of equations, one per line of the table with its total. Every number
(cells and totals) sits on one row line and one column line, so the numbers that are hidden form a graph
whose nodes are the lines and whose edges are the hidden numbers; `suppression_network` hides numbers until
each hidden one lies on a cycle of that graph that lets it move (Cox's network method for cell suppression).

Where each row's cells add up to at least its total (a report can name several strands), every row also has a
number that is never published: how far its cells go beyond its total, 0 or more. With that, the rows add up
again and the same method also protects against what a reader knows from "at least".
"""

import itertools
from dataclasses import dataclass, replace

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.insights.suppression_network import Member, Suppressed, edge, suppress

__all__ = ["Cell", "FixedTotals", "Suppressed", "SuppressedTable", "protect_together", "suppress_table"]

# When the rows do not add up at all there are no row equations: all the numbers then hang off this one node,
# which makes the cycles stay within a column.
_ANY_ROW = ("row", "any")
_BEYOND = ("column", "beyond")


@dataclass(frozen=True)
class Cell:
    """One published number: its true value, and whether (and why) it is hidden."""

    value: int
    suppressed: Suppressed | None = None
    threshold: int = 5

    @property
    def display(self) -> str:
        """What the public sees: the number, "fewer than 5" or "hidden"."""
        if self.suppressed == Suppressed.PRIMARY:
            return _("fewer than %(number)s", number=self.threshold)
        if self.suppressed == Suppressed.SECONDARY:
            return _("hidden")
        return str(self.value)


@dataclass(frozen=True)
class SuppressedTable:
    """A table of counts ready to publish: every cell and total with its suppression."""

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    grand_total: Cell
    rows_add_up: bool
    row_heading: str = ""
    threshold: int = 5
    rows_at_least: bool = False

    @property
    def rows(self) -> list[tuple[str, tuple[Cell, ...], Cell]]:
        """(label, cells, row total) for each row, for templates."""
        return list(zip(self.row_labels, self.cells, self.row_totals, strict=True))

    @property
    def any_suppressed(self) -> bool:
        """Whether anything is hidden, so the page needs to explain why."""
        return any(cell.suppressed for cell in self._all_cells())

    @property
    def any_secondary(self) -> bool:
        """Whether anything is hidden only to protect a small number."""
        return any(cell.suppressed == Suppressed.SECONDARY for cell in self._all_cells())

    def _all_cells(self):
        return itertools.chain(*self.cells, self.row_totals, self.column_totals, (self.grand_total,))


@dataclass(frozen=True)
class FixedTotals:
    """How another table that shares this one's row totals and grand total published them (None: shown), so
    that both tables show the same: these are kept as they are, and other numbers are hidden instead."""

    row_totals: tuple[Suppressed | None, ...]
    grand_total: Suppressed | None

    @classmethod
    def of(cls, table: SuppressedTable) -> "FixedTotals":
        """The row totals and grand total as `table` publishes them."""
        return cls(tuple(cell.suppressed for cell in table.row_totals), table.grand_total.suppressed)


def suppress_table(
    row_labels,
    column_labels,
    counts: list[list[int]],
    *,
    row_totals: list[int] | None = None,
    rows_at_least: bool = False,
    fixed_totals: FixedTotals | None = None,
    threshold: int = 5,
    row_heading: str = _l("Month"),
) -> SuppressedTable:
    """Hide counts of 1 to threshold - 1 ("fewer than 5"), and then enough other numbers ("hidden") that none
    of them can be worked out from what is published. Zero is published as zero unless it has to be hidden.

    Without `row_totals` each row's total is the sum of its cells. With them and `rows_at_least` (a report
    names one or more strands), each row's cells add up to at least its total. With `row_totals` alone the rows
    have nothing to do with their totals, and only the columns and the totals column are equations.
    `fixed_totals` keeps the row totals and grand total as another table publishes them."""
    row_count, column_count = len(row_labels), len(column_labels)
    if len(counts) != row_count or any(len(row) != column_count for row in counts):
        raise ValueError("counts must have one row per row label and one value per column label")
    totals = [sum(row) for row in counts] if row_totals is None else list(row_totals)
    if len(totals) != row_count:
        raise ValueError("row_totals must have one value per row label")
    if rows_at_least and any(sum(row) < total for row, total in zip(counts, totals, strict=True)):
        raise ValueError("each row's counts must add up to at least its total")
    rows_add_up = row_totals is None
    members = _members(counts, totals, column_count, rows_add_up or rows_at_least)
    if rows_at_least:
        members += _beyond_totals(counts, totals)
    hidden = suppress(members, threshold, _fixed(fixed_totals, row_count, column_count))

    def cell(index: int) -> Cell:
        return Cell(members[index].value, hidden.get(index), threshold)

    cells = tuple(tuple(cell(i * column_count + j) for j in range(column_count)) for i in range(row_count))
    start = row_count * column_count
    return SuppressedTable(
        row_labels=tuple(row_labels),
        column_labels=tuple(column_labels),
        cells=cells,
        row_totals=tuple(cell(start + i) for i in range(row_count)),
        column_totals=tuple(cell(start + row_count + j) for j in range(column_count)),
        grand_total=cell(start + row_count + column_count),
        rows_add_up=rows_add_up,
        row_heading=row_heading,
        threshold=threshold,
        rows_at_least=rows_at_least,
    )


def _members(counts, totals, column_count, row_equations: bool):
    """Cells row by row, then row totals, column totals and the grand total. Totals carry sign -1 on the
    line they total, so that every line (including the totals row and column) sums to zero."""

    def row(i):
        return ("row", i) if row_equations else _ANY_ROW

    column_totals = [sum(line[j] for line in counts) for j in range(column_count)]
    members = [
        edge(value, False, 1, row(i), ("column", j)) for i, line in enumerate(counts) for j, value in enumerate(line)
    ]
    members += [edge(value, True, -1, row(i), ("column", "total")) for i, value in enumerate(totals)]
    members += [edge(value, True, -1, row("total"), ("column", j)) for j, value in enumerate(column_totals)]
    members.append(edge(sum(totals), True, 1, row("total"), ("column", "total")))
    return members


def _beyond_totals(counts, totals):
    """A never-published column: how far each row's cells go beyond its total (0 or more), and their sum. With
    it each row adds up (cells - beyond = total), and the totals row does too (column totals - beyond = grand)."""
    beyond = [sum(line) - total for line, total in zip(counts, totals, strict=True)]
    members = [edge(value, True, -1, ("row", i), _BEYOND, never_published=True) for i, value in enumerate(beyond)]
    members.append(edge(sum(beyond), True, 1, ("row", "total"), _BEYOND, never_published=True))
    return members


def _fixed(fixed_totals: FixedTotals | None, row_count: int, column_count: int) -> dict[int, Suppressed | None]:
    """The members whose status another table has decided: the row totals and the grand total."""
    if fixed_totals is None:
        return {}
    if len(fixed_totals.row_totals) != row_count:
        raise ValueError("fixed_totals must have one status per row label")
    start = row_count * column_count
    fixed = {start + i: kind for i, kind in enumerate(fixed_totals.row_totals)}
    fixed[start + row_count + column_count] = fixed_totals.grand_total
    return fixed


def protect_together(adding_up: SuppressedTable, at_least: SuppressedTable) -> tuple[SuppressedTable, SuppressedTable]:
    """Hide more, where needed, in two tables published side by side that share their row totals and grand
    total: one whose rows add up (reports by area) and one whose rows add up to at least their totals (by
    strand). Each table protects its own numbers, but a number hidden in one may be protected only by moving a
    shared total in a way that the other table does not allow; read together they are one network."""
    members, places = _members_together(adding_up, at_least)
    already = {index: cell.suppressed for index, (_table, _place, cell) in enumerate(places) if cell.suppressed}
    hidden = suppress(members, adding_up.threshold, {}, already)
    statuses = {(table, place): hidden.get(index) for index, (table, place, _cell) in enumerate(places)}
    return _with_statuses(adding_up, statuses, "adding up"), _with_statuses(at_least, statuses, "at least")


def _members_together(adding_up: SuppressedTable, at_least: SuppressedTable) -> tuple[list[Member], list[tuple]]:
    """Both tables as one flow: from each column of the first table into its rows (the cells), through the
    shared row totals into the rows of the second, on into its columns (its cells) and back round through the
    grand total. The second table's rows also take in how far they go beyond their totals, never published."""
    members, places = [], []

    def add(table, place, cell, tail, head):
        members.append(Member(cell.value, "total" in place, tail, head))
        places.append((table, place, cell))

    for i, (cells, total) in enumerate(zip(adding_up.cells, adding_up.row_totals, strict=True)):
        for j, cell in enumerate(cells):
            add("adding up", (i, j), cell, ("first column", j), ("first row", i))
        add("adding up", (i, "total"), total, ("first row", i), ("second row", i))
    for j, cell in enumerate(adding_up.column_totals):
        add("adding up", ("total", j), cell, "first totals", ("first column", j))
    add("adding up", ("total", "total"), adding_up.grand_total, "second totals", "first totals")
    for i, (cells, total) in enumerate(zip(at_least.cells, at_least.row_totals, strict=True)):
        for k, cell in enumerate(cells):
            add("at least", (i, k), cell, ("second row", i), ("second column", k))
        beyond = sum(cell.value for cell in cells) - total.value
        members.append(Member(beyond, True, "beyond", ("second row", i), never_published=True))
        places.append(("beyond", i, Cell(beyond)))
    for k, cell in enumerate(at_least.column_totals):
        add("at least", ("total", k), cell, ("second column", k), "second totals")
    beyond = sum(member.value for member in members if member.never_published)
    members.append(Member(beyond, True, "second totals", "beyond", never_published=True))
    places.append(("beyond", "total", Cell(beyond)))
    return members, places


def _with_statuses(table: SuppressedTable, statuses: dict, name: str) -> SuppressedTable:
    """`table` with each number's suppression as in `statuses`; the shared totals are the first table's."""

    def status(place):
        shared = place[-1] == "total" and (place[0] != "total" or place == ("total", "total"))
        return statuses[("adding up" if shared else name, place)]

    def cell(original, place):
        return replace(original, suppressed=status(place))

    return replace(
        table,
        cells=tuple(tuple(cell(value, (i, j)) for j, value in enumerate(cells)) for i, cells in enumerate(table.cells)),
        row_totals=tuple(cell(total, (i, "total")) for i, total in enumerate(table.row_totals)),
        column_totals=tuple(cell(total, ("total", j)) for j, total in enumerate(table.column_totals)),
        grand_total=cell(table.grand_total, ("total", "total")),
    )
