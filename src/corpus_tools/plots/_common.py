"""Shared figure style and the one place figures are written to disk."""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: notebooks and CI have no screen
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

# DejaVu Sans ships with matplotlib and covers every Vietnamese precomposed
# letter (Latin Extended Additional), so diacritics render on any machine.
_STYLE = {
    "font.family": "DejaVu Sans",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.figsize": (8, 4.5),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    # Fixed ids and no timestamps make SVG output byte-identical across runs.
    "svg.hashsalt": "corpus-tools",
    "svg.fonttype": "path",
    # Decimal years (2026.05) read as years, never as an offset "+2.026e3" over the axis.
    "axes.formatter.useoffset": False,
}


def event_x(periods, date) -> float | None:
    """x position of ``date`` on an axis whose ticks are ``periods`` (0, 1, 2, ...):
    inside the period that holds it, in proportion; None when no period does
    (or the periods are not calendar periods)."""
    import pandas as pd
    d = pd.Timestamp(date)
    for i, p in enumerate(periods):
        if not isinstance(p, pd.Period):
            try:
                p = pd.Period(str(p))
            except (ValueError, TypeError):
                return None
        if p.start_time <= d <= p.end_time:
            span = (p.end_time - p.start_time).total_seconds() or 1.0
            return i - 0.5 + (d - p.start_time).total_seconds() / span
    return None


def draw_events(ax, events: dict | None, periods) -> None:
    """Vertical markers of calendar events (``{date: label}``, e.g.
    :func:`corpus_tools.calendar_events`) on a period axis."""
    for date, label in sorted((events or {}).items()):
        x = event_x(periods, date)
        if x is not None:
            event_marker(ax, x, label)


def event_marker(ax, x: float, label: str) -> None:
    """One event: a dashed vertical line at ``x`` with its label along it."""
    ax.axvline(x, color="#7f7f7f", ls="--", lw=0.8, zorder=0)
    ax.annotate(label, (x, 1), xycoords=("data", "axes fraction"), fontsize=7, rotation=90,
                va="top", ha="right", color="#555555")


def apply_style() -> None:
    """Apply the package's matplotlib style globally (idempotent)."""
    plt.rcParams.update(_STYLE)


def _overlapping(labels) -> bool:
    """Do neighbouring visible labels overlap? Turned labels are parallel strips:
    they overlap when their anchors are closer than a line height across."""
    import math
    shown = [t for t in labels if t.get_visible() and t.get_text()]
    if len(shown) < 2:
        return False
    rot = shown[0].get_rotation() % 180
    if rot in (0, 90):
        boxes = [t.get_window_extent() for t in shown]
        return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:i + 3])
    fig = shown[0].figure
    line = 1.15 * shown[0].get_size() * fig.dpi / 72 / math.sin(math.radians(rot))
    xs = sorted(t.get_window_extent().x1 for t in shown)
    return any(b - a < line for a, b in zip(xs, xs[1:]))


def unclutter(fig: Figure) -> Figure:
    """Tick labels that overlap are turned (x axis) and then thinned to every k-th
    (both axes) until none overlaps: a crowded axis of dates or outlets stays
    readable in every figure :func:`save_figure` writes. Labels that fit are left
    as they are."""
    fig.canvas.draw()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            labels = axis.get_ticklabels()
            if not _overlapping(labels):
                continue
            if axis is ax.xaxis and all(t.get_rotation() == 0 for t in labels):
                for t in labels:
                    t.set_rotation(45)
                    t.set_ha("right")
                    t.set_rotation_mode("anchor")
                fig.canvas.draw()
                if not _overlapping(labels):
                    continue
            shown = [t for t in labels if t.get_text()]
            for k in range(2, len(shown) + 1):
                for i, t in enumerate(shown):
                    t.set_visible(i % k == 0)
                fig.canvas.draw()
                if not _overlapping(shown):
                    break
    return fig


def save_figure(fig: Figure, name: str, outdir: str | Path = "figures") -> list[Path]:
    """Save ``fig`` as ``<outdir>/<name>.png`` and ``.svg``; return both paths.
    Overlapping tick labels are turned or thinned first (:func:`unclutter`).

    Metadata that varies between runs (dates, software versions) is stripped so
    two runs of the main command give byte-identical files.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    unclutter(fig)
    paths = []
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        path = outdir / f"{name}.{ext}"
        with plt.rc_context({"svg.hashsalt": "corpus-tools"}):
            fig.savefig(path, format=ext, metadata=meta, bbox_inches="tight")
        paths.append(path)
    return paths


apply_style()
