"""Small deterministic inline SVG charts for the HTML report (no JavaScript, no external files).

Every text is XML-escaped here; the returned string is safe to embed as markup.
Coordinates are printed with one decimal so the same data always gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from include.reports.figures import Bar, Bin, Marker

BAR_COLOUR = "#1f6f8b"
ACCENT_COLOUR = "#d9822b"
MARKER_COLOURS = ("#a40e26", ACCENT_COLOUR)  # one per vertical line, in order
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


def nice_step(span: float, ticks: int = 8) -> float:
    """A 'round' tick spacing (1, 2, 2.5 or 5 x 10^k) giving about `ticks` intervals over span."""
    raw = max(span, 1e-9) / ticks
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if raw <= step * power:
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


def histogram_chart(
    bins: Sequence[Bin],
    description: str,
    count_text: Callable[[object], str],
    edge_text: Callable[[float, int], str],
    markers: Sequence[Marker] = (),
    x_caption: str = "",
    unit: str = "",
    width: int = 760,
    height: int = 330,
) -> str:
    """Bars over a numeric x axis, one per bin, heights on a log scale; labelled dashed vertical markers.

    The y axis maps a count c to log10(1 + c), ticks at 0, 1, 10, 100, ...; the x axis spans the bins and
    the markers. Marker labels sit in a strip above the plot, one row each; `unit` follows the count in the
    bars' tooltips. Returns '' when there are no bins.
    """
    if not bins:
        return ""
    left, right, top, bottom = 84, 16, 20 + 16 * len(markers), 52
    plot_w, plot_h = width - left - right, height - top - bottom
    edges = [b.dari for b in bins] + [b.sampai for b in bins] + [m.value for m in markers]
    step = nice_step(max(edges) - min(edges))
    first, last = math.floor(min(edges) / step), math.ceil(max(edges) / step)
    last = max(last, first + 1)
    low, high = first * step, last * step
    decimals = 0 if float(step).is_integer() else 1

    def x_of(value: float) -> float:
        return left + plot_w * (value - low) / (high - low)

    decades = max(1, math.ceil(math.log10(max(max(b.jumlah for b in bins), 1))))
    scale = math.log10(1 + 10**decades)

    def y_of(count: float) -> float:
        return top + plot_h - plot_h * math.log10(1 + max(count, 0)) / scale

    parts = _svg_open(width, height, description)
    for tick in [0, *(10**k for k in range(decades + 1))]:
        y = y_of(tick)
        parts.append(f'<line x1="{left}" y1="{_n(y)}" x2="{width - right}" y2="{_n(y)}" stroke="{GRID_COLOUR}"/>')
        parts.append(
            f'<text x="{left - 6}" y="{_n(y + 4)}" text-anchor="end" fill="{TEXT_COLOUR}">{escape(count_text(tick))}</text>'
        )
    for index in range(last - first + 1):
        x = x_of((first + index) * step)
        parts.append(
            f'<line x1="{_n(x)}" y1="{top + plot_h}" x2="{_n(x)}" y2="{top + plot_h + 4}" stroke="{TEXT_COLOUR}"/>'
        )
        parts.append(
            f'<text x="{_n(x)}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'fill="{TEXT_COLOUR}">{escape(edge_text((first + index) * step, decimals))}</text>'
        )
    for b in bins:
        if b.jumlah <= 0:
            continue
        x0, x1 = x_of(b.dari), x_of(b.sampai)
        y = y_of(b.jumlah)
        parts.append(
            f'<rect x="{_n(x0)}" y="{_n(y)}" width="{_n(max(x1 - x0 - 1, 0.5))}" height="{_n(top + plot_h - y)}" '
            f'fill="{BAR_COLOUR}"><title>{escape(edge_text(b.dari, 2))} s.d. {escape(edge_text(b.sampai, 2))}: '
            f"{escape(f'{count_text(b.jumlah)} {unit}'.strip())}</title></rect>"
        )
    for index, marker in enumerate(markers):
        colour = MARKER_COLOURS[index % len(MARKER_COLOURS)]
        x, label_y = x_of(marker.value), 14 + 16 * index
        parts.append(
            f'<line x1="{_n(x)}" y1="{label_y + 4}" x2="{_n(x)}" y2="{top + plot_h}" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="6 4"><title>{escape(marker.label)}: bobot '
            f"{escape(edge_text(marker.value, 2))}</title></line>"
        )
        room_right, room_left = width - x - 4, x - 4  # the label goes right of its line when it fits there
        fits_right = room_right >= len(marker.label) * 6.5 or room_right >= room_left
        anchor, text_x = ("start", x + 4) if fits_right else ("end", x - 4)
        parts.append(
            f'<text x="{_n(text_x)}" y="{label_y}" text-anchor="{anchor}" fill="{colour}" '
            f'font-weight="bold">{escape(marker.label)}</text>'
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{TEXT_COLOUR}"/>'
    )
    if x_caption:
        parts.append(
            f'<text x="{_n(left + plot_w / 2)}" y="{height - 8}" text-anchor="middle" '
            f'fill="{TEXT_COLOUR}">{escape(x_caption)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
