"""The numbers behind a chart, and a published table of counts, as CSV for people who want to reuse them.

Labels come from the database (partner and area names anyone with admin rights can edit), so every cell
goes through safe_cell: a spreadsheet must not run one as a formula.
"""

import csv
import io

from flask_babel import gettext as _

from portal.insights.charts import Chart
from portal.insights.suppression import SuppressedTable
from portal.triage.export import safe_cell


def chart_csv(chart: Chart) -> str:
    """The chart's data table: a heading row, then a row per category with the raw values (no units;
    empty where there is no data)."""
    rows = [chart.header()]
    rows += [[category, *("" if value is None else value for value in values)] for category, *values in chart.rows()]
    return _csv(rows)


def suppressed_csv(table: SuppressedTable, *, total_label: str) -> str:
    """The table as published: hidden numbers as "fewer than 5" or "hidden", a total column (headed
    `total_label`) and a totals row."""
    rows = [[table.row_heading, *table.column_labels, total_label]]
    rows += [[label, *(cell.display for cell in cells), total.display] for label, cells, total in table.rows]
    rows.append([_("Total"), *(cell.display for cell in table.column_totals), table.grand_total.display])
    return _csv(rows)


def _csv(rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue()
