"""The ``TopicModel`` estimator: LDA, NMF and consensus NMF over a document-term matrix."""
from __future__ import annotations

import io
import json
import os
import time
import warnings
from pathlib import Path
from typing import Any, Literal, Mapping, Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.exceptions import ConvergenceWarning
from threadpoolctl import threadpool_limits

from .._options import check_choice
from ._numerics import (corpus_fingerprint, idf, lda_e_step, nmf_shares, nnls_init,
                        package_versions, tfidf)
from ._reduce import consensus_topics, merge_smallest, reduction_size
from ..collection import is_corpus
from ._vectorizer import TopicVectorizer, counts_over, fit_counts

__all__ = ["TopicModel"]

Method = Literal["consensus", "nmf", "lda"]
Weighting = Literal["auto", "tfidf", "tf"]
_FORMAT = 4  # 4: oversplit (earlier models: 1.0); 3: idf_power (earlier: 1.0); 2: the vocabulary policy lives in ``vectorizer``
_POLICY_PARAMS = ("unit", "stopwords", "furniture", "exclude", "keep", "min_df", "max_df",
                  "vocabulary")


# ---------------------------------------------------------------- helpers
def _seed_terms(seed_topics) -> dict[str, list[str]]:
    """``seed_topics`` -> {family: [tokens]}; phrases go through the token pipeline
    (``tokens.query_tokens``) so they match the store's tokens."""
    from .. import tokens as _tok
    from ..concepts import load_concepts
    if isinstance(seed_topics, str):
        if seed_topics != "concepts":
            raise ValueError("seed_topics must be 'concepts', a list of concept family ids, "
                             f"or a dict family -> terms; got {seed_topics!r}")
        seed_topics = load_concepts()
    elif isinstance(seed_topics, (list, tuple)):
        concepts = load_concepts()
        unknown = [f for f in seed_topics if f not in concepts]
        if unknown:
            raise ValueError(f"unknown concept families {unknown}; known: {sorted(concepts)}")
        seed_topics = {f: concepts[f] for f in seed_topics}
    out: dict[str, list[str]] = {}
    for fam, terms in seed_topics.items():
        toks: list[str] = []
        for term in terms:
            if "_" in term or " " not in term.strip() or _tok is None:
                parts = [term.strip().replace(" ", "_")]
            else:
                parts = _tok.query_tokens(term)
            toks.extend(p for p in parts if p not in toks)
        out[str(fam)] = toks
    return out


def _json_safe(params: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in params.items():
        if isinstance(v, (frozenset, set)):
            v = sorted(v)
        elif isinstance(v, tuple):
            v = list(v)
        elif isinstance(v, Mapping):
            v = {str(a): list(b) for a, b in v.items()}
        elif isinstance(v, np.integer):
            v = int(v)
        out[k] = v
    return out


def _vectorizer_from_json(params: Mapping[str, Any] | None) -> TopicVectorizer | None:
    if params is None:
        return None
    params = dict(params)
    for key in ("stopwords", "exclude", "keep"):  # JSON lists back to tuples
        if isinstance(params.get(key), list):
            params[key] = tuple(params[key])
    if isinstance(params.get("furniture"), list):
        params["furniture"] = frozenset(params["furniture"])
    return TopicVectorizer(**params)


# ---------------------------------------------------------------- estimator
class TopicModel(TransformerMixin, BaseEstimator):
    """Topic model of a corpus, scikit-learn style.

    Parameters
    ----------
    n_topics : number of topics K.
    method : ``"consensus"`` (default), ``"nmf"`` or ``"lda"``.

        * ``"consensus"``: ensemble NMF (Greene, O'Callaghan & Cunningham 2014):
          ``n_restarts`` short NMF runs from random starts (seeded by
          ``random_state``) are stacked; their topics are clustered (k-means++,
          ``ceil(1.5 K)`` clusters, fixed seed) and the K clusters recurring in
          the most runs seed a final NMF run to convergence. Topics that only
          some runs find (small topics around one person or case) are left
          out, so different seeds converge to the same topics. With
          ``oversplit > 1`` this is done at ``ceil(oversplit K)`` topics, which
          are then reduced to K (see ``oversplit``).
        * ``"nmf"``: NMF (coordinate descent, Frobenius loss) from random starts;
          with ``n_restarts > 1`` the run with the lowest objective is kept.
        * ``"lda"``: scikit-learn's batch variational LDA (Blei, Ng & Jordan 2003)
          on raw counts; ``max_iter`` EM passes.
    weighting : ``"auto"`` (TF-IDF for NMF methods, counts for LDA), ``"tfidf"``
        or ``"tf"`` (NMF on raw counts).
    idf_power : the TF-IDF weight is ``(1 + log tf) * idf ** idf_power``. Above 1
        it lowers further the words found in many articles (``năm``, ``người``,
        ``việc`` survive any stopword list in this genre), so topics are told apart
        by words that co-occur: on vietnews_party (K = 20, 5 seeds, ``oversplit=1``)
        consensus NMF at 1.25 scores NPMI 0.336 (plain NMF 0.298; 1.5 gave 0.360
        but seeds agreed less); see ``benchmarks/bench_topic_targets.py``.
    oversplit : consensus only: fit ``ceil(oversplit * K)`` topics, then merge
        the smallest (by the documents' summed shares) into its nearest by
        cosine until K remain, and refine (BERTopic's topic reduction,
        Grootendorst 2022). A story reported many times no longer takes a
        topic a broad theme needs: on unc_dantri (K = 10, 5 seeds) section
        recovery NMI 0.646 against 0.576 at 1.0 and 0.590 for plain NMF; on
        vietnews_party NPMI 0.328, stability 0.874. ``"auto"`` (default): from 2K
        where there are 50 documents per topic, else K (see :func:`reduction_size`);
        ``oversplit_`` says which. A number forces it (1.0: none). Fits take twice as long.
    vectorizer : the vocabulary policy, a :class:`TopicVectorizer` (None = its
        defaults). A ``Corpus`` or frame passed to ``fit`` goes through a clone
        of it (``vectorizer_``); a count matrix is taken as given unless a
        vectorizer is passed explicitly.
    seed_topics : anchor topics with seed words: ``"concepts"`` (every family of
        ``load_concepts()``), a list of family ids, or ``{name: [terms]}``.
        NMF methods only: each family is assigned to one initial topic (best
        overlap, Hungarian) whose seed words get high weight before the final
        NMF; see :func:`topic_match_seeds`.
    seed_weight : initial weight of seed words, as a multiple of the largest
        weight in the topic.
    n_restarts : ensemble size (``consensus``, None = 30: at 20 the seeds agreed less,
        stability 0.85 against 0.91 on vietnews_party) or restarts (``nmf``,
        None = 10).
    max_iter : iterations of the final fit; None = 1000 (consensus: run to
        ``tol``), 200 (NMF) or 50 (LDA).
    tol : stopping tolerance of NMF.
    doc_topic_prior, topic_word_prior : LDA's alpha and eta (None = 1/K).
    random_state : int seed; every random start derives from it.
    n_jobs : threads for the NMF ensemble / restarts (None = every core the process
        may use; each run has its own seed, so the result does not depend on it);
        for LDA, scikit-learn's ``n_jobs``.
    progress : show a tqdm bar over the ensemble runs.

    Fitted attributes
    -----------------
    components_ : (K, V) topic-term weights (NMF H, or LDA pseudo-counts).
    topic_word_ : (K, V) rows normalised to sum 1 (the topic's word distribution).
    doc_topic_ : (D, K) topic shares of the training documents (rows sum to 1;
        all-zero for documents with no term in the vocabulary). Equal to
        ``transform`` of the training matrix.
    vocabulary_ : list of terms (columns).
    dropped_terms_ : DataFrame ``term, df, reason`` of terms left out (from
        ``vectorizer_``; empty for a matrix taken as given).
    vectorizer_ : the fitted :class:`TopicVectorizer`, or None.
    term_frequency_ : (V,) corpus counts of each term; ``doc_lengths_`` (D,).
    doc_index_ : the training documents (``doc_id``, ``para_id``, ``published``,
        ``outlet``, ``title`` where known).
    labels_ : one label per topic (automatic from the top relevant terms, or set
        with :meth:`set_label`).
    seed_topics_ : {topic: family} of anchored topics.
    oversplit_ : the oversplit factor used (1.0 = no reduction; see ``oversplit``).
    corpus_fingerprint_ : hash of the count matrix and vocabulary.
    objective_ : final loss (NMF reconstruction error, or LDA perplexity).
    fit_seconds_ : wall time of the fit.
    """

    def __init__(self, n_topics: int = 20, *, method: Method = "consensus",
                 weighting: Weighting = "auto", idf_power: float = 1.25, oversplit: float | Literal["auto"] = "auto",
                 vectorizer: TopicVectorizer | None = None,
                 seed_topics=None, seed_weight: float = 1.0,
                 n_restarts: int | None = None, max_iter: int | None = None, tol: float = 1e-4,
                 doc_topic_prior: float | None = None, topic_word_prior: float | None = None,
                 random_state: int = 0, n_jobs: int | None = None, progress: bool = False):
        self.n_topics = n_topics
        self.method = method
        self.weighting = weighting
        self.idf_power = idf_power
        self.oversplit = oversplit
        self.vectorizer = vectorizer
        self.seed_topics = seed_topics
        self.seed_weight = seed_weight
        self.n_restarts = n_restarts
        self.max_iter = max_iter
        self.tol = tol
        self.doc_topic_prior = doc_topic_prior
        self.topic_word_prior = topic_word_prior
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.progress = progress

    # -- validation: every parameter is checked here, once
    def _validate(self) -> None:
        check_choice("method", self.method, Method)
        check_choice("weighting", self.weighting, Weighting)
        if not isinstance(self.n_topics, (int, np.integer)) or self.n_topics < 1:
            raise ValueError(f"n_topics must be a positive int, got {self.n_topics!r}")
        if self.n_restarts is not None and (not isinstance(self.n_restarts, (int, np.integer))
                                            or isinstance(self.n_restarts, bool)
                                            or self.n_restarts < 1):
            raise ValueError(f"n_restarts must be a positive int, got {self.n_restarts!r}")
        if not isinstance(self.random_state, (int, np.integer)) or isinstance(self.random_state, bool):
            raise ValueError("random_state must be an int (results must be reproducible), "
                             f"got {self.random_state!r}")
        if self.seed_topics is not None and self.method == "lda":
            raise ValueError("seed_topics needs method='nmf' or 'consensus' (scikit-learn's LDA "
                             "has no per-topic word prior)")
        if not isinstance(self.idf_power, (int, float, np.floating)) or isinstance(self.idf_power, bool) \
                or not 0 <= self.idf_power <= 4:
            raise ValueError(f"idf_power must be a number in [0, 4], got {self.idf_power!r}")
        if self.oversplit != "auto" and (
                not isinstance(self.oversplit, (int, float, np.floating))
                or isinstance(self.oversplit, bool) or not 1 <= self.oversplit <= 5):
            raise ValueError(f"oversplit must be 'auto' or a number in [1, 5], got {self.oversplit!r}")
        if self.method == "lda" and self.weighting == "tfidf":
            raise ValueError("LDA models counts; weighting='tfidf' needs an NMF method")

    @property
    def _weighting(self) -> str:
        if self.weighting == "auto":
            return "tf" if self.method == "lda" else "tfidf"
        return self.weighting

    # -- input -> count matrix over the model's vocabulary
    def _inputs(self, X, vocabulary, index) -> sp.csr_matrix:
        """Counts for fitting; sets ``vectorizer_``, ``vocabulary_``,
        ``dropped_terms_`` and ``doc_index_``."""
        counts, self.vectorizer_, self.vocabulary_, self.doc_index_ = \
            fit_counts(X, self.vectorizer, vocabulary, index)
        self.dropped_terms_ = self.vectorizer_.dropped_terms_ if self.vectorizer_ is not None \
            else pd.DataFrame({"term": pd.Series([], dtype=object),
                               "df": pd.Series([], dtype=np.int64),
                               "reason": pd.Series([], dtype=object)})
        return counts

    def _weighted(self, X: sp.csr_matrix) -> sp.csr_matrix:
        if self._weighting == "tfidf":
            return tfidf(X, self.idf_ ** float(self.idf_power))
        return sp.csr_matrix(X, dtype=np.float64)

    # -- fitting
    def fit(self, X, y=None, *, vocabulary: Sequence[str] | None = None, index=None):
        """Fit on a ``Corpus``, an analysis frame (``tokens`` column), or a count
        matrix (``vocabulary`` names its columns; ``index`` its rows)."""
        self._validate()
        # One BLAS thread: sums in a fixed order (bit-identical results whatever
        # the machine's core count) and no oversubscription with the
        # ensemble's own threads. Parallelism comes from n_jobs.
        with threadpool_limits(limits=1):
            return self._fit(X, vocabulary, index)

    def _fit(self, X, vocabulary, index):
        t0 = time.perf_counter()
        counts = self._inputs(X, vocabulary, index)
        if counts.shape[1] < self.n_topics:
            raise ValueError(f"only {counts.shape[1]} terms survive the vocabulary policy for "
                             f"{self.n_topics} topics; lower min_df or n_topics")
        self.n_features_in_ = counts.shape[1]
        self.term_frequency_ = np.asarray(counts.sum(axis=0)).ravel().astype(np.int64)
        self.doc_lengths_ = np.asarray(counts.sum(axis=1)).ravel().astype(np.int64)
        self.idf_ = idf(counts)
        self.corpus_fingerprint_ = corpus_fingerprint(counts, self.vocabulary_)
        self.seed_topics_ = {}
        self.oversplit_ = 1.0
        self.seed_terms_ = {}
        if self.method == "lda":
            self._fit_lda(counts)
        else:
            self._fit_nmf(self._weighted(counts))
        self._order_topics(counts)
        self.doc_topic_ = self._transform_counts(counts)
        self._custom_labels = {}
        self.labels_ = self._auto_labels()
        self.fit_seconds_ = time.perf_counter() - t0
        return self

    def _max_iter(self) -> int:
        if self.max_iter is not None:
            return self.max_iter
        return {"lda": 50, "nmf": 200, "consensus": 1000}[self.method]

    @property
    def _n_restarts(self) -> int:
        if self.n_restarts is not None:
            return int(self.n_restarts)
        return 30 if self.method == "consensus" else 10

    def _fit_lda(self, counts: sp.csr_matrix) -> None:
        alpha = self.doc_topic_prior if self.doc_topic_prior is not None else 1.0 / self.n_topics
        eta = self.topic_word_prior if self.topic_word_prior is not None else 1.0 / self.n_topics
        lda = LatentDirichletAllocation(n_components=self.n_topics, learning_method="batch",
                                        max_iter=self._max_iter(), doc_topic_prior=alpha,
                                        topic_word_prior=eta, random_state=int(self.random_state),
                                        n_jobs=self.n_jobs)
        lda.fit(counts)
        self.components_ = lda.components_.astype(np.float64)
        self.doc_topic_prior_ = float(alpha)
        self.topic_word_prior_ = float(eta)
        self.n_iter_ = int(lda.n_iter_)
        self.objective_ = float(lda.bound_)

    def _run_seeds(self) -> list[int]:
        ss = np.random.SeedSequence(int(self.random_state))
        return [int(s) for s in ss.generate_state(self._n_restarts, dtype=np.uint32)]

    def _random_runs(self, A: sp.csr_matrix, max_iter: int, tol: float,
                     k: int) -> list[tuple[float, np.ndarray, np.ndarray]]:
        """NMF from random starts; one per derived seed, run in parallel threads
        (scikit-learn's coordinate descent releases the GIL)."""
        from joblib import Parallel, delayed

        def one(seed):
            m = NMF(n_components=k, init="random", solver="cd", beta_loss="frobenius",
                    max_iter=max_iter, tol=tol, random_state=seed)
            W = m.fit_transform(A)
            return float(m.reconstruction_err_), W, m.components_

        seeds = self._run_seeds()
        if self.progress:
            from tqdm.auto import tqdm
            seeds = tqdm(seeds, desc=f"{self.method} K={k}", leave=False)
        n_jobs = self.n_jobs if self.n_jobs is not None else len(os.sched_getaffinity(0))
        # Filters are process-global: set once here (per thread, catch_warnings races).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return Parallel(n_jobs=n_jobs, prefer="threads")(delayed(one)(s) for s in seeds)

    def _seed_init(self, H: np.ndarray) -> np.ndarray:
        """Boost each seed family's words in the initial topic that fits it best."""
        fam_terms = _seed_terms(self.seed_topics)
        pos = {t: i for i, t in enumerate(self.vocabulary_)}
        fams, cols = [], []
        for fam, toks in fam_terms.items():
            c = sorted({pos[t] for t in toks if t in pos})
            self.seed_terms_[fam] = [self.vocabulary_[j] for j in c]
            if c:
                fams.append(fam)
                cols.append(np.array(c))
            else:
                warnings.warn(f"seed family {fam!r}: none of its terms is in the vocabulary",
                              stacklevel=3)
        if not fams:
            return H
        if len(fams) > self.n_topics:
            raise ValueError(f"{len(fams)} seed families for {self.n_topics} topics")
        Hn = H / np.maximum(H.sum(axis=1, keepdims=True), 1e-12)
        score = np.array([[Hn[k, c].sum() for c in cols] for k in range(self.n_topics)])
        rows, fcols = linear_sum_assignment(-score)
        H = H.copy()
        for k, f in zip(rows, fcols):
            top = H[k].max() if H[k].max() > 0 else 1.0
            H[k] = 0.5 * H[k]
            H[k, cols[f]] = np.maximum(H[k, cols[f]], self.seed_weight * top)
            self.seed_topics_[int(k)] = fams[f]
        return H

    def _fit_nmf(self, A: sp.csr_matrix) -> None:
        max_iter = self._max_iter()
        if self.method == "nmf":
            runs = self._random_runs(A, max_iter, self.tol, self.n_topics)
            best = int(np.argmin([r[0] for r in runs]))
            _, W, H = runs[best]
            if self.seed_topics is None:
                self.components_, self.objective_, self.n_iter_ = H, runs[best][0], max_iter
                return
        else:
            # Short ensemble runs: the consensus averages out their noise.
            k = reduction_size(self.n_topics, self.oversplit, A.shape)
            self.oversplit_ = k / self.n_topics
            runs = self._random_runs(A, min(max_iter, 100), max(self.tol, 1e-3), k)
            H = consensus_topics(runs, k)
            if k > self.n_topics:
                H = self._refine(A, H, max_iter)[0]
                groups = merge_smallest(H, nmf_shares(A, H).sum(axis=0), self.n_topics)
                H = np.vstack([H[g].sum(axis=0) for g in groups])
        if self.seed_topics is not None:
            H = self._seed_init(H)
        self.components_, self.objective_, self.n_iter_ = self._refine(A, H, max_iter)

    def _refine(self, A: sp.csr_matrix, H: np.ndarray, max_iter: int) -> tuple[np.ndarray, float, int]:
        """NMF from topics ``H`` (scaled to the data by least squares) to convergence."""
        W0 = nnls_init(A, H)
        m = NMF(n_components=H.shape[0], init="custom", solver="cd", beta_loss="frobenius",
                max_iter=max_iter, tol=self.tol, random_state=int(self.random_state))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m.fit_transform(A, W=np.ascontiguousarray(W0), H=np.ascontiguousarray(H))
        return m.components_, float(m.reconstruction_err_), int(m.n_iter_)

    def _order_topics(self, counts) -> None:
        """Number topics by prevalence (topic 0 the largest) so output is stable."""
        theta = self._transform_counts(counts)
        order = np.lexsort((np.arange(self.n_topics), -theta.sum(axis=0).round(12)))
        self.components_ = np.ascontiguousarray(self.components_[order])
        self.seed_topics_ = {int(np.flatnonzero(order == k)[0]): f
                             for k, f in self.seed_topics_.items()}
        self.seed_topics_ = dict(sorted(self.seed_topics_.items()))

    # -- transform
    @property
    def topic_word_(self) -> np.ndarray:
        C = self.components_
        return C / np.maximum(C.sum(axis=1, keepdims=True), 1e-300)

    def _transform_counts(self, counts: sp.csr_matrix) -> np.ndarray:
        empty = np.diff(counts.indptr) == 0
        if self.method == "lda":
            gamma = lda_e_step(counts, self.components_, self.doc_topic_prior_)
            theta = gamma / gamma.sum(axis=1, keepdims=True)
        else:
            theta = nmf_shares(self._weighted(counts), self.components_)
        theta[empty] = 0.0
        return theta

    def transform(self, X, *, vocabulary: Sequence[str] | None = None) -> np.ndarray:
        """Topic shares (documents x K) of new documents: a frame, a ``Corpus``
        (the vectorizer's ``unit``) or a count matrix over ``vocabulary_`` (or
        over ``vocabulary``, realigned by name). Rows sum to 1; documents
        without any vocabulary term get a row of zeros."""
        self._check_fitted()
        if is_corpus(X):
            vec = self.vectorizer_
            X = X.frame(unit=vec.unit, layer=vec.layer) if vec is not None else X.frame()
        with threadpool_limits(limits=1):
            return self._transform_counts(counts_over(X, self.vocabulary_, vocabulary))

    def fit_transform(self, X, y=None, **fit_params) -> np.ndarray:
        return self.fit(X, **fit_params).doc_topic_

    def _check_fitted(self) -> None:
        if not hasattr(self, "components_"):
            from sklearn.exceptions import NotFittedError
            raise NotFittedError("this TopicModel is not fitted yet; call fit() first")

    # -- words and labels
    def relevance(self, lambda_: float = 0.6) -> np.ndarray:
        """Term relevance per topic (Sievert & Shirley 2014, LDAvis):
        ``lambda * log p(w|k) + (1 - lambda) * log(p(w|k) / p(w))``. ``lambda=1``
        ranks by probability; lower values favour words specific to the topic
        (0.6 was best for users in their study)."""
        self._check_fitted()
        if not 0.0 <= lambda_ <= 1.0:
            raise ValueError(f"lambda_ must be in [0, 1], got {lambda_!r}")
        phi = self.topic_word_
        pw = self.term_frequency_ / max(self.term_frequency_.sum(), 1)
        with np.errstate(divide="ignore", invalid="ignore"):
            logphi = np.log(phi)
            lift = logphi - np.log(np.maximum(pw, 1e-300))[None, :]
        if lambda_ == 1.0:
            return logphi
        with np.errstate(invalid="ignore"):  # 0 * -inf for a term absent from a topic
            R = lambda_ * logphi + (1.0 - lambda_) * lift
        return np.where(np.isnan(R), -np.inf, R)

    def to_ldavis(self, path=None, **kwargs):
        """LDAvis data of the model (:func:`corpus_tools.topic_ldavis`); with ``path``,
        written there as JSON and the path returned."""
        from ._ldavis import topic_ldavis, write_ldavis
        return topic_ldavis(self, **kwargs) if path is None else write_ldavis(self, path, **kwargs)

    def top_terms(self, n: int = 10, *, lambda_: float = 1.0) -> list[list[str]]:
        """Top ``n`` terms of each topic by relevance (``lambda_=1``: probability)."""
        R = self.relevance(lambda_)
        order = np.argsort(-R, axis=1, kind="stable")[:, :n]
        return [[self.vocabulary_[j] for j in row] for row in order]

    def _auto_labels(self) -> list[str]:
        labels = []
        for k, terms in enumerate(self.top_terms(3, lambda_=0.6)):
            lab = " · ".join(t.replace("_", " ") for t in terms)
            fam = self.seed_topics_.get(k)
            labels.append(f"[{fam}] {lab}" if fam else lab)
        return [self._custom_labels.get(k, lab) for k, lab in enumerate(labels)]

    def set_label(self, topic: int, label: str | None):
        """Name a topic (``None`` restores the automatic label); saved with the model."""
        self._check_fitted()
        if not 0 <= int(topic) < self.components_.shape[0]:
            raise ValueError(f"topic must be in [0, {self.components_.shape[0]}), got {topic!r}")
        if label is None:
            self._custom_labels.pop(int(topic), None)
        else:
            self._custom_labels[int(topic)] = str(label)
        self.labels_ = self._auto_labels()
        return self

    # -- persistence
    def _json_params(self) -> dict[str, Any]:
        out = _json_safe(self.get_params(deep=False))
        out["vectorizer"] = None if self.vectorizer is None else \
            _json_safe(self.vectorizer.get_params())
        return out

    def save(self, path) -> Path:
        """Write the fitted model to one ``.npz`` file (arrays + a JSON header;
        no pickle): vocabulary, parameters, labels, package versions and the
        corpus fingerprint."""
        self._check_fitted()
        path = Path(path)
        if path.suffix != ".npz":
            path = path.with_suffix(path.suffix + ".npz") if path.suffix else path.with_suffix(".npz")
        meta = {
            "format": _FORMAT,
            "class": "corpus_tools.TopicModel",
            "params": self._json_params(),
            "versions": package_versions(),
            "corpus_fingerprint": self.corpus_fingerprint_,
            "custom_labels": {str(k): v for k, v in self._custom_labels.items()},
            "seed_topics": {str(k): v for k, v in self.seed_topics_.items()},
            "seed_terms": self.seed_terms_,
            "objective": self.objective_,
            "n_iter": self.n_iter_,
            "oversplit": self.oversplit_,
            "fit_seconds": self.fit_seconds_,
            "doc_topic_prior": getattr(self, "doc_topic_prior_", None),
            "topic_word_prior": getattr(self, "topic_word_prior_", None),
            "fitted_vectorizer": None if self.vectorizer_ is None else
            _json_safe(self.vectorizer_.get_params()),
        }
        buf = io.BytesIO()
        self.doc_index_.to_parquet(buf, index=False)
        dbuf = io.BytesIO()
        self.dropped_terms_.to_parquet(dbuf, index=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(
            tmp, meta=np.array(json.dumps(meta, ensure_ascii=False)),
            vocabulary=np.array(self.vocabulary_, dtype=str),
            components=self.components_, doc_topic=self.doc_topic_,
            term_frequency=self.term_frequency_, doc_lengths=self.doc_lengths_, idf=self.idf_,
            doc_index=np.frombuffer(buf.getvalue(), dtype=np.uint8),
            dropped_terms=np.frombuffer(dbuf.getvalue(), dtype=np.uint8))
        tmp.replace(path)
        return path

    @classmethod
    def load(cls, path) -> "TopicModel":
        """Read a model written by :meth:`save`; warns when package versions differ."""
        with np.load(Path(path), allow_pickle=False) as z:
            meta = json.loads(str(z["meta"]))
            if meta.get("class") != "corpus_tools.TopicModel":
                raise ValueError(f"{path} is not a saved TopicModel")
            params = dict(meta["params"])
            if meta.get("format", 1) < 3:
                params.setdefault("idf_power", 1.0)  # what models before format 3 were fitted with
            if meta.get("format", 1) < 4:
                params.setdefault("oversplit", 1.0)
            if meta.get("format", 1) == 1:  # policy params moved into the vectorizer
                params["vectorizer"] = {k: params.pop(k) for k in _POLICY_PARAMS if k in params}
                fitted_vec = params["vectorizer"]
            else:
                fitted_vec = meta.get("fitted_vectorizer")
            params["vectorizer"] = _vectorizer_from_json(params.get("vectorizer"))
            model = cls(**params)
            model.vocabulary_ = [str(t) for t in z["vocabulary"]]
            model.components_ = z["components"]
            model.doc_topic_ = z["doc_topic"]
            model.term_frequency_ = z["term_frequency"]
            model.doc_lengths_ = z["doc_lengths"]
            model.idf_ = z["idf"]
            model.doc_index_ = pd.read_parquet(io.BytesIO(z["doc_index"].tobytes()))
            model.dropped_terms_ = pd.read_parquet(io.BytesIO(z["dropped_terms"].tobytes()))
        model.vectorizer_ = _vectorizer_from_json(fitted_vec)
        if model.vectorizer_ is not None:
            model.vectorizer_.vocabulary_ = list(model.vocabulary_)
            model.vectorizer_.dropped_terms_ = model.dropped_terms_
            model.vectorizer_.doc_index_ = model.doc_index_
            model.vectorizer_.n_docs_ = len(model.doc_index_)
        model.n_features_in_ = len(model.vocabulary_)
        model.corpus_fingerprint_ = meta["corpus_fingerprint"]
        model.seed_topics_ = {int(k): v for k, v in meta["seed_topics"].items()}
        model.seed_terms_ = meta["seed_terms"]
        model.objective_ = meta["objective"]
        model.n_iter_ = meta["n_iter"]
        model.oversplit_ = float(meta.get("oversplit", params.get("oversplit", 1.0)))
        model.fit_seconds_ = meta["fit_seconds"]
        if meta.get("doc_topic_prior") is not None:
            model.doc_topic_prior_ = meta["doc_topic_prior"]
            model.topic_word_prior_ = meta["topic_word_prior"]
        model._custom_labels = {int(k): v for k, v in meta["custom_labels"].items()}
        model.labels_ = model._auto_labels()
        model.versions_ = meta["versions"]
        now = package_versions()
        diff = {k: (v, now.get(k)) for k, v in meta["versions"].items() if now.get(k) != v}
        if diff:
            warnings.warn(f"model saved with other package versions {diff}; transform results "
                          "may differ slightly", stacklevel=2)
        return model
