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
}


def apply_style() -> None:
    """Apply the package's matplotlib style globally (idempotent)."""
    plt.rcParams.update(_STYLE)


def save_figure(fig: Figure, name: str, outdir: str | Path = "figures") -> list[Path]:
    """Save ``fig`` as ``<outdir>/<name>.png`` and ``.svg``; return both paths.

    Metadata that varies between runs (dates, software versions) is stripped so
    two runs of the main command give byte-identical files.
    """
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for ext, meta in (("png", {"Software": None}), ("svg", {"Date": None, "Creator": None})):
        path = outdir / f"{name}.{ext}"
        with plt.rc_context({"svg.hashsalt": "corpus-tools"}):
            fig.savefig(path, format=ext, metadata=meta, bbox_inches="tight")
        paths.append(path)
    return paths


apply_style()
