"""Site furniture learnt by repetition across the articles of one source.

No rule list knows the chrome of a site the project has never seen: a "saved
article" notice glued to the first sentence, a source credit glued to the last,
a share widget in the middle of a one-line export. What gives it away is
repetition: the same words, at the same edge of the text, in many articles of one
source, followed (or preceded) by text that differs from article to article.

:func:`find_furniture` learns four kinds from the articles of one source:

- ``lines``: whole lines that recur (a site name, a menu, "Theo dõi ... trên Zalo");
- ``prefixes``: fragments that open a line, of 1 to ``max_fragment_words`` words,
  before a dash or bar or glued to the text that follows (``"SHO - "``,
  ``"Bạn đã lưu bài viết thành công ...Sáng 9/5"``);
- ``suffixes``: fragments that close a line (``". Theo TTXVN"``);
- ``inline``: whole sentence-like segments that recur inside lines (a "Xem thêm"
  or "Lưu bài viết" widget between two sentences).

Edges are found with a trie of the lines' first (last) units — words, digit runs,
punctuation marks, and the pieces of words glued at a lower/upper case change —
built by sorting and longest-common-prefix intervals (Abouelhoda, Kurtz &
Ohlebusch 2004, *J. Discrete Algorithms* 2(1)), so a 40,000-article source is
learnt in seconds. Digits are masked, so counters, dates and view counts inside a
fragment do not break it. A node of the trie is a fragment when

1. enough articles share it (document frequency; see ``min_docs``, ``min_share``
   and the length rule below),
2. the text after it diverges: no single next unit follows it in more than
   ``3/4`` of those articles (otherwise the fragment goes on, or it is
   the common opening of real text),
3. the articles that share it are not copies of one story: their text a few
   words further on must differ (syndicated openings are not furniture),
4. it does not occur inside the running text of the source as well (a
   formula that also opens titles, "Hội nghị Ban Chấp hành Đảng bộ tỉnh lần
   thứ ...", is language, not chrome), and
5. it does not reach into a dateline (``Sáng 9/5,``, ``Ngày 12/3``) or a series
   marker (``Bài 2:``, ``Kỳ 3``): the fragment is cut before them, and
6. a fragment glued to the text is not an ordinary opening of the language
   (``Trong khi đó,``, ``Theo thông tin từ``): the openings of real sentences
   found in the shared corpora (``resources/sentence_openers.txt``, written by
   ``tools/make_sentence_openers.py``) are never furniture, however often one
   small source repeats them.

The length rule: a fragment bounded by a dash or bar needs ``min_share`` of the
articles; one glued to the text needs ``max(min_share, 0.6 / words)`` of them
(a 3-word fragment 20%, a 12-word one 5%), because short common openings of real
text are frequent and long ones are not.
"""
from __future__ import annotations

from ._furniture import Furniture
from ._learner import ArticleFeatures, FurnitureLearner, article_features, find_furniture
from ._units import line_key

__all__ = ["ArticleFeatures", "Furniture", "FurnitureLearner", "article_features", "find_furniture", "line_key"]
