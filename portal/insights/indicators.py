"""What every indicator is made of: headline figures beside the period before, sections of charts, and the
shared wording (short strand names, shares as percentages)."""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from portal.insights.charts import Chart, Series


@dataclass(frozen=True)
class Headline:
    """One figure with the same figure for the period before."""

    label: str
    value: float | int | None
    previous: float | int | None
    unit: str = ""

    @property
    def change(self) -> str:
        """The change in words: "up 12%", "down 3 hours", "no change", or nothing when there is no comparison."""
        if self.value is None or self.previous is None:
            return ""
        if self.unit == "%" or self.unit == "hours":
            difference = round(self.value - self.previous, 1)
            amount = f"{abs(difference):g}" + (_(" percentage points") if self.unit == "%" else _(" hours"))
        else:
            difference = self.value - self.previous
            if not self.previous:
                return _("up from none") if difference else _("no change")
            amount = f"{abs(round(difference / self.previous * 100))}%"
        if not difference:
            return _("no change")
        return _("up %(amount)s", amount=amount) if difference > 0 else _("down %(amount)s", amount=amount)

    def formatted(self, value) -> str:
        """A value of this headline as the page shows it."""
        if value is None:
            return _("No data")
        if self.unit == "%":
            return f"{value:g}%"
        if self.unit == "hours":
            return _("%(hours)s working hours", hours=f"{value:g}")
        return f"{value:,}"


@dataclass
class Section:
    """A heading with its headline figures and charts."""

    slug: str
    title: str
    headlines: list[Headline] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def share(part: int, whole: int) -> float | None:
    """Part of whole as a percentage to one decimal place; None when there is nothing to share."""
    return round(part / whole * 100, 1) if whole else None


def series_pair(current: list, before: list) -> tuple[Series, Series]:
    """The two series of a comparison chart: this period, and the period before."""
    return (Series(_("This period"), tuple(current)), Series(_("Period before"), tuple(before)))
