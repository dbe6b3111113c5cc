"""Covariate effects on topic prevalence and term rates, as stm's ``estimateEffect``
(Roberts, Stewart & Tingley 2019, *stm: An R package for structural topic models*,
J. Stat. Softw. 91(2); Roberts et al. 2014, *AJPS* 58(4)).

Does a theme's share, or a term's rate, depend on time, outlet and Party level?
Each outcome is regressed on covariates named in a formula over the frame's
metadata, with statsmodels:

- topic shares (or any shares in [0, 1]): a fractional logit, the binomial GLM
  with a logit link fitted to proportions (Papke & Wooldridge 1996, *J. Appl.
  Econometrics* 11(6));
- term and concept counts: a Poisson GLM with ``log(tokens)`` as offset (a rate
  model), or a negative binomial one for overdispersed counts.

Uncertainty: ``"robust"`` (default) uses heteroskedasticity-robust standard errors
(HC3, :func:`hc3_cov`; HC0 for the negative binomial), which keep the fractional
logit and the Poisson rate model valid when the variance is misspecified
(quasi-likelihood) and behave in small samples; ``"cluster"`` clusters them (e.g. by
article when the documents are paragraphs); ``"bootstrap"`` resamples documents
(or clusters) and refits. Expected values and contrasts are averages of the model's
predictions over the observed documents with the covariate set to each value,
their intervals by simulation from the coefficients' sampling distribution (King,
Tomz & Wittenberg 2000, *AJPS* 44(2)) or from the bootstrap refits.

Small groups and separation are checked before fitting (:func:`corpus_tools.check_support`):
a level of a categorical covariate with fewer than :data:`MIN_GROUP_DOCS` documents,
or one whose outcome never varies (a term never used in it: complete separation,
whose maximum-likelihood coefficient is minus infinity and whose Wald p-value is
meaningless), is refused with an error that names it and the fix, rather than fitted
with a penalty. We refuse because a penalised fit (Firth 1993) would still print a
coefficient for a group of one article, whose interval could not keep its coverage;
an error with the group's exact interval is the honest number. ``on_thin="drop"``
leaves those documents out and says so in :attr:`Effects.notes`.

What is and is not propagated: the regression's uncertainty is. The uncertainty
of the document-topic shares themselves is not: the shipped models (consensus
NMF, NMF, and LDA's point estimates) give one share per document, not a posterior
to draw from as stm's "method of composition" does, so intervals for topic
effects are conditional on the fitted topics.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from ._options import check_choice, check_ci
from .support import MIN_GROUP_DOCS, drop_unsupported

__all__ = ["Effects", "add_covariates", "decimal_year", "estimate_effects", "estimate_event", "hc3_cov",
           "suggest_formula"]


def decimal_year(dates) -> pd.Series:
    """Dates as decimal years (2021-07-02 -> 2021.5): one numeric time axis for
    regressions and for the calendar's markers on their plots."""
    d = pd.to_datetime(pd.Series(dates))
    start = pd.to_datetime(d.dt.year.astype("Int64").astype(str) + "-01-01", errors="coerce")
    days = (d - start).dt.total_seconds() / 86400
    length = 365 + d.dt.is_leap_year.astype(float)
    return d.dt.year + days / length

Model = Literal["auto", "fractional_logit", "poisson", "negative_binomial"]
Uncertainty = Literal["robust", "cluster", "bootstrap"]
OnThin = Literal["refuse", "drop"]


def add_covariates(frame: pd.DataFrame, corpus=None, *, by: Any = "auto") -> pd.DataFrame:
    """``frame`` with the covariates a formula names: ``period`` (the label of
    ``by``: ``"auto"`` picks the time unit from the dates, see
    :func:`corpus_tools.choose_time_unit`), ``time`` (the date as a decimal year,
    2021.07, for trends and splines: ``bs(time, df=4)``), ``term`` (the Central
    Committee term in office, :func:`corpus_tools.party_term`: ``by=frame.set_index("doc_id")["term"]``
    gives periods by term to ``term_rates`` and ``topic_prevalence``), ``plenum`` (the
    period between Central Committee plenums, :func:`corpus_tools.calendar_period`;
    None where the calendar lacks the next plenum), and, with ``corpus``,
    ``level`` (the article's Party level by :func:`corpus_tools.classify_level`)."""
    from .defaults import choose_time_unit
    from .periods import code_periods
    out = frame.copy()
    if "published" in out and out["published"].notna().any():
        pub = pd.to_datetime(out["published"])
        unit = choose_time_unit(pub)[0] if isinstance(by, str) and by == "auto" else by
        if unit is not None:
            coding = code_periods(out, unit)
            labels = np.array([str(x) for x in coding.labels], dtype=object)
            out["period"] = pd.Series(np.where(coding.codes >= 0, labels[np.maximum(coding.codes, 0)], None),
                                      index=out.index)
        out["time"] = decimal_year(pub)
        from .calendar import calendar_period, party_term
        out["term"] = pub.map(party_term)  # the Central Committee term (khóa) in office
        out["plenum"] = pub.map(calendar_period)  # between which plenums (None at a gap of the calendar)
    if corpus is not None:
        from .references import levels_table
        arts = corpus.articles
        levels = levels_table(arts[arts["doc_id"].isin(set(out["doc_id"]))])
        out["level"] = out["doc_id"].map(levels.set_index("doc_id")["level"])
    return out


def _outcomes(target, frame: pd.DataFrame, outcomes) -> tuple[pd.DataFrame, str, pd.Series | None]:
    """(outcome columns, kind "share" | "count", tokens per document or None)."""
    if hasattr(target, "components_") and hasattr(target, "transform"):  # a TopicModel
        theta = target.transform(frame)
        names = [f"topic_{k}" for k in range(theta.shape[1])]
        y = pd.DataFrame(theta, columns=names, index=frame.index)
        if outcomes is not None:
            keep = [f"topic_{k}" if isinstance(k, (int, np.integer)) else str(k) for k in outcomes]
            y = y[keep]
        return y, "share", None
    if isinstance(target, pd.DataFrame):
        if len(target) != len(frame):
            raise ValueError(f"target has {len(target)} rows, the frame {len(frame)}")
        if "n_tokens" in target.columns:  # counts with their exposure (TopicWording.word_counts)
            if "doc_id" in target.columns and "doc_id" in frame.columns \
                    and not (target["doc_id"].to_numpy() == frame["doc_id"].to_numpy()).all():
                raise ValueError("target and frame list different documents (doc_id): align them first")
            y = target.drop(columns=["doc_id", "n_tokens"], errors="ignore").set_axis(frame.index)
            if (y < 0).any().any():
                raise ValueError("counts must be >= 0")
            return y, "count", pd.Series(target["n_tokens"].to_numpy(dtype=float), index=frame.index)
        y = target.set_axis(frame.index)
        if ((y < 0) | (y > 1)).any().any():
            raise ValueError("a DataFrame target holds shares in [0, 1]; pass terms for counts")
        return y, "share", None
    from .trends import term_counts
    terms = [target] if isinstance(target, str) else list(target)
    counts = term_counts(frame, terms)
    y = counts[[c for c in counts.columns if c not in ("doc_id", "n_tokens")]]
    return y.set_axis(frame.index), "count", pd.Series(counts["n_tokens"].to_numpy(), index=frame.index)


def _rhs(formula: str) -> str:
    rhs = formula.split("~", 1)[-1].strip()
    if not rhs:
        raise ValueError(f"formula needs covariates after '~', got {formula!r}")
    return rhs


_FORMULA_WORDS = frozenset({"C", "bs", "cr", "np", "log", "I", "df", "T"})


def _covariates(rhs: str, frame: pd.DataFrame) -> list[str]:
    """The frame's columns that ``rhs`` names; an error for names that are none
    (functions, ``df=`` and quoted levels are not names)."""
    bare = re.sub(r"'[^']*'|\"[^\"]*\"", "", rhs)
    names = set(re.findall(r"\b([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\()", bare)) - _FORMULA_WORDS
    missing = sorted(n for n in names if n not in frame.columns and not n[0].isupper())
    if missing:
        raise ValueError(f"formula names {missing}, not columns of the frame; "
                         f"add_covariates(frame, corpus) adds period, time, term and level")
    return sorted(n for n in names if n in frame.columns)


@dataclass
class Effects:
    """What :func:`estimate_effects` returns.

    ``table``: one row per outcome and coefficient: ``estimate`` (on the link scale:
    log-odds for shares, log rate ratio for counts), ``std_error``, ``ci_low``,
    ``ci_high``, ``p_value``. ``fits``: the statsmodels results by outcome.
    :meth:`expected` and :meth:`contrast` give effects on the outcome's own scale
    (share, or rate per 10,000 tokens)."""

    table: pd.DataFrame
    fits: dict
    kind: str
    data: pd.DataFrame
    formula: str
    uncertainty: str
    ci: float
    random_state: int
    boot: dict = field(default_factory=dict, repr=False)
    covs: dict = field(default_factory=dict, repr=False)
    #: what a reader must know about these numbers (documents left out, thin
    #: groups, the negative binomial's estimated dispersion), in words
    notes: list = field(default_factory=list)

    def _draws(self, outcome: str, n_sims: int) -> np.ndarray:
        if self.uncertainty == "bootstrap":
            return self.boot[outcome]
        fit = self.fits[outcome]
        rng = np.random.default_rng(self.random_state)
        with warnings.catch_warnings():  # a near-singular covariance (a separated level) is drawn as is
            warnings.simplefilter("ignore", RuntimeWarning)
            cov = self.covs.get(outcome, np.asarray(fit.cov_params()))
            return rng.multivariate_normal(np.asarray(fit.params), cov, size=n_sims, method="eigh")

    def _design(self, outcome: str, data: pd.DataFrame) -> np.ndarray:
        from patsy import build_design_matrices
        spec = self.fits[outcome].model.data.model_spec
        return np.asarray(build_design_matrices([spec], data)[0])

    def _mean(self, X: np.ndarray, beta: np.ndarray) -> np.ndarray:
        """Average prediction on the outcome scale, for each row of ``beta``."""
        eta = X @ beta.T
        if self.kind == "share":
            return (1.0 / (1.0 + np.exp(-eta))).mean(axis=0)
        return (np.exp(eta) * 1e4).mean(axis=0)  # rate per 10,000 tokens (offset 0 = per token)

    def expected(self, covariate: str, values=None, *, by: str | None = None, outcomes=None,
                 n_sims: int = 1000) -> pd.DataFrame:
        """Expected outcome with ``covariate`` set to each of ``values`` (default: its
        levels, or 25 points over its range), every other covariate as observed,
        averaged over the documents; per level of ``by`` if given. Columns
        ``outcome``, ``covariate``, ``value``, (``by``, ``group``), ``estimate``,
        ``ci_low``, ``ci_high``."""
        if covariate not in self.data:
            raise ValueError(f"{covariate!r} is not a covariate of the model; have {list(self.data.columns)}")
        col = self.data[covariate]
        if values is None:
            values = (sorted(col.dropna().unique()) if not pd.api.types.is_numeric_dtype(col)
                      else np.linspace(col.min(), col.max(), 25))
        groups = [None] if by is None else sorted(self.data[by].dropna().unique())
        alpha = (1 - self.ci) / 2
        rows = []
        for outcome in outcomes or list(self.fits):
            beta = np.asarray(self.fits[outcome].params)[None, :]
            draws = self._draws(outcome, n_sims)
            for g in groups:
                for v in values:
                    d = self.data.copy()
                    d[covariate] = v
                    if by is not None:
                        d[by] = g
                    X = self._design(outcome, d)
                    sims = self._mean(X, draws)
                    row = {"outcome": outcome, "covariate": covariate, "value": v,
                           "estimate": float(self._mean(X, beta)[0]),
                           "ci_low": float(np.quantile(sims, alpha)), "ci_high": float(np.quantile(sims, 1 - alpha))}
                    if by is not None:
                        row.update(by=by, group=g)
                    rows.append(row)
        return pd.DataFrame(rows)

    def contrast(self, covariate: str, a, b, *, outcomes=None, n_sims: int = 1000) -> pd.DataFrame:
        """Expected outcome at ``covariate = a`` minus at ``b`` (stm's
        ``method="difference"``), with interval. Columns ``outcome``, ``contrast``,
        ``estimate``, ``ci_low``, ``ci_high``."""
        if covariate not in self.data:
            raise ValueError(f"{covariate!r} is not a covariate of the model; have {list(self.data.columns)}")
        if not pd.api.types.is_numeric_dtype(self.data[covariate]):
            fitted = set(self.data[covariate].dropna())
            missing = [v for v in (a, b) if v not in fitted]
            if missing:  # e.g. a level left out with on_thin="drop": no estimate exists for it
                raise ValueError(f"{covariate}={missing} is not among the levels the model was fitted on "
                                 f"({sorted(map(str, fitted))}); see Effects.notes")
        alpha = (1 - self.ci) / 2
        rows = []
        for outcome in outcomes or list(self.fits):
            beta = np.asarray(self.fits[outcome].params)[None, :]
            draws = self._draws(outcome, n_sims)
            Xs = []
            for v in (a, b):
                d = self.data.copy()
                d[covariate] = v
                Xs.append(self._design(outcome, d))
            est = float(self._mean(Xs[0], beta)[0] - self._mean(Xs[1], beta)[0])
            sims = self._mean(Xs[0], draws) - self._mean(Xs[1], draws)
            rows.append({"outcome": outcome, "contrast": f"{covariate}: {a} - {b}", "estimate": est,
                         "ci_low": float(np.quantile(sims, alpha)), "ci_high": float(np.quantile(sims, 1 - alpha))})
        return pd.DataFrame(rows)


def hc3_cov(fit) -> np.ndarray:
    """HC3 covariance of a GLM with its canonical link (Poisson-log, binomial-logit):
    ``B [sum_i s_i s_i' / (1 - h_i)^2] B`` with ``B = (X'WX)^-1``, score contributions
    ``s_i = x_i (y_i - mu_i)`` and hat values ``h_i`` (MacKinnon & White 1985; Long &
    Ervin 2000 for its small-sample behaviour). Written here because statsmodels'
    GLM accepts ``cov_type="HC3"`` but computes HC0.

    Computed on the design with its non-constant columns centred, through a QR
    factorisation, then mapped back (``cov_X = A cov_Z A'`` for ``Z = X A``): a
    decimal-year ``time`` over a few weeks (2021.27-2021.32) makes ``X'WX`` so
    ill-conditioned that inverting it directly returns standard errors near 0."""
    from scipy.linalg import solve_triangular
    X = np.asarray(fit.model.exog, dtype=float)
    y = np.asarray(fit.model.endog, dtype=float)
    mu = np.asarray(fit.fittedvalues, dtype=float)
    w = np.asarray(fit.model.family.variance(mu), dtype=float)  # canonical link: W = V(mu)
    k = X.shape[1]
    A = np.eye(k)
    const = [j for j in range(k) if np.all(X[:, j] == 1.0)]
    if const:  # centre every other column on its (weighted) mean: Z = X A
        c = const[0]
        means = (w @ X) / max(w.sum(), 1e-300)
        for j in range(k):
            if j != c:
                A[c, j] = -means[j]
    Z = X @ A
    R = np.linalg.qr(Z * np.sqrt(w)[:, None], mode="r")
    Rinv = solve_triangular(R, np.eye(k), lower=False)
    B = Rinv @ Rinv.T  # (Z'WZ)^-1
    h = np.einsum("ij,jk,ik->i", Z, B, Z) * w
    s = Z * ((y - mu) / np.maximum(1.0 - h, 1e-8))[:, None]
    cov_z = B @ (s.T @ s) @ B
    return A @ cov_z @ A.T


def _fit(y: pd.Series, data: pd.DataFrame, rhs: str, kind: str, model: str, offset, uncertainty: str,
         groups) -> Any:
    import statsmodels.api as sm
    import statsmodels.formula.api as smf
    d = data.assign(_y=y.to_numpy())
    kw = {"offset": np.log(np.maximum(offset.to_numpy(dtype=float), 1.0))} if kind == "count" else {}
    alpha = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # proportions in a binomial GLM: statsmodels warns, the fit is the QMLE
        if kind == "share":
            family = sm.families.Binomial()
        elif model == "negative_binomial":
            # the dispersion is estimated (NB2 by maximum likelihood, statsmodels'
            # discrete NegativeBinomial), then the GLM is fitted at it
            nb = smf.negativebinomial(f"_y ~ {rhs}", d, loglike_method="nb2", **kw).fit(disp=0, maxiter=300)
            alpha = float(nb.params["alpha"])
            family = sm.families.NegativeBinomial(alpha=alpha)
        else:
            family = sm.families.Poisson()
        glm = smf.glm(f"_y ~ {rhs}", d, family=family, **kw)
        fit_kw = ({"cov_type": "cluster", "cov_kwds": {"groups": np.asarray(groups)}} if uncertainty == "cluster"
                  else {"cov_type": "HC0"})
        fit = glm.fit(**fit_kw)
    fit.nb_alpha = alpha
    return fit


def _covariate_confounds(data: pd.DataFrame, frame: pd.DataFrame) -> list[str]:
    """Notes where a categorical covariate is mostly different sources (an outlet or
    input file the formula does not adjust for)."""
    from .confounds import SOURCE_COLUMNS, source_confounds
    cols = [c for c in SOURCE_COLUMNS if c in frame and c not in data]
    notes = []
    for c in data.columns:
        if not pd.api.types.is_numeric_dtype(data[c]) and c not in SOURCE_COLUMNS:
            notes += source_confounds(data[c], frame, columns=cols, what=f"the levels of {c!r}")
    return notes


def estimate_effects(target, frame: pd.DataFrame, formula: str, *, outcomes=None, model: Model = "auto",
                     uncertainty: Uncertainty = "robust", cluster: str | None = None, n_boot: int = 500,
                     ci: float = 0.95, random_state: int = 0, on_thin: OnThin = "refuse",
                     min_docs: int = MIN_GROUP_DOCS) -> Effects:
    """Effects of covariates on topic prevalence or term rates (see the module).

    Parameters
    ----------
    target : a fitted ``TopicModel`` (its shares of the frame's documents), a term,
        concept family or list of them (counts, with the tokens as exposure), a
        DataFrame of shares aligned with ``frame``, or one of counts with their
        exposure in ``n_tokens`` (:meth:`TopicWording.word_counts`: a word's use
        within a topic, so ``"~ period"`` makes period a content covariate).
    frame : the documents with their covariates (``Corpus.frame()``, plus
        :func:`add_covariates` for ``period``, ``time`` and ``level``).
    formula : the right-hand side over the frame's columns, as in R or patsy:
        ``"~ period + outlet"``, ``"~ bs(time, df=4) * outlet"``, ``"~ C(level)"``.
    outcomes : which topics (indices) to model; default all.
    model : ``"auto"`` (fractional logit for shares, Poisson for counts),
        ``"fractional_logit"``, ``"poisson"`` or ``"negative_binomial"``.
    uncertainty : ``"robust"``, ``"cluster"`` (by the column ``cluster``) or
        ``"bootstrap"`` (``n_boot`` resamples of documents, or of clusters).
    on_thin : levels of a categorical covariate with fewer than ``min_docs``
        documents (clusters), or where an outcome never varies, are ``"refuse"``d
        (an error naming them, with the fix and, for a term never used, its own
        rate's interval) or their documents ``"drop"``ped (said in ``notes``).
        See :func:`corpus_tools.check_support` and the module docstring for why.
    """
    check_choice("model", model, Model)
    check_choice("uncertainty", uncertainty, Uncertainty)
    check_choice("on_thin", on_thin, OnThin)
    check_ci(ci)
    rhs = _rhs(formula)
    y, kind, tokens = _outcomes(target, frame, outcomes)
    _check(kind, model, uncertainty, cluster, frame)
    names = _covariates(rhs, frame)
    data = frame[names].copy()
    notes = []
    keep = _usable(data, tokens, notes)
    data, y = data[keep], y[keep]
    tokens = tokens[keep] if tokens is not None else None
    groups = frame.loc[keep, cluster].to_numpy() if cluster is not None else None
    data, y, tokens, groups = drop_unsupported(y, data, rhs, kind, tokens, groups, min_docs, ci, on_thin,
                                               formula, notes)
    notes += _covariate_confounds(data, frame.loc[data.index])
    fits, rows, boot, covs = {}, [], {}, {}
    z = _z(ci)
    for outcome in y.columns:
        fit = _fit_checked(y[outcome], data, rhs, kind, model, tokens, uncertainty, groups, formula)
        fits[outcome] = fit
        if fit.nb_alpha is not None:
            notes.append(f"{outcome!r}: negative binomial dispersion alpha = {fit.nb_alpha:.3g} (NB2, "
                         "estimated by maximum likelihood)")
        cov = hc3_cov(fit) if uncertainty != "cluster" and model != "negative_binomial" \
            else np.asarray(fit.cov_params())
        covs[outcome] = cov
        se = pd.Series(np.sqrt(np.maximum(np.diag(cov), 0.0)), index=fit.params.index)
        pval = pd.Series(2 * _norm_sf(np.abs(fit.params / se.replace(0, np.nan))), index=fit.params.index)
        lo = fit.params - z * se
        hi = fit.params + z * se
        if uncertainty == "bootstrap":
            boot[outcome] = _bootstrap(y[outcome], data, rhs, kind, model, tokens, groups, n_boot,
                                       random_state, len(fit.params))
            alpha = (1 - ci) / 2
            lo = pd.Series(np.quantile(boot[outcome], alpha, axis=0), index=fit.params.index)
            hi = pd.Series(np.quantile(boot[outcome], 1 - alpha, axis=0), index=fit.params.index)
        for name in fit.params.index:
            rows.append({"outcome": outcome, "term": name, "estimate": float(fit.params[name]),
                         "std_error": float(se[name]), "ci_low": float(lo[name]), "ci_high": float(hi[name]),
                         "p_value": float(pval[name]), "n_docs": int(fit.nobs)})
    table = pd.DataFrame(rows)
    table.attrs.update(kind=kind, formula=formula, uncertainty=uncertainty)
    table.attrs["notes"] = notes
    return Effects(table, fits, kind, data, formula, uncertainty, ci, random_state, boot, covs, notes)


def _usable(data: pd.DataFrame, tokens, notes: list[str]) -> np.ndarray:
    """Rows with every covariate and, for counts, some exposure; what is left out is said."""
    keep = data.notna().all(axis=1).to_numpy().copy()
    if (~keep).any():
        notes.append(f"{int((~keep).sum())} of {len(keep)} documents left out: a covariate is missing")
    if tokens is not None:
        empty = keep & (tokens.to_numpy() <= 0)
        if empty.any():
            notes.append(f"{int(empty.sum())} documents left out: no exposure (no tokens to count in)")
        keep &= tokens.to_numpy() > 0
    return keep


def _check(kind: str, model: str, uncertainty: str, cluster, frame: pd.DataFrame) -> None:
    if model == "fractional_logit" and kind == "count":
        raise ValueError("model='fractional_logit' is for shares; counts take 'poisson' or 'negative_binomial'")
    if model in ("poisson", "negative_binomial") and kind == "share":
        raise ValueError(f"model={model!r} is for counts; shares take 'fractional_logit'")
    if cluster is not None and cluster not in frame:
        raise ValueError(f"cluster={cluster!r} is not a column of the frame")
    if uncertainty == "cluster" and cluster is None:
        raise ValueError("uncertainty='cluster' needs cluster=, a column such as 'doc_id'")


def _fit_checked(y, data, rhs, kind, model, tokens, uncertainty, groups, formula):
    """:func:`_fit`, with errors that say which levels are too rare, and a refusal
    when there are no more documents (or clusters) than coefficients."""
    if not len(data):
        raise ValueError(f"no documents left to fit {y.name!r} on {formula!r}: every level was too thin "
                         "to estimate or every document lacked a covariate")
    try:  # too few documents for the design: say so, before the fit fails obscurely
        import patsy
        n_coef = patsy.dmatrix(rhs, data, return_type="dataframe").shape[1]
    except Exception:  # noqa: BLE001 - the fit below reports a design it cannot build
        n_coef = 0
    if n_coef and len(data) <= n_coef:
        raise ValueError(f"{n_coef} coefficients on {len(data)} documents: too few documents for "
                         f"{formula!r}; use fewer covariates or more articles")
    try:
        fit = _fit(y, data, rhs, kind, model, tokens, uncertainty, groups)
    except (ValueError, np.linalg.LinAlgError) as exc:
        small = {c: data[c].value_counts().loc[lambda v: v < 5].to_dict() for c in data
                 if not pd.api.types.is_numeric_dtype(data[c])}
        small = {c: v for c, v in small.items() if v}
        raise ValueError(f"{y.name!r} cannot be fitted on {formula!r} ({exc})"
                         + (f"; levels with fewer than 5 documents: {small}" if small else "")) from exc
    n_groups = len(set(groups)) if groups is not None and uncertainty == "cluster" else int(fit.nobs)
    if n_groups <= len(fit.params):
        raise ValueError(f"{len(fit.params)} coefficients on {n_groups} "
                         f"{'clusters' if uncertainty == 'cluster' else 'documents'}: the errors "
                         "cannot be estimated; use fewer covariates")
    return fit


def _z(ci: float) -> float:
    from scipy.stats import norm
    return float(norm.ppf(0.5 + ci / 2))


def _norm_sf(x):
    from scipy.stats import norm
    return norm.sf(x)


def _bootstrap(y, data, rhs, kind, model, tokens, groups, n_boot, random_state, k) -> np.ndarray:
    """Coefficients refitted on ``n_boot`` resamples of documents (of clusters)."""
    rng = np.random.default_rng(random_state)
    n = len(data)
    units = np.arange(n) if groups is None else None
    if groups is not None:
        codes, uniq = pd.factorize(pd.Series(groups))
        members = [np.flatnonzero(codes == g) for g in range(len(uniq))]
    out = np.full((n_boot, k), np.nan)
    for b in range(n_boot):
        if groups is None:
            idx = rng.choice(units, size=n, replace=True)
        else:
            idx = np.concatenate([members[g] for g in rng.integers(0, len(members), size=len(members))])
        d = data.iloc[idx].reset_index(drop=True)
        yy = y.iloc[idx].reset_index(drop=True)
        tt = tokens.iloc[idx].reset_index(drop=True) if tokens is not None else None
        try:
            out[b] = np.asarray(_fit(yy, d, rhs, kind, model, tt, "robust", None).params)
        except Exception:  # a resample without some level: that replicate is dropped
            continue
    return out[~np.isnan(out).any(axis=1)]


def estimate_event(target, frame: pd.DataFrame, event, *, before=None, after=None, covariates: str = "",
                   **kwargs) -> Effects:
    """An event window as an interrupted time series (Wagner et al. 2002, *J. Clin.
    Pharm. Ther.* 27(4)): ``outcome ~ t + after + t:after [+ covariates]`` with ``t``
    the time from the event in years and ``after`` 1 from the event on. In the table,
    ``after`` is the change of level at the event and ``t:after`` the change of slope
    (per year), with their intervals; ``t`` the slope before.

    ``event``: a date, or the name of a calendar event (``"Đại hội XIII"``, see
    :func:`corpus_tools.calendar_events`). ``before``/``after``: the window, as
    ``pd.Timedelta`` or days (default: every dated document). ``covariates``: more
    terms of the formula (``"C(outlet)"``). Other options as :func:`estimate_effects`.
    """
    from .calendar import calendar_events
    if isinstance(event, str) and not event[:1].isdigit():
        names = {v: k for k, v in calendar_events(kinds=("congress", "directive", "plenum")).items()}
        if event not in names:
            raise ValueError(f"unknown event {event!r}; calendar events: {', '.join(names)}")
        when = pd.Timestamp(names[event])
    else:
        when = pd.Timestamp(event)
    pub = pd.to_datetime(frame["published"])
    keep = pub.notna()
    if before is not None:
        keep &= pub >= when - (before if isinstance(before, pd.Timedelta) else pd.Timedelta(days=before))
    if after is not None:
        keep &= pub <= when + (after if isinstance(after, pd.Timedelta) else pd.Timedelta(days=after))
    f = frame[keep.to_numpy()].copy()
    f["t"] = (pd.to_datetime(f["published"]) - when).dt.total_seconds() / (365.25 * 86400)
    f["after"] = (f["t"] >= 0).astype(int)
    if f["after"].nunique() < 2:
        raise ValueError(f"the window holds documents on one side of {when:%Y-%m-%d} only")
    if isinstance(target, pd.DataFrame):
        target = target[keep.to_numpy()]
    formula = "~ t + after + t:after" + (f" + {covariates}" if covariates else "")
    fx = estimate_effects(target, f, formula, **kwargs)
    fx.table.attrs["event"] = when
    return fx


def suggest_formula(frame: pd.DataFrame, *, cluster: str | None = None,
                    min_docs: int = 10) -> tuple[pd.DataFrame, str | None]:
    """A formula for the covariates that vary in ``frame`` (after :func:`add_covariates`),
    as notebook 05 uses for ``formula="auto"``: ``time``, then ``C(level)``, then
    ``C(outlet)``, each while the model keeps at least two articles (``cluster``
    groups, else documents) per coefficient. Levels of fewer than ``min_docs``
    articles join ``"other"`` first (a level that rare cannot be estimated).
    Returns ``(frame with those levels merged, formula or None)``."""
    out = frame.copy()
    if "outlet" in out:
        out["outlet"] = out["outlet"].fillna("(unknown)")
    for c in ("level", "outlet"):
        if c in out:
            counts = out.drop_duplicates("doc_id")[c].value_counts()
            out[c] = out[c].where(out[c].map(counts).fillna(0) >= min_docs, "other")
    n_units = out["doc_id"].nunique() if cluster else len(out)
    candidates = [("time", 1 if "time" in out and out["time"].nunique() >= 3 else 0)]
    candidates += [(f"C({c})", out[c].nunique() - 1) for c in ("level", "outlet") if c in out]
    parts, k = [], 1
    for name, extra in candidates:
        if extra >= 1 and k + extra <= n_units / 2:
            parts.append(name)
            k += extra
    return out, ("~ " + " + ".join(parts) if parts else None)
