"""The fixed choices that several functions share, each declared once.

A function takes one of these as a ``Literal`` type and checks it with
``_options.check_choice``, so an unknown value fails at the call naming the valid
ones, and the same idea has the same name and values everywhere.
"""
from __future__ import annotations

from typing import Literal

__all__ = ["Unit", "Layer", "Match"]

#: What one row of a frame or a document-term matrix is: an article or a paragraph.
Unit = Literal["article", "paragraph"]
#: The two layers of the pipeline: words (the segmentation) and terms (lexicon spans).
Layer = Literal["word", "term"]
#: How a query matches (term counts, rates and KWIC alike): as a span of whole words
#: however the words split it, word by word, or its syllables anywhere.
Match = Literal["term", "word", "anywhere"]
