"""The insights pages over HTTP: the staff dashboard and its period form, chart CSVs, the board report, and the
public figures with their small numbers suppressed."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest

from portal.extensions import db as _db
from portal.models import Area, ReferralStatistic
from portal.retention.service import erase_referral
from tests.conftest import make_referral

DASHBOARD = "/staff/insights"


def report(strand: str, area: Area | None = None, *, on: date | None = None):
    """A report made through the real service, moved to the day `on` when given (the figures are by month)."""
    referral = make_referral(
        hostility={"strands": [strand]},
        address={"location": "Made-up street", "area_choice": str(area.id) if area else ""},
    )
    if on is not None:
        statistic = _db.session.get(ReferralStatistic, referral.id)
        statistic.received_on, statistic.received_month = on, on.strftime("%Y-%m")
        _db.session.commit()
    return referral


@pytest.fixture
def areas(demo_config):
    return _db.session.execute(_db.select(Area).order_by(Area.position)).scalars().all()


def cells_of(html: str, row_heading: str) -> list[str]:
    """The cells of the table row headed `row_heading` (first match), as text."""
    start = html.index(f'<th scope="row" class="govuk-table__header">{row_heading}</th>')
    row = html[start : html.index("</tr>", start)]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_the_dashboard_shows_each_indicator_as_a_chart_with_its_table(signed_in, areas):
    for strand in ("race", "race", "religion"):
        report(strand, areas[0])
    html = signed_in.get(DASHBOARD).get_data(as_text=True)
    assert cells_of(html, "Reports received")[0] == "3"
    assert cells_of(html, "Race")[:2] == ["2", "0"]  # this period, the period before
    assert cells_of(html, "Religion or belief")[:2] == ["1", "0"]
    assert html.count('role="img"') >= 10
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    root = ET.fromstring(svg)  # noqa: S314 - our own page, in a test
    assert root.find("{http://www.w3.org/2000/svg}title") is not None or root.find("title") is not None
    assert "Show the data as a table" in html and "Download the data (CSV)" in html


def test_the_dashboard_compares_with_the_period_before(signed_in, areas):
    report("race", on=date(2026, 3, 10))
    report("race", on=date(2026, 6, 10))
    report("race", on=date(2026, 6, 20))
    html = signed_in.get(
        DASHBOARD,
        query_string=[("date_from", "1"), ("date_from", "4"), ("date_from", "2026")]
        + [("date_to", "30"), ("date_to", "6"), ("date_to", "2026")],
    ).get_data(as_text=True)
    assert "1 April 2026 to 30 June 2026" in html and "1 January 2026 to 31 March 2026" in html
    assert cells_of(html, "Reports received")[:3] == ["2", "1", "up 100%"]


@pytest.mark.parametrize(
    "date_from, date_to, message",
    [
        (["31", "2", "2026"], ["", "", ""], "real date"),
        (["1", "6", "2026"], ["1", "1", "2026"], "must be the same as or after"),
        (["1", "1", "2020"], ["1", "6", "2026"], "up to 3 years"),
        (["<script>alert(1)</script>", "1", "2026"], ["", "", ""], ""),
        (["9" * 5000, "1", "2026"], ["", "", ""], ""),
        (["1", "1", "0001"], ["", "", ""], "Enter a year from 2000"),
        (["", "", ""], ["31", "12", "9999"], "Enter a year from 2000"),
        (["1", "1", "2021"], ["", "", ""], "up to 3 years"),  # to today, by default
        (["1", "1", "²⁰²⁶"], ["", "", ""], ""),
    ],
)
def test_impossible_periods_get_a_kind_error_and_keep_the_answers(signed_in, date_from, date_to, message):
    query = [("date_from", part) for part in date_from] + [("date_to", part) for part in date_to]
    response = signed_in.get(DASHBOARD, query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "<title>Error:" in html
    assert message in html
    assert "<script>alert(1)</script>" not in html
    year_typed = date_from[2] if date_from[2] else date_to[2]
    assert f'value="{year_typed}"' in html  # what was typed is still in its box


def test_a_chart_downloads_as_csv_for_the_same_period(signed_in, areas):
    report("race", areas[0])
    report("disability", areas[0])
    response = signed_in.get(f"{DASHBOARD}/reports-by-strand.csv")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Strand", "This period", "Period before"]
    assert ["Race", "1", "0"] in rows and ["Disability", "1", "0"] in rows
    assert signed_in.get(f"{DASHBOARD}/no-such-chart.csv").status_code == 404


def test_the_board_report_is_one_page_for_a_quarter_with_its_tables_open(signed_in, areas):
    report("race", on=date(2026, 8, 1))
    response = signed_in.get(f"{DASHBOARD}/board-report", query_string={"quarter": "2026-Q3"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Board report: 2026 quarter 3" in html and "1 July 2026 to 30 September 2026" in html
    assert cells_of(html, "Reports received")[:2] == ["1", "0"]
    assert "Show the data as a table" not in html  # every table is printed with its chart
    assert signed_in.get(f"{DASHBOARD}/board-report", query_string={"quarter": "2999-Q1"}).status_code == 404
    fallback = signed_in.get(f"{DASHBOARD}/board-report", query_string={"quarter": "<b>"})
    assert fallback.status_code == 200 and "2026 quarter 3" in fallback.get_data(as_text=True)


def test_public_figures_hide_small_numbers_and_what_would_reveal_them(client, areas):
    september = date(2026, 9, 5)
    for _ in range(6):
        report("race", areas[0], on=september)
    for _ in range(2):
        report("religion", areas[1], on=september)
    html = client.get("/figures").get_data(as_text=True)
    by_strand, by_area = html.split('id="by-area"')
    # By strand: religion's 2 is fewer than 5. A report can name several strands, so the month's 8 reports less
    # race's 6 does not give it away, and race's 6 is shown.
    assert cells_of(by_strand, "Sep 2026")[:2] == ["6", "fewer than 5"]
    assert cells_of(by_strand, "Sep 2026")[-1] == "8"
    # By area each report is in one column, so 8 - 6 would give the 2 away: the 6 is hidden as well.
    by_area_row = cells_of(by_area, "Sep 2026")
    assert by_area_row[:2] == ["hidden", "fewer than 5"] and by_area_row[-1] == "8"
    assert ">2<" not in by_strand.split("</table>")[0] and ">2<" not in by_area.split("</table>")[0]


def test_purged_reports_still_count_in_the_figures(client, areas, officer):
    september = date(2026, 9, 5)
    referrals = [report("race", areas[0], on=september) for _ in range(6)]
    erase_referral(referrals[0], "Subject asked for erasure", officer)
    _db.session.commit()
    assert referrals[0].purged_at is not None
    rows = list(csv.reader(io.StringIO(client.get("/figures/by-strand.csv").get_data(as_text=True))))
    september_row = next(row for row in rows if row[0] == "Sep 2026")
    assert september_row[1] == "6" and september_row[-1] == "6"


def test_figures_are_published_by_whole_quarter(client, areas):
    report("race", areas[0], on=date(2025, 11, 1))
    html = client.get("/figures").get_data(as_text=True)  # today is in 2026's fourth quarter: the third is out
    assert "1 July 2026 to 30 September 2026" in html
    assert "2025 quarter 4" in html and "2025 quarter 3" not in html  # earlier quarters, from the first report's
    assert "1 October 2025 to 31 December 2025" in client.get("/figures?quarter=2025-Q4").get_data(as_text=True)
    csv_text = client.get("/figures/by-area.csv?quarter=2025-Q4").get_data(as_text=True)
    assert csv_text.splitlines()[2].startswith("Nov 2025")


@pytest.mark.parametrize(
    "address",
    [
        "/figures?quarter=2026-Q4",  # not over yet
        "/figures?quarter=2027-Q1",
        "/figures?quarter=1999-Q4",
        "/figures?quarter=abc",
        "/figures?quarter=²⁰²⁵-Q1",
        "/figures?quarter=2025-Q5",
        "/figures/by-strand.csv?quarter=2030-Q1",
        "/figures/everything.csv",
    ],
)
def test_figures_not_published_are_not_found(client, address):
    assert client.get(address).status_code == 404
