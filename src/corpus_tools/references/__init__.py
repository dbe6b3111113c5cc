"""The genre's own structure: cited documents, congresses and terms, Party level, officials, figures.

Pure functions over clean article text (``corpus_tools.clean.clean_text``) plus corpus-level
helpers that return tidy tables. Lookup tables are editable plain text in
``corpus_tools/resources/`` (``doc_types.txt``, ``issuers.txt``, ``titles.txt``,
``surnames.txt``, ``figure_units.txt``).
"""
from ._common import parse_number, roman_to_int
from ._congress import extract_congresses, org_level
from ._corpus import (
    citation_counts, congresses_table, figures_table, levels_table, officials_table, references_table,
    split_by_id_status, targets_table, top_officials,
)
from ._documents import ID_STATUSES, REFERENCE_COLUMNS, extract_references
from ._figures import FIGURE_COLUMNS, extract_figures
from ._level import LEVELS, LevelResult, classify_level
from ._officials import OFFICIAL_COLUMNS, extract_officials

__all__ = [
    "extract_references", "extract_congresses", "classify_level", "extract_officials", "extract_figures",
    "references_table", "citation_counts", "congresses_table", "levels_table", "officials_table",
    "top_officials", "figures_table", "targets_table", "split_by_id_status",
    "org_level", "roman_to_int", "parse_number", "LevelResult", "LEVELS",
    "REFERENCE_COLUMNS", "FIGURE_COLUMNS", "OFFICIAL_COLUMNS", "ID_STATUSES",
]
