import csv
import io

from portal.insights.charts import Chart, Series
from portal.insights.suppression import suppress_table
from portal.insights.tables import chart_csv, suppressed_csv

HOSTILE = '=HYPERLINK("http://example.com","x")'


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_chart_csv_has_raw_numbers_and_empty_cells_for_no_data():
    chart = Chart(
        slug="acknowledgement-rate",
        title="Acknowledgement rate",
        description="How many referrals each partner acknowledged.",
        category_label="Partner",
        categories=("Victim Support", "Tell MAMA"),
        series=(Series("This period", (87.5, None)), Series("Period before", (90, 0))),
        unit="%",
    )
    assert read(chart_csv(chart)) == [
        ["Partner", "This period", "Period before"],
        ["Victim Support", "87.5", "90"],
        ["Tell MAMA", "", "0"],
    ]


def test_chart_csv_neutralises_formulas_in_labels():
    chart = Chart("by-partner", "By partner", "Referrals.", "+Partner", (HOSTILE, "@SUM(A1)"), (Series("-1", (1, 2)),))
    assert read(chart_csv(chart)) == [
        ["'+Partner", "'-1"],
        ["'" + HOSTILE, "1"],
        ["'@SUM(A1)", "2"],
    ]


def test_suppressed_csv_shows_what_is_published():
    table = suppress_table(["Jan", "Feb"], ["Race", "Religion"], [[3, 6], [9, 12]], row_totals=[10, 15])
    assert read(suppressed_csv(table, total_label="All reports")) == [
        ["Month", "Race", "Religion", "All reports"],
        ["Jan", "fewer than 5", "6", "10"],
        ["Feb", "hidden", "12", "15"],
        ["Total", "12", "18", "25"],
    ]


def test_suppressed_csv_neutralises_formulas_in_labels():
    table = suppress_table([HOSTILE], ["=1+1", "Area"], [[0, 7]], row_heading="-Month")
    assert read(suppressed_csv(table, total_label="@Total")) == [
        ["'-Month", "'=1+1", "Area", "'@Total"],
        ["'" + HOSTILE, "0", "7", "7"],
        ["Total", "0", "7", "7"],
    ]
