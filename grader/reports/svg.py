"""Small inline SVG charts for reports: learning curves and a metric against its threshold.

Hand-written (a few lines of SVG) so reports stay self-contained: no script, no CDN, no
plotting library in the grader's process. Every number is formatted here; nothing from
the student reaches the SVG except numbers.

Example:
    >>> svg = learning_curve([0.5, 0.2, 0.1], [0.6, 0.3, 0.25], label="Loss per epoch")
    >>> svg.startswith("<svg") and "polyline" in svg
    True
"""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT, PAD_LEFT, PAD_BOTTOM, PAD = 420, 180, 52, 28, 10


def _finite(values) -> list[float | None]:
    return [float(v) if isinstance(v, (int, float)) and math.isfinite(v) else None for v in values or []]


def learning_curve(loss, val_loss=None, *, label: str = "") -> str:
    """Loss per epoch: training solid, test dashed, on a log scale when the largest loss is > 30x the smallest."""
    series = [s for s in (_finite(loss), _finite(val_loss)) if any(v is not None for v in s)]
    if not series:
        return ""
    values = [v for s in series for v in s if v is not None]
    log = min(values) > 0 and max(values) / min(values) > 30
    scale = (lambda v: math.log10(v)) if log else (lambda v: v)
    low, high = min(scale(v) for v in values), max(scale(v) for v in values)
    if high - low < 1e-12:
        low, high = low - 0.5, high + 0.5
    epochs = max(len(s) for s in series)
    plot_w, plot_h = WIDTH - PAD_LEFT - PAD, HEIGHT - PAD_BOTTOM - PAD

    def x(i: int) -> float:
        return PAD_LEFT + (plot_w * i / (epochs - 1) if epochs > 1 else plot_w / 2)

    def y(v: float) -> float:
        return PAD + plot_h * (1 - (scale(v) - low) / (high - low))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
             f'height="{HEIGHT}" role="img" aria-label="{escape(label)}" class="curve">',
             f'<title>{escape(label)}</title>',
             f'<line x1="{PAD_LEFT}" y1="{PAD + plot_h}" x2="{WIDTH - PAD}" y2="{PAD + plot_h}" class="axis"/>',
             f'<line x1="{PAD_LEFT}" y1="{PAD}" x2="{PAD_LEFT}" y2="{PAD + plot_h}" class="axis"/>']
    for value, anchor in ((max(values), PAD), (min(values), PAD + plot_h)):
        parts.append(f'<text x="{PAD_LEFT - 4}" y="{anchor + 4:.1f}" text-anchor="end">{_tick(value)}</text>')
    parts.append(f'<text x="{PAD_LEFT}" y="{HEIGHT - 8}">1</text>')
    parts.append(f'<text x="{WIDTH - PAD}" y="{HEIGHT - 8}" text-anchor="end">{epochs}</text>')
    for index, values_ in enumerate(series):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values_) if v is not None)
        dash = ' stroke-dasharray="5 3"' if index == 1 else ""
        parts.append(f'<polyline points="{points}" fill="none" class="line{index}"{dash}/>')
    parts.append("</svg>")
    return "".join(parts)


def threshold_gauge(value: float, limit: float, *, lower_is_better: bool, label: str = "") -> str:
    """A bar for ``value`` against a tick at ``limit``; the good side of the tick is shaded."""
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in (value, limit)):
        return ""
    top = max(value, limit, 1e-12) * 1.15
    width, height, left = 420, 34, 10
    span = width - 2 * left

    def at(v: float) -> float:
        return left + span * max(0.0, min(v, top)) / top

    passed = value <= limit if lower_is_better else value >= limit
    good_start, good_end = (left, at(limit)) if lower_is_better else (at(limit), left + span)
    return "".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(label)}" class="gauge">',
        f'<title>{escape(label)}</title>',
        f'<rect x="{good_start:.1f}" y="4" width="{good_end - good_start:.1f}" height="18" class="good"/>',
        f'<rect x="{left}" y="9" width="{at(value) - left:.1f}" height="8" class="{"bar-pass" if passed else "bar-fail"}"/>',
        f'<line x1="{at(limit):.1f}" y1="0" x2="{at(limit):.1f}" y2="26" class="limit"/>',
        f'<text x="{at(limit):.1f}" y="33" text-anchor="middle">{_tick(limit)}</text>',
        "</svg>",
    ])


def _tick(value: float) -> str:
    return f"{value:.3g}"
