"""Co-occurrence network (input: :func:`corpus_tools.term_cooccurrence`), as quanteda's
``textplot_network``: nodes are terms, edges their strongest associations."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .._options import renamed_options

__all__ = ["plot_cooccurrence_network"]


@renamed_options(n_edges="n", seed="random_state")
def plot_cooccurrence_network(edges: pd.DataFrame, *, n: int = 40, random_state: int = 0,
                              title: str | None = None) -> Figure:
    """The ``n`` strongest pairs of ``edges`` as a graph.

    Layout: networkx's spring layout (Fruchterman & Reingold 1991) with a fixed
    ``random_state`` and nodes added in a fixed order, so the figure is the same on every
    run. Node area follows the term's count, edge width its ``score``; labels show
    words with spaces (``đại_hội`` -> ``đại hội``).
    """
    import networkx as nx
    if edges.empty:
        raise ValueError("no pairs to draw: lower min_count, widen the window or pass more terms")
    top = edges.head(n)
    counts = edges.attrs.get("nodes", {})
    g = nx.Graph()
    for t in sorted(set(top["term_a"]) | set(top["term_b"])):
        g.add_node(t)
    for a, b, s in zip(top["term_a"], top["term_b"], top["score"]):
        g.add_edge(a, b, weight=float(s))
    pos = nx.spring_layout(g, seed=random_state, weight="weight", k=1.5 / np.sqrt(max(g.number_of_nodes(), 1)))
    fig, ax = plt.subplots(figsize=(8, 6.5))
    w = np.array([d["weight"] for _, _, d in g.edges(data=True)], dtype=float)
    width = 0.5 + 3.5 * (w - w.min()) / (np.ptp(w) or 1.0)
    nx.draw_networkx_edges(g, pos, ax=ax, width=width, edge_color="#8da0cb", alpha=0.7)
    c = np.array([counts.get(t, 1) for t in g.nodes()], dtype=float)
    size = 120 + 900 * (c - c.min()) / (np.ptp(c) or 1.0)
    nx.draw_networkx_nodes(g, pos, ax=ax, node_size=size, node_color="#fc8d62", alpha=0.85)
    nx.draw_networkx_labels(g, pos, ax=ax, labels={t: t.replace("_", " ") for t in g.nodes()},
                            font_size=8, font_family="DejaVu Sans")
    ax.set_axis_off()
    measure = edges.attrs.get("measure", "score")
    window = edges.attrs.get("window")
    ctx = f"within {window} tokens" if window else "in the same document"
    ax.set_title(title or f"Co-occurrence network: {len(top)} strongest pairs by {measure} ({ctx})")
    fig.tight_layout()
    return fig
