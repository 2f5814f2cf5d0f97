"""Small deterministic inline SVG charts for the HTML report (no JavaScript, no external files).

Every text is XML-escaped here; the returned string is safe to embed as markup.
Coordinates are printed with one decimal so the same data always gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from include.reports.figures import Bar

BAR_COLOUR = "#1f6f8b"
ACCENT_COLOUR = "#d9822b"
GRID_COLOUR = "#d0d7de"
TEXT_COLOUR = "#24292f"
FONT = 'font-family="Helvetica, Arial, sans-serif"'


def _n(value: float) -> str:
    return f"{value:.1f}"


def nice_ceiling(value: float) -> float:
    """The smallest 'round' number (1, 2, 2.5 or 5 x 10^k, at least 5) not below value."""
    if value <= 5:
        return 5.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _svg_open(width: int, height: int, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(description)}" {FONT} font-size="11">',
        f"<title>{escape(description)}</title>",
    ]


def _labelled(count: int, most: int = 12) -> set[int]:
    """Which categories get an x label: evenly spaced, always the last (the current month)."""
    every = max(1, math.ceil(count / most))
    last = count - 1
    return {i for i in range(0, count, every) if last - i >= every} | {last}


def column_chart(
    bars: Sequence[Bar],
    description: str,
    value_text: Callable[[object], str],
    axis_text: Callable[[float], str],
    reference: tuple[str, int] | None = None,
    width: int = 760,
    height: int = 300,
) -> str:
    """Vertical bars, one per category, with a y axis; optional dashed reference line (e.g. the pagu).

    Returns '' when there are no bars.
    """
    if not bars:
        return ""
    left, right, top, bottom = 84, 16, 16, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max([bar.value for bar in bars] + [reference[1] if reference else 0])
    ceiling = nice_ceiling(highest)
    parts = _svg_open(width, height, description)
    for i in range(6):
        value = ceiling * i / 5
        y = top + plot_h - plot_h * value / ceiling
        parts.append(f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" stroke="{GRID_COLOUR}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{_n(y + 4)}" text-anchor="end" fill="{TEXT_COLOUR}">{escape(axis_text(value))}</text>'
        )
    slot = plot_w / len(bars)
    labelled = _labelled(len(bars))
    for index, bar in enumerate(bars):
        h = plot_h * max(bar.value, 0) / ceiling
        x = left + slot * index + slot * 0.15
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(top + plot_h - h)}" width="{_n(slot * 0.7)}" height="{_n(h)}" '
            f'fill="{BAR_COLOUR}"><title>{escape(bar.label)}: {escape(value_text(bar.value))}</title></rect>'
        )
        if index in labelled:
            cx = left + slot * index + slot / 2
            parts.append(
                f'<text x="{_n(cx)}" y="{_n(top + plot_h + 16)}" text-anchor="middle" '
                f'fill="{TEXT_COLOUR}">{escape(bar.label)}</text>'
            )
    if reference:
        y = top + plot_h - plot_h * reference[1] / ceiling
        parts.append(
            f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" stroke="{ACCENT_COLOUR}" '
            f'stroke-width="2" stroke-dasharray="6 4"/>'
        )
        parts.append(
            f'<text x="{width - right}" y="{_n(y - 6)}" text-anchor="end" fill="{ACCENT_COLOUR}" '
            f'font-weight="bold">{escape(reference[0])}: {escape(value_text(reference[1]))}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{TEXT_COLOUR}"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def bar_chart(bars: Sequence[Bar], description: str, value_text: Callable[[object], str], width: int = 760) -> str:
    """Horizontal bars with the category on the left and the value at the end; '' when empty."""
    if not bars:
        return ""
    row, top, label_w, value_w = 26, 8, 170, 90
    height = top * 2 + row * len(bars)
    plot_w = width - label_w - value_w
    highest = max(max(bar.value for bar in bars), 1)
    parts = _svg_open(width, height, description)
    for index, bar in enumerate(bars):
        y = top + row * index
        w = plot_w * max(bar.value, 0) / highest
        parts.append(
            f'<text x="{label_w - 8}" y="{_n(y + row / 2 + 4)}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(bar.label)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{_n(y + 4)}" width="{_n(w)}" height="{_n(row - 8)}" fill="{BAR_COLOUR}">'
            f"<title>{escape(bar.label)}: {escape(value_text(bar.value))}</title></rect>"
        )
        parts.append(
            f'<text x="{_n(label_w + w + 6)}" y="{_n(y + row / 2 + 4)}" '
            f'fill="{TEXT_COLOUR}">{escape(value_text(bar.value))}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
