"""Server-side charts as plain geometry for inline SVG in the templates (no script, no style attribute: CSP).

Every chart stands beside the table with the same figures (the accessible source); in the chart the values are
written as text next to the bars, and the two series of a trend differ in shape (filled or outlined), not only in
colour. A suppressed value draws no bar, only its "< 5" or "x".
"""

from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 230
BAR_AREA = 330
ROW = 26
LABEL_CHARS = 34


@dataclass(frozen=True)
class Bar:
    label: str
    short_label: str
    text: str
    y: int
    width: int
    text_x: int


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def bars(pairs: list[tuple[str, object]]) -> dict | None:
    """Horizontal bars for (label, value) pairs; None when there is nothing to draw."""
    numbers = [value for _, value in pairs if isinstance(value, (int, float))]
    if not pairs or not any(numbers):
        return None
    top = max(numbers)
    result = []
    for index, (label, value) in enumerate(pairs):
        width = round(BAR_AREA * value / top) if isinstance(value, (int, float)) and top else 0
        result.append(Bar(label, _short(str(label)), str(value), index * ROW, width, LABEL_WIDTH + width + 6))
    return {"width": WIDTH, "height": len(pairs) * ROW, "label_x": LABEL_WIDTH - 8, "bar_x": LABEL_WIDTH, "bars": result}


@dataclass(frozen=True)
class Column:
    label: str
    x: int
    current_y: int
    current_height: int
    earlier_y: int
    earlier_height: int


def trend(rows: list[list]) -> dict | None:
    """Vertical bar pairs per month: column 1 (this period, filled) and column 2 (a year earlier, outlined)."""
    values = [value for row in rows for value in row[1:3] if isinstance(value, (int, float))]
    if not rows or not any(values):
        return None
    top, height, step = max(values), 160, 44
    base = height + 10

    def bar(value):
        size = round(height * value / top) if isinstance(value, (int, float)) else 0
        return base - size, size

    columns = []
    for index, row in enumerate(rows):
        current_y, current_height = bar(row[1])
        earlier_y, earlier_height = bar(row[2])
        columns.append(Column(str(row[0]), 10 + index * step, current_y, current_height, earlier_y, earlier_height))
    return {"width": 20 + len(rows) * step, "height": base + 30, "base": base, "label_y": base + 16, "columns": columns}
