"""Horizontal bar charts drawn on the server as SVG: no JavaScript, readable in print.

Each bar has its label and value on a line above it, so the chart stays
legible when a phone scales it down. The template
``members/includes/bar_chart.html`` draws it and states the same numbers in
its text alternative; the page prints them again as a table.
"""

from dataclasses import dataclass

WIDTH = 400
ROW = 44
BAR_TOP = 20
BAR_HEIGHT = 16
# Colours with at least 3:1 contrast on white, told apart by their labels too.
COLOURS = ["#0b5ed7", "#198754", "#b35c00", "#6f42c1", "#5c636a", "#0a7a8a"]


def decimal_comma(number: float) -> str:
    return f"{number:g}".replace(".", ",")


@dataclass
class Bar:
    label: str
    count: int
    percent: float
    y: int
    width: float
    colour: str

    @property
    def text_y(self) -> int:
        return self.y + 14

    @property
    def bar_y(self) -> int:
        return self.y + BAR_TOP

    @property
    def value(self) -> str:
        return f"{self.count} · {decimal_comma(self.percent)} %"


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def description(self) -> str:
        return "; ".join(f"{b.label}: {b.count} ({decimal_comma(b.percent)} %)" for b in self.bars)


def bar_chart(title: str, buckets) -> BarChart:
    """Return a chart of ``buckets`` (objects with label, count, percent), bars scaled to 100 %."""
    bars = [
        Bar(
            label=b.label,
            count=b.count,
            percent=b.percent,
            y=index * ROW,
            width=round(WIDTH * b.percent / 100, 1),
            colour=COLOURS[index % len(COLOURS)],
        )
        for index, b in enumerate(buckets)
    ]
    return BarChart(title=title, bars=bars, height=len(bars) * ROW)
