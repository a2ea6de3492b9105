import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from markupsafe import Markup

from portal.insights.charts import Chart, Series, render_svg

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>x</script> & "P" =A1'


def two_series(**changes) -> Chart:
    fields = {
        "slug": "reports-by-strand",
        "title": "Reports by strand",
        "description": "Race was named most often.",
        "category_label": "Strand",
        "categories": ("Race", "Religion", "Disability"),
        "series": (Series("This period", (12, 3, None)), Series("Period before", (8, 0, 5))),
    }
    return Chart(**(fields | changes))


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(render_svg(chart)))  # noqa: S314 - our own output, in a test


def texts(root: ET.Element) -> list[str]:
    return [element.text for element in root.iter(f"{SVG}text")]


def bars(root: ET.Element) -> list[ET.Element]:
    """The bars (not the legend's swatches nor the patterns' backgrounds): the rects inside a titled group."""
    return [rect for group in root.iter(f"{SVG}g") for rect in group.iter(f"{SVG}rect")]


def test_header_and_rows_keep_the_raw_values():
    chart = two_series()
    assert chart.header() == ["Strand", "This period", "Period before"]
    assert chart.rows() == [["Race", 12, 8], ["Religion", 3, 0], ["Disability", None, 5]]


@pytest.mark.parametrize(
    ("unit", "value", "expected"),
    [
        ("", 12, "12"),
        ("", 1234, "1,234"),
        ("", 2.25, "2.2"),
        ("%", 12.5, "12.5%"),
        ("%", 40.0, "40%"),
        ("hours", 3.24, "3.2 hours"),
        ("hours", 1, "1.0 hours"),
        ("%", None, "No data"),
    ],
)
def test_format_value(unit, value, expected):
    assert two_series(unit=unit).format_value(value) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"slug": "Not Kebab"},
        {"slug": "a b"},
        {"unit": "days"},
        {"series": (Series("Short", (1, 2)),)},
    ],
)
def test_bad_charts_are_refused(changes):
    with pytest.raises(ValueError, match="slug|unit|one value per category"):
        two_series(**changes)


def test_lists_become_tuples_so_charts_stay_hashable():
    chart = Chart("a", "A", "A.", "Month", ["Jan"], [Series("Reports", [1])])
    assert chart.categories == ("Jan",) and chart.series[0].values == (1,)
    assert hash(chart)


def test_the_svg_is_an_image_named_by_its_title_and_description():
    chart = two_series()
    assert isinstance(render_svg(chart), Markup)
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "reports-by-strand-title reports-by-strand-desc"
    assert root.find(f"{SVG}title").get("id") == "reports-by-strand-title"
    assert root.find(f"{SVG}title").text == "Reports by strand"
    assert root.find(f"{SVG}desc").get("id") == "reports-by-strand-desc"
    assert root.find(f"{SVG}desc").text == "Race was named most often."


def test_fits_a_phone_and_grows_with_the_data():
    short = parse(two_series(categories=("Race",), series=(Series("Reports", (1,)),)))
    tall = parse(two_series())
    assert short.get("width") == "100%"
    assert short.get("viewBox").split()[:3] == ["0", "0", "360"]
    assert int(tall.get("viewBox").split()[3]) > int(short.get("viewBox").split()[3])
    for root in (short, tall):
        assert all(14 <= int(text.get("font-size")) <= 16 for text in root.iter(f"{SVG}text"))
        assert all(float(rect.get("width")) <= 360 for rect in root.iter(f"{SVG}rect"))


def test_each_category_then_each_bar_and_its_value():
    root = parse(two_series())
    legend = ["This period", "Period before"]
    assert texts(root) == [*legend, "Race", "12", "8", "Religion", "3", "0", "Disability", "No data", "5"]
    widths = [float(rect.get("width")) for rect in bars(root)]
    assert widths[0] == max(widths)  # the largest value has the longest bar
    assert widths[1] == pytest.approx(widths[0] * 8 / 12, abs=0.1)
    assert len(widths) == 4  # no bar for 0 or for no data
    tooltips = [group.find(f"{SVG}title").text for group in root.iter(f"{SVG}g")]
    assert tooltips[0] == "Race, This period: 12"
    assert tooltips[4] == "Disability, This period: No data"


def test_a_small_value_still_shows_and_a_single_series_has_no_legend():
    root = parse(two_series(series=(Series("Reports", (1000, 1, 0)),)))
    assert texts(root) == ["Race", "1,000", "Religion", "1", "Disability", "0"]
    assert [float(rect.get("width")) >= 1 for rect in bars(root)] == [True, True]
    assert [group.find(f"{SVG}title").text for group in root.iter(f"{SVG}g")][0] == "Race: 1,000"
    assert root.find(f"{SVG}defs/{SVG}pattern") is None


def test_decimals_from_the_database_are_drawn():
    root = parse(two_series(series=(Series("Hours", (Decimal("2.5"), Decimal("5"), 1.25)),), unit="hours"))
    assert texts(root)[1::2] == ["2.5 hours", "5.0 hours", "1.2 hours"]
    assert len(bars(root)) == 3


@pytest.mark.parametrize("values", [(0, 0, 0), (None, None, None)])
def test_nothing_to_draw_is_not_an_error(values):
    root = parse(two_series(series=(Series("Reports", values),)))
    assert bars(root) == []


def test_series_differ_by_pattern_as_well_as_colour():
    chart = two_series(series=tuple(Series(f"Series {n}", (n + 1, 1, 1)) for n in range(5)))
    root = parse(chart)
    patterns = root.findall(f"{SVG}defs/{SVG}pattern")
    assert [pattern.get("id") for pattern in patterns] == [f"reports-by-strand-pattern-{n}" for n in range(1, 5)]
    kinds = [tuple(sorted(child.tag for child in pattern)) for pattern in patterns]
    assert len(set(kinds[:3])) == 3  # hatch, dots and cross-hatch
    fills = [rect.get("fill") for rect in bars(root)[:5]]
    assert fills[0] == "#1d70b8"
    assert fills[1:] == [f"url(#reports-by-strand-pattern-{n})" for n in range(1, 5)]
    assert all(rect.get("stroke") == "#0b0c0c" for rect in bars(root)[1:5])
    swatches = [child for child in root if child.tag == f"{SVG}rect"]
    assert [swatch.get("fill") for swatch in swatches] == fills


def relative_luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_colours_contrast_three_to_one_with_white():
    svg = str(render_svg(two_series(series=tuple(Series(f"S{n}", (1, 1, 1)) for n in range(6)))))
    colours = set(re.findall(r'fill="(#[0-9a-f]{6})"', svg)) - {"#ffffff"}
    assert len(colours) >= 6
    for colour in colours:
        assert 1.05 / (relative_luminance(colour) + 0.05) >= 3, colour


def test_two_charts_on_a_page_do_not_share_ids():
    first = str(render_svg(two_series()))
    second = str(render_svg(two_series(slug="reports-by-area")))
    ids = re.findall(r'id="([^"]+)"', first + second)
    assert len(ids) == len(set(ids))


def test_no_styles_or_scripts_for_the_content_security_policy():
    svg = str(render_svg(two_series(categories=(HOSTILE, "b", "c"))))
    assert "style" not in svg
    assert "<script" not in svg and "javascript" not in svg.lower()


def test_every_label_is_escaped():
    chart = two_series(
        title=HOSTILE,
        description=HOSTILE,
        categories=(HOSTILE, "b", "c"),
        series=(Series(HOSTILE, (1, 2, 3)), Series("Other", (1, 2, 3))),
    )
    root = parse(chart)  # still well-formed XML
    assert root.find(f"{SVG}title").text == HOSTILE
    assert root.find(f"{SVG}desc").text == HOSTILE
    assert HOSTILE in texts(root)  # the legend
    assert all(element.tag != f"{SVG}script" for element in root.iter())


def test_long_labels_are_cut_short_with_an_ellipsis():
    long_name = "The Very Long Name of a Community Partnership Organisation"
    root = parse(two_series(categories=(long_name, "b", "c"), series=(Series("Reports", (1, 2, 3)),)))
    label = texts(root)[0]
    assert label.endswith("…") and long_name.startswith(label[:-1]) and len(label) < len(long_name)
    tooltip = root.find(f"{SVG}g/{SVG}title").text
    assert tooltip.startswith(long_name)
