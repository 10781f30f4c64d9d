"""Horizontal bar charts drawn on the server as SVG: no JavaScript, readable in print.

A chart is a list of bars with their geometry; the template
``members/includes/bar_chart.html`` draws it and states the same numbers in
its text alternative, and the page prints them again as a table.
"""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 200
VALUE_WIDTH = 110
BAR_HEIGHT = 22
GAP = 10
# Colours with at least 3:1 contrast on white, told apart by their labels too.
COLOURS = ["#0b5ed7", "#198754", "#b35c00", "#6f42c1", "#6c757d", "#0a7a8a"]


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
        return self.y + BAR_HEIGHT // 2 + 5


@dataclass
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_area: int = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def value_x(self) -> int:
        return self.label_width + self.bar_area + 8

    @property
    def description(self) -> str:
        return "; ".join(
            f"{b.label}: {b.count} ({f'{b.percent:g}'.replace('.', ',')} %)" for b in self.bars
        )


def bar_chart(title: str, buckets) -> BarChart:
    """Return a chart of ``buckets`` (objects with label, count, percent), bars scaled to 100 %."""
    bar_area = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = [
        Bar(
            label=b.label,
            count=b.count,
            percent=b.percent,
            y=GAP + index * (BAR_HEIGHT + GAP),
            width=round(bar_area * b.percent / 100, 1),
            colour=COLOURS[index % len(COLOURS)],
        )
        for index, b in enumerate(buckets)
    ]
    return BarChart(title=title, bars=bars, height=GAP + len(bars) * (BAR_HEIGHT + GAP))
