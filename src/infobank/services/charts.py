"""Line charts as inline SVG, for pages that show usage against targets (no JavaScript).

``line_chart`` is a pure function: labels along the x axis, one or more lines of values (a
``None`` leaves a gap rather than a false zero), and it returns one ``<svg>`` element with a
``<title>`` and a ``<desc>`` so screen readers get the numbers too. Every text is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

__all__ = ["Line", "line_chart"]

_PALETTE = ("#1f5fa8", "#c0392b", "#2e7d32", "#8e44ad", "#b9770e")
_PAD_LEFT, _PAD_RIGHT, _PAD_TOP, _PAD_BOTTOM = 56, 16, 32, 48


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    values: Sequence[float | None]
    dashed: bool = False  # e.g. a target beside the actual values


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:,.2f}"


def _segments(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for point in points:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def line_chart(
    labels: Sequence[str],
    lines: Sequence[Line],
    *,
    title: str,
    width: int = 640,
    height: int = 260,
) -> str:
    """One ``<svg>`` drawing ``lines`` over ``labels``; the y axis starts at zero."""
    if any(len(line.values) != len(labels) for line in lines):
        raise ValueError("every line needs one value per label")
    plot_w = width - _PAD_LEFT - _PAD_RIGHT
    plot_h = height - _PAD_TOP - _PAD_BOTTOM
    known = [v for line in lines for v in line.values if v is not None]
    top = max(known, default=0.0) or 1.0
    step = plot_w / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return round(_PAD_LEFT + (i * step if len(labels) > 1 else plot_w / 2), 2)

    def y(value: float) -> float:
        return round(_PAD_TOP + plot_h - (max(value, 0.0) / top) * plot_h, 2)

    described = "; ".join(
        f"{line.name}: "
        + ", ".join(
            f"{label} {'—' if v is None else _number(v)}"
            for label, v in zip(labels, line.values, strict=True)
        )
        for line in lines
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" class="chart">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(described)}</desc>",
        f'<text x="{_PAD_LEFT}" y="18" font-size="14">{escape(title)}</text>',
    ]
    base = _PAD_TOP + plot_h
    parts.append(
        f'<path d="M{_PAD_LEFT} {_PAD_TOP}V{base}H{width - _PAD_RIGHT}" '
        'fill="none" stroke="#666" stroke-width="1"/>'
    )
    for tick in (0.0, top / 2, top):
        parts.append(
            f'<text x="{_PAD_LEFT - 6}" y="{y(tick) + 4}" font-size="11" '
            f'text-anchor="end">{escape(_number(tick))}</text>'
        )
    shown = sorted({0, len(labels) // 2, len(labels) - 1}) if labels else []
    for i in shown:
        parts.append(
            f'<text x="{x(i)}" y="{base + 16}" font-size="11" '
            f'text-anchor="middle">{escape(labels[i])}</text>'
        )
    for n, line in enumerate(lines):
        colour = _PALETTE[n % len(_PALETTE)]
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        coords = [None if v is None else (x(i), y(v)) for i, v in enumerate(line.values)]
        for run in _segments(coords):
            if len(run) == 1:
                cx, cy = run[0]
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
                continue
            joined = " ".join(f"{px},{py}" for px, py in run)
            parts.append(
                f'<polyline points="{joined}" fill="none" stroke="{colour}" '
                f'stroke-width="2"{dash}/>'
            )
        legend_x = _PAD_LEFT + n * 150
        parts.append(
            f'<line x1="{legend_x}" y1="{height - 12}" x2="{legend_x + 18}" y2="{height - 12}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{legend_x + 24}" y="{height - 8}" font-size="11">{escape(line.name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
