"""Bar charts drawn on the server as SVG: no JavaScript, readable on a 375 px phone, with a title and a
description for screen readers, and each series told apart by a pattern as well as a colour.

The page's Content-Security-Policy allows no inline styles, so the SVG uses presentation attributes only.
"""

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import Markup

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
UNITS = ("", "%", "hours")

WIDTH = 360  # close to a phone's CSS width, so text is drawn at about its nominal size
TEXT_COLOUR = "#0b0c0c"
LABEL_SIZE = 16
VALUE_SIZE = 14
CHARACTER_WIDTH = 0.6  # of the font size: a generous average, so that estimated text lengths do not overflow
BAR_HEIGHT = 20
BAR_GAP = 4
LABEL_HEIGHT = 24
BLOCK_GAP = 12
LEGEND_ROW = 24
SWATCH = 16

# Each colour has at least 3:1 contrast with white (WCAG 1.4.11); the patterns carry the difference for
# anyone who cannot tell the colours apart, and a dark outline marks the edge of the patterned bars.
FILLS = (
    ("solid", "#1d70b8", None),
    ("hatch", "#28a197", TEXT_COLOUR),
    ("dots", "#b58840", TEXT_COLOUR),
    ("crosshatch", "#912b88", "#ffffff"),
    ("dots", "#d4351c", "#ffffff"),
    ("hatch", "#505a5f", "#ffffff"),
)
PATTERN_MARKS = {
    "hatch": Markup('<line x1="0" y1="0" x2="0" y2="8" stroke="{mark}" stroke-width="3"/>'),
    "crosshatch": Markup(
        '<line x1="0" y1="0" x2="0" y2="8" stroke="{mark}" stroke-width="2"/>'
        '<line x1="0" y1="0" x2="8" y2="0" stroke="{mark}" stroke-width="2"/>'
    ),
    "dots": Markup('<circle cx="4" cy="4" r="2" fill="{mark}"/>'),
}
OUTLINE = Markup(' stroke="{colour}" stroke-width="1"').format(colour=TEXT_COLOUR)


@dataclass(frozen=True)
class Series:
    """One set of bars: its label (for the legend and the table) and one value per category (None: no data)."""

    label: str
    values: tuple[float | int | None, ...]

    def __post_init__(self):
        object.__setattr__(self, "values", tuple(self.values))


@dataclass(frozen=True)
class Chart:
    """What a chart shows, in a form that both the SVG and its data table (and CSV) are made from."""

    slug: str
    title: str
    description: str
    category_label: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""

    def __post_init__(self):
        object.__setattr__(self, "categories", tuple(self.categories))
        object.__setattr__(self, "series", tuple(self.series))
        if not SLUG.fullmatch(self.slug):
            raise ValueError(f"chart slug must be lowercase-kebab: {self.slug!r}")
        if self.unit not in UNITS:
            raise ValueError(f"chart unit must be one of {UNITS}: {self.unit!r}")
        if any(len(series.values) != len(self.categories) for series in self.series):
            raise ValueError("every series needs one value per category")

    def header(self) -> list[str]:
        """The data table's column headings."""
        return [self.category_label, *(series.label for series in self.series)]

    def rows(self) -> list[list]:
        """The data table's rows: the category, then each series' raw value (None where there is no data)."""
        return [
            [category, *(series.values[index] for series in self.series)]
            for index, category in enumerate(self.categories)
        ]

    def format_value(self, value) -> str:
        """A value as people read it: "12", "12.5%", "3.2 hours", or "No data"."""
        if value is None:
            return _("No data")
        if self.unit == "hours":
            return _("%(number)s hours", number=f"{value:,.1f}")
        number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        if self.unit == "%":
            return _("%(number)s%%", number=number)
        return number


def render_svg(chart: Chart) -> Markup:
    """The chart as an inline SVG horizontal bar chart: for each category its label on a line of its own,
    then a bar per series with the value written after it. It scales to the width of its container."""
    parts, y = [], 0
    if len(chart.series) > 1:
        parts.append(_legend(chart))
        y = len(chart.series) * LEGEND_ROW + BLOCK_GAP
    scale = _scale(chart)
    for index, category in enumerate(chart.categories):
        parts.append(_text(0, y + LABEL_SIZE, _truncate(category, LABEL_SIZE), LABEL_SIZE, bold=True))
        y += LABEL_HEIGHT
        for number, series in enumerate(chart.series):
            parts.append(_bar(chart, category, series, number, series.values[index], y, scale))
            y += BAR_HEIGHT + BAR_GAP
        y += BLOCK_GAP
    height = max(y - BLOCK_GAP, 1)
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" width="100%" viewBox="0 0 {width} '
        '{height}" aria-labelledby="{slug}-title {slug}-desc"><title id="{slug}-title">{title}</title>'
        '<desc id="{slug}-desc">{description}</desc><defs>{patterns}</defs>{body}</svg>'
    ).format(
        width=WIDTH,
        height=height,
        slug=chart.slug,
        title=str(chart.title),
        description=str(chart.description),
        patterns=Markup("").join(_pattern(chart.slug, number) for number in range(len(chart.series))),
        body=Markup("").join(parts),
    )


def _scale(chart: Chart) -> float:
    """Pixels per unit, leaving room after the longest bar for the longest value."""
    values = [float(value) for series in chart.series for value in series.values if value is not None]
    longest_text = max((len(chart.format_value(value)) for value in values), default=0)
    room = WIDTH - _text_width(max(longest_text, len(_("No data"))), VALUE_SIZE) - 8
    top = max(values, default=0)
    return room / top if top > 0 else 0


def _bar(chart: Chart, category: str, series: Series, number: int, value, y: float, scale: float) -> Markup:
    """One bar and its value, with a tooltip naming the category, the series and the value."""
    text = chart.format_value(value)
    width = max(float(value or 0), 0) * scale
    if value:
        width = max(width, 1)  # a small value still shows
    tooltip = f"{category}, {series.label}: {text}" if len(chart.series) > 1 else f"{category}: {text}"
    rect = (
        Markup('<rect x="0" y="{y}" width="{width}" height="{height}" fill="{fill}"{outline}/>').format(
            y=y, width=_coordinate(width), height=BAR_HEIGHT, fill=_fill(chart.slug, number), outline=_outline(number)
        )
        if width
        else Markup("")
    )
    label = _text(width + (6 if width else 0), y + BAR_HEIGHT - 5, text, VALUE_SIZE)
    return Markup("<g><title>{}</title>{}{}</g>").format(tooltip, rect, label)


def _legend(chart: Chart) -> Markup:
    """A swatch and the label for each series, one to a line so that long labels fit on a phone."""
    entries = []
    for number, series in enumerate(chart.series):
        y = number * LEGEND_ROW
        entries.append(
            Markup('<rect x="0" y="{y}" width="{size}" height="{size}" fill="{fill}"{outline}/>').format(
                y=y + 2, size=SWATCH, fill=_fill(chart.slug, number), outline=_outline(number)
            )
        )
        label = _truncate(series.label, VALUE_SIZE, WIDTH - SWATCH - 8)
        entries.append(_text(SWATCH + 8, y + SWATCH, label, VALUE_SIZE))
    return Markup("").join(entries)


def _fill(slug: str, number: int) -> str:
    kind, colour, _mark = FILLS[number % len(FILLS)]
    return colour if kind == "solid" else f"url(#{slug}-pattern-{number})"


def _outline(number: int) -> Markup:
    kind, _colour, _mark = FILLS[number % len(FILLS)]
    return Markup("") if kind == "solid" else OUTLINE


def _pattern(slug: str, number: int) -> Markup:
    """The fill of a series other than a solid one: lines or dots over its colour."""
    kind, colour, mark = FILLS[number % len(FILLS)]
    if kind == "solid":
        return Markup("")
    template = (
        Markup('<pattern id="{slug}-pattern-{number}" patternUnits="userSpaceOnUse" width="8" height="8"{rotate}>')
        + Markup('<rect width="8" height="8" fill="{colour}"/>')
        + PATTERN_MARKS[kind]
        + Markup("</pattern>")
    )
    rotate = Markup("") if kind == "dots" else Markup(' patternTransform="rotate(45)"')
    return template.format(slug=slug, number=number, rotate=rotate, colour=colour, mark=mark)


def _text(x: float, y: float, text: str, size: int, *, bold: bool = False) -> Markup:
    weight = Markup(' font-weight="bold"') if bold else Markup("")
    return Markup('<text x="{x}" y="{y}" font-size="{size}" fill="{colour}"{weight}>{text}</text>').format(
        x=_coordinate(x), y=y, size=size, colour=TEXT_COLOUR, weight=weight, text=str(text)
    )


def _coordinate(number: float) -> str:
    return f"{number:.1f}".removesuffix(".0")


def _text_width(characters: int, size: int) -> float:
    return characters * size * CHARACTER_WIDTH


def _truncate(text, size: int, room: float = WIDTH) -> str:
    """Text cut short with an ellipsis to fit `room` (the full text is in the data table)."""
    text = str(text)
    fits = int(room // (size * CHARACTER_WIDTH))
    return text if len(text) <= fits else text[: fits - 1].rstrip() + "…"
