"""Confounds of a comparison with its sources: when the groups a statistic compares
(two sides of a keyness split, the periods of a trend, the levels of a covariate)
are largely different sources, a difference between the groups may be a difference
between sources. One check, used by keyness, rates and effects, whose notes are
returned with their results (``attrs["notes"]``, ``Effects.notes``).

Written here: no library checks a text comparison against its sources; the rule is
a plain crosstab, stated so a reader can redo it.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["CONFOUND_SHARE", "SOURCE_COLUMNS", "source_confounds"]

#: A group is "mostly one source" when that source makes at least this share of it.
CONFOUND_SHARE = 0.8
#: The columns checked, in order: the outlet and the input file (an export).
SOURCE_COLUMNS = ("outlet", "source_path")


def source_confounds(groups, meta: pd.DataFrame, *, columns=SOURCE_COLUMNS, share: float = CONFOUND_SHARE,
                     what: str = "groups") -> list[str]:
    """Notes, in words, where ``groups`` (a label per row of ``meta``; missing
    labels are left out) coincide with a source column of ``meta``: a source makes
    at least ``share`` of one group and less than half of another. Nothing is said
    of a corpus of one source (every group is that source: no contrast to confound)."""
    g = pd.Series(np.asarray(groups, dtype=object), index=meta.index)
    notes = []
    for col in columns:
        if col not in meta:
            continue
        src = meta[col].astype(object).where(meta[col].notna(), "(unknown)")
        if col == "source_path":  # a record of an export is "file#row": the file is the source
            src = src.astype(str).str.replace(r"#\d+$", "", regex=True)
        ok = g.notna()
        if g[ok].nunique() < 2 or src[ok].nunique() < 2:
            continue
        tab = pd.crosstab(g[ok], src[ok], normalize="index")
        sizes = g[ok].value_counts()
        for label, row in tab.iterrows():
            top = row.idxmax()
            if row[top] < share:
                continue
            others = tab[top].drop(label)
            low = others[others < 0.5]
            if len(low):
                other = low.idxmin()
                name = "file" if col == "source_path" else col
                shown = Path(str(top)).name if col == "source_path" else top
                notes.append(
                    f"{what} are confounded with the {name}: {row[top]:.0%} of {label!r} "
                    f"({int(sizes[label])} articles) is {name} {shown!r}, against {tab.loc[other, top]:.0%} "
                    f"of {other!r} ({int(sizes[other])} articles); a difference between them may be a "
                    f"difference between sources")
                break  # one note per source column says it
    return notes
