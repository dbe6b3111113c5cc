"""Text reuse: passages shared across articles, outlets, Party levels and time;
the formulas of the centre; the uptake of cited documents down the levels."""
from ._docs import char_spans
from ._find import CLUSTER_COLUMNS, MEMBER_COLUMNS, PASSAGE_COLUMNS, Reuse, ReuseBackend, find_reuse
from ._formulas import FORMULA_COLUMNS, Formulas, SpreadBy, find_formulas, formula_spread, formula_table
from ._formulaic import FORMULAIC_COLUMNS, formulaicness
from ._reprints import CASCADE_COLUMNS, REPRINT_COLUMNS, Reprints, amplification, find_reprints
from ._simulate import plant_cascades, plant_passages, score_recovery
from ._uptake import UPTAKE_COLUMNS, Uptake, reuse_flows, reuse_uptake

__all__ = ["find_reuse", "Reuse", "ReuseBackend", "find_formulas", "formula_table", "formula_spread", "Formulas",
           "SpreadBy", "reuse_uptake", "Uptake", "reuse_flows", "plant_passages", "score_recovery", "find_reprints", "Reprints", "amplification",
           "plant_cascades", "REPRINT_COLUMNS", "CASCADE_COLUMNS", "formulaicness", "FORMULAIC_COLUMNS", "char_spans", "PASSAGE_COLUMNS",
           "CLUSTER_COLUMNS", "MEMBER_COLUMNS", "FORMULA_COLUMNS", "UPTAKE_COLUMNS"]
