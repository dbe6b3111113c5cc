"""Topic models of political-report language: fit, choose K, label, track over time.

``TopicVectorizer`` chooses the terms (and says why others go) and counts them;
``TopicModel`` (consensus NMF, NMF, LDA) fits that document-term matrix;
``topic_select_k`` scores a grid of K by NPMI coherence, diversity and stability
across seeds; ``topic_prevalence`` gives topic shares per period or outlet with
bootstrap intervals; ``topic_representatives`` the passages that carry a topic;
``topic_wording`` each topic's words per period and how much they change.
"""
from ._vocab import NEWS_FURNITURE, topic_dtm, topic_vocabulary
from ._metrics import coherence_npmi, topic_align, topic_diversity, topic_stability
from ._model import TopicModel
from ._numerics import corpus_fingerprint
from ._vectorizer import TopicVectorizer
from ._select import topic_choose_k, topic_select_k
from ._ldavis import topic_ldavis, write_ldavis
from ._evidence import (topic_match_seeds, topic_prevalence, topic_representatives,
                        topic_table, topic_terms)
from ._wording import TopicWording, topic_wording

__all__ = [
    "NEWS_FURNITURE", "TopicModel", "TopicVectorizer", "coherence_npmi", "corpus_fingerprint", "topic_align",
    "topic_diversity", "topic_dtm", "topic_ldavis", "topic_match_seeds", "topic_prevalence",
    "topic_choose_k", "topic_representatives", "topic_select_k", "topic_stability", "topic_table",
    "topic_terms", "topic_vocabulary", "write_ldavis", "topic_wording", "TopicWording",
]
