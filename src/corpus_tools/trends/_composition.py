"""Corpus composition: which sources make up each period."""
from __future__ import annotations


import numpy as np
import pandas as pd

from ..periods import By, code_periods

from ._common import _prepare

# --------------------------------------------------------------------------- composition
def corpus_composition(corpus, by: By = "year", group: str = "outlet") -> pd.DataFrame:
    """Articles and tokens per period x group (e.g. outlet), with shares of the period.

    A rise in a term's rate that coincides with a change in the mix of sources may
    be a change of sources, not of language. Missing group values are shown as
    ``"(unknown)"``.
    """
    if isinstance(corpus, pd.DataFrame):
        meta = corpus.drop(columns=["tokens"]) if "tokens" in corpus else corpus
        lengths = (corpus["tokens"].map(len).to_numpy() if "tokens" in corpus
                   else np.zeros(len(corpus), dtype=np.int64))
    else:
        meta, index = _prepare(corpus)
        lengths = index.lengths
    meta = meta.reset_index(drop=True)
    if group not in meta.columns:
        raise ValueError(f"group={group!r} is not a column of the frame")
    codes, labels, _ = code_periods(meta, by)
    keep = codes >= 0
    g = meta[group].astype(object).where(meta[group].notna(), "(unknown)")
    df = pd.DataFrame({"period": codes[keep], group: g[keep].to_numpy(), "n_tokens": lengths[keep]})
    out = (df.groupby(["period", group], sort=True)
             .agg(n_docs=("n_tokens", "size"), n_tokens=("n_tokens", "sum")).reset_index())
    tot = out.groupby("period")[["n_docs", "n_tokens"]].transform("sum")
    out["doc_share"] = out["n_docs"] / tot["n_docs"]
    out["token_share"] = out["n_tokens"] / tot["n_tokens"].where(tot["n_tokens"] > 0)
    out["period"] = np.asarray(labels, dtype=object)[out["period"].to_numpy()]
    if isinstance(labels, pd.PeriodIndex):
        out["period"] = pd.PeriodIndex(out["period"].tolist(), freq=labels.freq)
    out.attrs.update({"by": by if not isinstance(by, pd.Series) else (by.name or "custom"), "group": group, "n_excluded": int((~keep).sum())})
    return out

