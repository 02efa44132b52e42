"""Topic models a reviewer can check: fits, diagnostics across K, labels and effects.

Two models are fitted side by side on the same units: latent Dirichlet allocation
(LDA; Blei, Ng & Jordan 2003) on term counts and non-negative matrix factorisation
(NMF; Lee & Seung 1999) on TF-IDF weights. Both are wrapped in :class:`TopicModel`,
a scikit-learn estimator that owns its vectorizer, so a model fitted once can be
applied to new text.

Diagnostics, for every (model, K, seed) of a sweep (:func:`topic_sweep`):

* **NPMI coherence** (Bouma 2009; Aletras & Stevenson 2013; Röder et al. 2015): for
  each pair of a topic's top-N terms,
  ``NPMI(wi, wj) = log((P(wi, wj) + eps) / (P(wi) P(wj))) / -log(P(wi, wj) + eps)``
  with probabilities estimated as the share of units (paragraphs) that contain the
  term(s) and ``eps = 1e-12``; a topic's value is the mean over its N(N-1)/2 pairs.
* **UMass coherence** (Mimno et al. 2011): with the top-N terms in decreasing order of
  weight, ``log((D(wm, wl) + eps) / D(wl))`` for every pair with l < m, where ``D``
  counts units containing the term(s) and ``eps = 1``; a topic's value is the mean over
  pairs (Mimno et al. sum; the mean keeps values comparable across N).
* **Exclusivity** (Bischof & Airoldi 2012): the mean, over a topic's top-N terms, of
  ``phi[k, w] / sum_j phi[j, w]``, where ``phi`` holds the topic-term distributions.
  It runs from ``1/K`` (terms shared evenly) to 1 (terms used by one topic only).
* **Perplexity** (LDA only): scikit-learn's in-sample perplexity of the training
  counts; it is reported, not used to choose K, because in-sample fit improves with K.
* **Stability** (after Greene, O'Callaghan & Cunningham 2014): topics of two runs
  with different seeds are matched one-to-one by the Hungarian algorithm (Kuhn 1955)
  on the cosine similarity of their topic-term vectors; a run's stability is the
  mean matched similarity, averaged over every other run.

Model values average the topics of one run. Unless said otherwise the top-N terms
are the N = 10 terms of highest weight.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import linear_sum_assignment
from scipy.stats import rankdata
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import NMF, LatentDirichletAllocation
from sklearn.utils.validation import check_is_fitted

from .config import CONFIDENCE, N_BOOT, SEED
from .dtm import dtm_vectorizer
from .text import Analyzer
from .text import stem as stem_token

#: Model names, in the order tables list them.
METHODS = ("lda", "nmf")
#: Terms per topic used by coherence, exclusivity and labels.
N_TERMS = 10
#: Smoothing added to joint probabilities (NPMI) and joint counts (UMass).
NPMI_EPS = 1e-12
UMASS_EPS = 1.0
#: Mean matched similarity a model must reach to count as stable (set before any fit).
STABILITY_THRESHOLD = 0.8
#: Iterations: LDA runs this many batch EM passes (a sweep fits it dozens of times,
#: so the cap is what keeps it fast; the study notebook checks the chosen model against
#: a ten-times-longer fit); NMF stops earlier once its relative change is below 1e-4.
LDA_MAX_ITER = 20
NMF_MAX_ITER = 3000
#: Seeds per (model, K) in the study's sweep. An LDA fit costs about eight NMF fits (its
#: e-step loops over units in Python), and over seeds LDA's stability varies little
#: (standard deviation over ten seeds at most 0.03 at every K on the study corpus,
#: against up to 0.10 for NMF), so five LDA runs (ten pairs) estimate its mean stability closely enough;
#: NMF, cheap and more variable, keeps ten (45 pairs).
SWEEP_SEEDS = {"lda": 5, "nmf": 10}


# --------------------------------------------------------------------------- fitting
def _check_method(method: str) -> str:
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, not {method!r}: "
                         "use 'lda' (counts) or 'nmf' (TF-IDF)")
    return method


def _check_documents(raw_documents) -> list[str]:
    if isinstance(raw_documents, str):
        raise ValueError("raw_documents must be a sequence of texts, not one string: "
                         "wrap it in a list")
    docs = list(raw_documents)
    if not docs:
        raise ValueError("raw_documents is empty: pass at least one text per unit")
    if not all(isinstance(d, str) for d in docs):
        raise ValueError("raw_documents must contain only str: convert or drop missing texts")
    return docs


def topic_vectorizer(method: str, *, min_df: int | float = 2, stem: bool = False,
                     vocabulary: Sequence[str] | None = None):
    """The unfitted vectorizer a topic model of ``method`` uses.

    Counts for LDA (its likelihood is defined on counts), TF-IDF for NMF (so that
    frequent but uninformative terms weigh less in the least-squares fit).

    Examples
    --------
    >>> type(topic_vectorizer("nmf")).__name__
    'TfidfVectorizer'
    """
    kind = {"lda": "count", "nmf": "tfidf"}[_check_method(method)]
    return dtm_vectorizer(kind, min_df=min_df, stem=stem, vocabulary=vocabulary)


def _normalize_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to sum to 1; an all-zero row becomes uniform (it carries no signal)."""
    matrix = np.asarray(matrix, dtype=float)
    sums = matrix.sum(axis=1, keepdims=True)
    uniform = np.full_like(matrix, 1.0 / matrix.shape[1])
    return np.divide(matrix, sums, out=uniform, where=sums > 0)


def _factorize(X, method: str, n_components: int, random_state: int, max_iter: int | None):
    """Fit one factorisation of ``X``; return (estimator, topic-term, doc-topic).

    Topic-term rows sum to 1. For NMF, ``X ≈ W H``; a unit's share of topic k is the
    part of its reconstructed mass that topic k carries, ``W[d,k] |H[k]|_1``, normalised.
    """
    if method == "lda":
        est = LatentDirichletAllocation(
            n_components=n_components, learning_method="batch",
            max_iter=max_iter or LDA_MAX_ITER, random_state=random_state, n_jobs=1)
        doc_topic = est.fit_transform(X)
        topic_term = _normalize_rows(est.components_)
    else:
        est = NMF(n_components=n_components, init="random", max_iter=max_iter or NMF_MAX_ITER,
                  random_state=random_state)
        W = est.fit_transform(X)
        mass = est.components_.sum(axis=1)
        doc_topic = _normalize_rows(W * mass)
        topic_term = _normalize_rows(est.components_)
    return est, topic_term, _normalize_rows(doc_topic)


def _perplexity(est) -> float:
    """In-sample perplexity of a fitted LDA on the counts it was fitted on.

    scikit-learn computes it at the end of ``fit`` (``bound_``) from the same e-step that
    ``est.perplexity(X)`` would repeat; reading it saves one e-step and one bound per fit.
    The two agree to within floating-point rounding (about 1e-13, relative).
    """
    return float(est.bound_)


class TopicModel(TransformerMixin, BaseEstimator):
    """LDA on counts or NMF on TF-IDF, from raw text to topic shares.

    Parameters
    ----------
    method : {"lda", "nmf"}, default "lda"
        LDA: scikit-learn ``LatentDirichletAllocation`` (batch variational Bayes,
        priors 1/K, ``n_jobs=1`` because its output changes with ``n_jobs``). NMF:
        scikit-learn ``NMF`` (Frobenius loss, coordinate descent) from a seeded random
        start, so that different seeds probe different starting points.
    n_components : int, default 5
        Number of topics K.
    min_df : int or float, default 2
        Terms in fewer units are dropped: a term seen once cannot co-occur.
    stem : bool, default False
        Snowball-stem tokens.
    vocabulary : sequence of str, optional
        A fixed vocabulary (e.g. that of another fitted model), overriding ``min_df``.
    max_iter : int, optional
        Iteration cap; defaults :data:`LDA_MAX_ITER` / :data:`NMF_MAX_ITER`.
    random_state : int, default :data:`analysis.config.SEED`

    Attributes
    ----------
    vectorizer_ : fitted vectorizer (see :func:`topic_vectorizer`)
    model_ : fitted scikit-learn ``LatentDirichletAllocation`` or ``NMF``
    terms_ : ndarray of str, the vocabulary
    components_ : ndarray (K, V), topic-term distributions (rows sum to 1)
    doc_topic_ : ndarray (n_units, K), topic shares of the training units
    perplexity_ : float, in-sample perplexity (LDA) or NaN (NMF)

    Examples
    --------
    >>> docs = ["oil gas oil", "gas oil pipeline", "army troops army", "troops army base"]
    >>> tm = TopicModel("nmf", 2, min_df=1, random_state=0).fit(docs)
    >>> tm.get_feature_names_out().tolist()
    ['topic1', 'topic2']
    >>> tm.transform(["oil gas"]).round(2).sum()
    np.float64(1.0)
    """

    def __init__(self, method: str = "lda", n_components: int = 5, *, min_df: int | float = 2,
                 stem: bool = False, vocabulary: Sequence[str] | None = None,
                 max_iter: int | None = None, random_state: int = SEED):
        self.method = method
        self.n_components = n_components
        self.min_df = min_df
        self.stem = stem
        self.vocabulary = vocabulary
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, raw_documents, y=None):
        """Learn the vocabulary and the topics of ``raw_documents``; return ``self``."""
        _check_method(self.method)
        if int(self.n_components) != self.n_components or self.n_components < 1:
            raise ValueError(f"n_components must be a positive integer, not {self.n_components!r}")
        docs = _check_documents(raw_documents)
        self.vectorizer_ = topic_vectorizer(self.method, min_df=self.min_df, stem=self.stem,
                                            vocabulary=self.vocabulary)
        try:
            X = self.vectorizer_.fit_transform(docs)
        except ValueError as err:  # scikit-learn's empty-vocabulary errors
            raise ValueError(f"no term is left after stopwords and min_df ({err}): lower "
                             "min_df or check that the texts are not empty") from None
        self.model_, self.components_, self.doc_topic_ = _factorize(
            X, self.method, int(self.n_components), self.random_state, self.max_iter)
        self.terms_ = self.vectorizer_.get_feature_names_out()
        self.perplexity_ = _perplexity(self.model_) if self.method == "lda" else np.nan
        return self

    def transform(self, raw_documents) -> np.ndarray:
        """Topic shares (rows sum to 1) of new texts."""
        check_is_fitted(self, "model_")
        X = self.vectorizer_.transform(_check_documents(raw_documents))
        if self.method == "lda":
            return _normalize_rows(self.model_.transform(X))
        W = self.model_.transform(X)
        return _normalize_rows(W * self.model_.components_.sum(axis=1))

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the output columns: ``topic1`` … ``topicK``."""
        check_is_fitted(self, "model_")
        return np.array([f"topic{k + 1}" for k in range(self.components_.shape[0])], dtype=object)


# ----------------------------------------------------------------------- diagnostics
def top_term_indices(topic_term: np.ndarray, n_terms: int = N_TERMS) -> np.ndarray:
    """Column indices of each topic's ``n_terms`` heaviest terms, heaviest first.

    Ties keep vocabulary order, so the result does not depend on the sort algorithm.

    Examples
    --------
    >>> top_term_indices(np.array([[0.1, 0.6, 0.3]]), 2).tolist()
    [[1, 2]]
    """
    topic_term = np.asarray(topic_term, dtype=float)
    if not 1 <= n_terms <= topic_term.shape[1]:
        raise ValueError(f"n_terms must be between 1 and the vocabulary size "
                         f"({topic_term.shape[1]}), not {n_terms}")
    return np.argsort(-topic_term, axis=1, kind="stable")[:, :n_terms]


def _doc_frequencies(doc_term, top_terms: np.ndarray):
    """Document frequencies of, and co-document frequencies between, the terms used."""
    present = (sparse.csr_matrix(doc_term) > 0).astype(float)
    used = np.unique(top_terms)
    sub = present[:, used].toarray()
    position = np.searchsorted(used, top_terms)
    co = sub.T @ sub
    return present.shape[0], np.diag(co), co, position


def coherence_npmi(top_terms: np.ndarray, doc_term, eps: float = NPMI_EPS) -> np.ndarray:
    """Mean pairwise NPMI of each topic's top terms, from unit co-occurrence.

    Parameters
    ----------
    top_terms : int array (K, N)
        Column indices of each topic's top terms (see :func:`top_term_indices`).
    doc_term : (n_units, V) matrix
        Any document-term matrix; only whether a term occurs in a unit is used.
    eps : float, default 1e-12
        Added to the joint probability so that pairs never seen together score
        close to -1 instead of minus infinity.

    Returns
    -------
    ndarray (K,)

    Examples
    --------
    >>> m = np.array([[1, 1], [1, 1], [0, 1]])
    >>> coherence_npmi(np.array([[0, 1]]), m).round(3).tolist()
    [0.0]
    """
    top_terms = np.atleast_2d(top_terms)
    if top_terms.shape[1] < 2:
        raise ValueError("coherence needs at least 2 top terms per topic: raise n_terms")
    n_units, df, co, pos = _doc_frequencies(doc_term, top_terms)
    p = df / n_units
    joint = co / n_units + eps
    npmi = np.log(joint / np.outer(p, p)) / -np.log(joint)
    i, j = np.triu_indices(top_terms.shape[1], k=1)
    return npmi[pos[:, i], pos[:, j]].mean(axis=1)


def coherence_umass(top_terms: np.ndarray, doc_term, eps: float = UMASS_EPS) -> np.ndarray:
    """Mean UMass coherence of each topic's top terms (ordered heaviest first).

    For every pair with l < m (the heavier term ``wl`` is the conditioning term)
    the score is ``log((D(wm, wl) + eps) / D(wl))``.

    Examples
    --------
    >>> m = np.array([[1, 1], [1, 0]])
    >>> float(coherence_umass(np.array([[0, 1]]), m)[0])  # log((1 + 1) / 2)
    0.0
    """
    top_terms = np.atleast_2d(top_terms)
    if top_terms.shape[1] < 2:
        raise ValueError("coherence needs at least 2 top terms per topic: raise n_terms")
    _, df, co, pos = _doc_frequencies(doc_term, top_terms)
    # row index: the heavier (earlier) term; its df is the denominator
    lo, hi = np.triu_indices(top_terms.shape[1], k=1)
    heavier, lighter = pos[:, lo], pos[:, hi]
    return np.log((co[lighter, heavier] + eps) / df[heavier]).mean(axis=1)


def topic_exclusivity(topic_term: np.ndarray, top_terms: np.ndarray) -> np.ndarray:
    """Mean of ``phi[k, w] / sum_j phi[j, w]`` over each topic's top terms.

    Examples
    --------
    >>> phi = np.array([[0.6, 0.4], [0.2, 0.8]])
    >>> topic_exclusivity(phi, np.array([[0], [1]])).round(3).tolist()  # .6/.8, .8/1.2
    [0.75, 0.667]
    """
    phi = np.asarray(topic_term, dtype=float)
    share = phi / phi.sum(axis=0, keepdims=True)
    return np.take_along_axis(share, np.atleast_2d(top_terms), axis=1).mean(axis=1)


def frex_scores(topic_term: np.ndarray, weight: float = 0.5) -> np.ndarray:
    """FREX of every (topic, term): harmonic mean of exclusivity and frequency ranks.

    Roberts, Stewart & Airoldi (2016), after Bischof & Airoldi (2012):
    ``FREX[k, w] = 1 / (weight / ECDF_k(excl[k, w]) + (1 - weight) / ECDF_k(phi[k, w]))``
    with ``excl[k, w] = phi[k, w] / sum_j phi[j, w]`` and ``ECDF_k`` the empirical
    distribution function within topic k over the vocabulary (average rank / V, ties
    sharing their mean rank). Unlike stm's ``labelTopics``, exclusivity is not shrunk
    towards uniform by term counts.

    Parameters
    ----------
    topic_term : array (K, V)
    weight : float in [0, 1], default 0.5
        Weight on exclusivity (0.5 is stm's default: equal weight).

    Examples
    --------
    >>> frex_scores(np.array([[0.6, 0.4], [0.1, 0.9]])).round(3).tolist()
    [[1.0, 0.5], [0.5, 1.0]]
    """
    if not 0 <= weight <= 1:
        raise ValueError(f"weight must lie in [0, 1], not {weight}")
    phi = np.asarray(topic_term, dtype=float)
    n_terms = phi.shape[1]
    excl = phi / phi.sum(axis=0, keepdims=True)
    freq_rank = rankdata(phi, axis=1) / n_terms
    excl_rank = rankdata(excl, axis=1) / n_terms
    return 1.0 / (weight / excl_rank + (1 - weight) / freq_rank)


def _cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity of every row of ``a`` with every row of ``b`` (0 for zero rows)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    na, nb = np.linalg.norm(a, axis=1), np.linalg.norm(b, axis=1)
    denom = np.outer(na, nb)
    return np.divide(a @ b.T, denom, out=np.zeros_like(denom), where=denom > 0)


def match_topics(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Match the topics of two runs one-to-one, maximising total cosine similarity.

    Returns, for each topic (row) of ``a``, the index of its partner in ``b`` and
    their cosine similarity.

    Examples
    --------
    >>> partner, sim = match_topics(np.eye(2), np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> partner.tolist(), sim.tolist()
    ([1, 0], [1.0, 1.0])
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"runs must have the same topics x terms shape, got {a.shape} and "
                         f"{b.shape}: fit both on one vocabulary with the same K")
    sim = _cosine(a, b)
    rows, cols = linear_sum_assignment(sim, maximize=True)
    partner = np.empty(a.shape[0], dtype=int)
    partner[rows] = cols
    return partner, sim[np.arange(a.shape[0]), partner]


def topic_stability(runs: Sequence[np.ndarray]) -> np.ndarray:
    """Per run and topic: mean matched cosine similarity to the same model's other runs.

    Parameters
    ----------
    runs : sequence of arrays (K, V)
        Topic-term matrices of one model and K fitted with different seeds.

    Returns
    -------
    ndarray (n_runs, K)
        Entry ``[r, k]`` averages, over every other run, the similarity of topic k of
        run r to its Hungarian partner; a run's stability is its row mean.

    Examples
    --------
    >>> runs = [np.eye(2), np.eye(2)[::-1], np.array([[0.6, 0.8], [1.0, 0.0]])]
    >>> topic_stability(runs).round(2).tolist()
    [[1.0, 0.9], [0.9, 1.0], [0.8, 1.0]]
    """
    if len(runs) < 2:
        raise ValueError("stability needs at least 2 runs: pass more seeds")
    n = len(runs)
    total = np.zeros((n, np.asarray(runs[0]).shape[0]))
    for i in range(n):
        for j in range(i + 1, n):
            partner, sim = match_topics(runs[i], runs[j])
            total[i] += sim
            total[j, partner] += sim
    return total / (n - 1)


# ---------------------------------------------------------------------------- sweep
@dataclass(frozen=True)
class TopicSweep:
    """Every run of a K sweep: diagnostics and the fitted matrices.

    Attributes
    ----------
    diagnostics : DataFrame
        One row per (model, k, seed): npmi, umass, exclusivity, perplexity, stability.
    topic_term : dict
        ``(model, k, seed) → (K, V)`` topic-term distributions.
    doc_topic : dict
        ``(model, k, seed) → (n_units, K)`` topic shares.
    terms : dict
        ``model → vocabulary``.
    """

    diagnostics: pd.DataFrame
    topic_term: dict = field(repr=False)
    doc_topic: dict = field(repr=False)
    terms: dict = field(repr=False)


def sweep_seeds(n_seeds: int, random_state: int = SEED) -> list[int]:
    """The seeds of a sweep: ``random_state, random_state + 1, …``.

    Examples
    --------
    >>> sweep_seeds(3, 10)
    [10, 11, 12]
    """
    if n_seeds < 1:
        raise ValueError(f"n_seeds must be at least 1, not {n_seeds}")
    return [int(random_state) + i for i in range(n_seeds)]


def topic_sweep(raw_documents, ks: Sequence[int] = range(2, 11), *,
                methods: Sequence[str] = METHODS, n_seeds: int | Mapping[str, int] = 10,
                n_terms: int = N_TERMS,
                min_df: int | float = 2, stem: bool = False, max_iter: int | None = None,
                random_state: int = SEED) -> TopicSweep:
    """Fit every (model, K, seed) once and compute its diagnostics.

    Each model's units are vectorised once; every run uses the same code path as
    :meth:`TopicModel.fit`, so ``TopicModel(model, k, random_state=seed)`` refits
    any run exactly. Coherence is computed from the same units' co-occurrence.

    Parameters
    ----------
    raw_documents : sequence of str
        The units (e.g. paragraphs).
    ks : sequence of int, default 2..10
    methods : sequence of {"lda", "nmf"}
    n_seeds : int or mapping model → int, default 10
        Runs per (model, K); seeds from :func:`sweep_seeds`. At least 2. A mapping
        (e.g. :data:`SWEEP_SEEDS`) gives each model its own number; a model's first
        seeds are the same whatever the number, so its runs are a prefix of a longer sweep's.
    n_terms : int, default :data:`N_TERMS`
        Top terms per topic for coherence and exclusivity.
    min_df, stem, max_iter, random_state
        As in :class:`TopicModel`.

    Returns
    -------
    TopicSweep
    """
    docs = _check_documents(raw_documents)
    ks = sorted({int(k) for k in ks})
    if not ks or ks[0] < 1:
        raise ValueError(f"ks must be positive integers, got {ks}: e.g. range(2, 11)")
    methods = [_check_method(m) for m in methods]
    if isinstance(n_seeds, Mapping):
        missing = sorted(set(methods) - set(n_seeds))
        if missing:
            raise ValueError(f"n_seeds has no entry for {missing}: give every model "
                             "its number of seeds")
        per_method = {m: n_seeds[m] for m in methods}
    else:
        per_method = dict.fromkeys(methods, n_seeds)
    if any(n < 2 for n in per_method.values()):
        raise ValueError("n_seeds must be at least 2 to measure stability: use 10 or more")
    rows, topic_term, doc_topic, terms = [], {}, {}, {}
    for method in methods:
        seeds = sweep_seeds(per_method[method], random_state)
        vec = topic_vectorizer(method, min_df=min_df, stem=stem)
        X = vec.fit_transform(docs)
        terms[method] = vec.get_feature_names_out()
        for k in ks:
            runs = []
            for seed in seeds:
                est, phi, theta = _factorize(X, method, k, seed, max_iter)
                top = top_term_indices(phi, min(n_terms, phi.shape[1]))
                rows.append({
                    "model": method, "k": k, "seed": seed,
                    "npmi": coherence_npmi(top, X).mean(),
                    "umass": coherence_umass(top, X).mean(),
                    "exclusivity": topic_exclusivity(phi, top).mean(),
                    "perplexity": _perplexity(est) if method == "lda" else np.nan,
                })
                topic_term[method, k, seed], doc_topic[method, k, seed] = phi, theta
                runs.append(phi)
            for row, stab in zip(rows[-len(seeds):], topic_stability(runs).mean(axis=1)):
                row["stability"] = stab
    return TopicSweep(pd.DataFrame(rows), topic_term, doc_topic, terms)


def run_stability(sweep: TopicSweep, model: str, k: int, seed: int) -> pd.DataFrame:
    """Per topic of one run of a sweep: mean matched similarity to the other seeds' runs.

    Returns
    -------
    DataFrame
        topic, stability
    """
    seeds = sorted(s for (m, kk, s) in sweep.topic_term if m == model and kk == k)
    if seed not in seeds:
        raise ValueError(f"the sweep has no run ({model!r}, {k}, {seed}): pick a seed from {seeds}")
    per_topic = topic_stability([sweep.topic_term[model, k, s] for s in seeds])[seeds.index(seed)]
    return pd.DataFrame({"topic": np.arange(1, k + 1), "stability": per_topic})


def diagnostics_summary(diagnostics: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation over seeds of every diagnostic, per (model, k).

    Examples
    --------
    >>> d = pd.DataFrame({"model": ["lda"] * 2, "k": [2, 2], "seed": [1, 2],
    ...                   "npmi": [0.1, 0.3], "stability": [0.9, 0.7]})
    >>> diagnostics_summary(d)[["npmi_mean", "stability_mean"]].round(2).values.tolist()
    [[0.2, 0.8]]
    """
    metrics = [c for c in diagnostics.columns if c not in ("model", "k", "seed")]
    grouped = diagnostics.groupby(["model", "k"], sort=True)[metrics]
    mean, sd = grouped.mean().add_suffix("_mean"), grouped.std(ddof=1).add_suffix("_sd")
    return pd.concat([mean, sd], axis=1).reset_index()


def choose_k(diagnostics: pd.DataFrame, threshold: float = STABILITY_THRESHOLD,
             criterion: str = "npmi") -> pd.DataFrame:
    """Choose K per model by a fixed rule, and the run to label.

    Rule: average each diagnostic over seeds. Among the K whose mean stability
    reaches ``threshold``, take the one with the highest mean ``criterion`` (NPMI by
    default; ties go to the smaller K). If no K reaches the threshold, take the most
    stable K and report ``stable = False``. The run labelled is the medoid seed: the
    seed whose run is most similar to the others (highest stability; ties to the
    smaller seed).

    Returns
    -------
    DataFrame
        model, k, seed, stability, criterion value, stable.

    Examples
    --------
    >>> d = pd.DataFrame({"model": ["nmf"] * 4, "k": [2, 2, 3, 3], "seed": [1, 2, 1, 2],
    ...                   "npmi": [0.1, 0.1, 0.3, 0.3], "stability": [0.9, 0.9, 0.5, 0.6]})
    >>> choose_k(d)[["model", "k", "seed", "stable"]].values.tolist()
    [['nmf', 2, 1, True]]
    """
    missing = {"model", "k", "seed", "stability", criterion} - set(diagnostics.columns)
    if missing:
        raise ValueError(f"diagnostics lacks column(s) {sorted(missing)}: "
                         "pass TopicSweep.diagnostics")
    rows = []
    for model, frame in diagnostics.groupby("model", sort=True):
        means = frame.groupby("k", sort=True)[["stability", criterion]].mean()
        stable = means[means["stability"] >= threshold]
        if len(stable):
            k = stable[criterion].idxmax()  # first (smallest) k on ties
        else:
            k = means["stability"].idxmax()
        runs = frame[frame["k"] == k].sort_values(["stability", "seed"],
                                                   ascending=[False, True])
        rows.append({"model": model, "k": int(k), "seed": int(runs["seed"].iloc[0]),
                     "stability": means.loc[k, "stability"],
                     criterion: means.loc[k, criterion], "stable": bool(len(stable))})
    return pd.DataFrame(rows)


def medoid_runs(diagnostics: pd.DataFrame) -> pd.DataFrame:
    """For every (model, k), the seed whose run is most similar to the others.

    The medoid run (highest stability; ties to the smaller seed) is the one labelled,
    because it is the most typical of what the model finds from different starts.

    Examples
    --------
    >>> d = pd.DataFrame({"model": ["lda"] * 3, "k": [2] * 3, "seed": [1, 2, 3],
    ...                   "stability": [0.7, 0.9, 0.9]})
    >>> medoid_runs(d).values.tolist()
    [['lda', 2, 2]]
    """
    ordered = diagnostics.sort_values(["model", "k", "stability", "seed"],
                                      ascending=[True, True, False, True], kind="stable")
    return ordered.groupby(["model", "k"], sort=True).head(1)[["model", "k", "seed"]].reset_index(drop=True)


def compare_topics(a: np.ndarray, b: np.ndarray) -> pd.DataFrame:
    """Each topic of ``a`` with its Hungarian partner in ``b`` and their cosine similarity.

    Both topic-term matrices must share one vocabulary (fit the second model with
    ``vocabulary=first.terms_``).

    Examples
    --------
    >>> compare_topics(np.eye(2), np.eye(2)[::-1]).values.tolist()
    [[1.0, 2.0, 1.0], [2.0, 1.0, 1.0]]
    """
    partner, sim = match_topics(a, b)
    return pd.DataFrame({"topic": np.arange(1, len(partner) + 1), "partner": partner + 1,
                         "similarity": sim})


def unit_token_summary(units: Mapping[str, Sequence[str]], analyzer=None,
                       short: int = 10) -> pd.DataFrame:
    """How much text each kind of unit gives a topic model.

    Parameters
    ----------
    units : mapping kind → texts
        E.g. ``{"paragraph": ..., "sentence": ...}``.
    analyzer : callable, optional
        Text → content tokens (default :class:`analysis.text.Analyzer`).
    short : int, default 10
        Units with fewer content tokens than this are counted as short.

    Returns
    -------
    DataFrame
        unit, n_units, median_tokens, p10_tokens, share_short

    Examples
    --------
    >>> unit_token_summary({"s": ["oil gas", "army troops missile base"]}, short=3).values.tolist()
    [['s', 2, 3.0, 2.2, 0.5]]
    """
    analyzer = analyzer or Analyzer()
    rows = []
    for kind, texts in units.items():
        lengths = np.array([len(analyzer(t)) for t in _check_documents(texts)])
        rows.append({"unit": kind, "n_units": len(lengths), "median_tokens": float(np.median(lengths)),
                     "p10_tokens": float(np.percentile(lengths, 10)),
                     "share_short": float((lengths < short).mean())})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------- labels
def topic_terms_table(topic_term: np.ndarray, terms: Sequence[str], n_terms: int = N_TERMS,
                      frex_weight: float = 0.5) -> pd.DataFrame:
    """Top terms of each topic by probability and by FREX, in one long table.

    A term is listed when it is among a topic's ``n_terms`` most probable or its
    ``n_terms`` highest-FREX terms. ``rank`` is its probability rank and
    ``frex_rank`` its FREX rank in the whole vocabulary (1 = first); sort by
    ``frex_rank`` for FREX labels. Topics are numbered from 1.

    Returns
    -------
    DataFrame
        topic, rank, term, weight, frex, frex_rank

    Examples
    --------
    >>> t = topic_terms_table(np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]), ["a", "b", "c"], 1)
    >>> t[["topic", "term", "rank", "frex_rank"]].values.tolist()
    [[1, 'a', 1, 1], [2, 'c', 1, 1]]
    """
    phi = np.asarray(topic_term, dtype=float)
    terms = np.asarray(terms, dtype=object)
    if len(terms) != phi.shape[1]:
        raise ValueError(f"terms has {len(terms)} entries but topic_term has {phi.shape[1]} "
                         "columns: pass the model's terms_")
    frex = frex_scores(phi, frex_weight)
    n = min(n_terms, phi.shape[1])
    prob_order = np.argsort(-phi, axis=1, kind="stable")
    frex_order = np.argsort(-frex, axis=1, kind="stable")
    rows = []
    for k in range(phi.shape[0]):
        prob_rank = np.empty(phi.shape[1], dtype=int)
        prob_rank[prob_order[k]] = np.arange(1, phi.shape[1] + 1)
        frex_rank = np.empty(phi.shape[1], dtype=int)
        frex_rank[frex_order[k]] = np.arange(1, phi.shape[1] + 1)
        shown = sorted(set(prob_order[k, :n]) | set(frex_order[k, :n]), key=lambda w: prob_rank[w])
        rows.extend({"topic": k + 1, "rank": int(prob_rank[w]), "term": terms[w],
                     "weight": phi[k, w], "frex": frex[k, w], "frex_rank": int(frex_rank[w])}
                    for w in shown)
    return pd.DataFrame(rows)


def sweep_terms_table(sweep: TopicSweep, n_terms: int = N_TERMS,
                      frex_weight: float = 0.5) -> pd.DataFrame:
    """:func:`topic_terms_table` of the medoid run of every (model, k) of a sweep.

    Returns
    -------
    DataFrame
        model, k, seed, topic, rank, term, weight, frex, frex_rank
    """
    parts = []
    for model, k, seed in medoid_runs(sweep.diagnostics).itertuples(index=False):
        table = topic_terms_table(sweep.topic_term[model, k, seed], sweep.terms[model],
                                  n_terms, frex_weight)
        parts.append(table.assign(model=model, k=k, seed=seed))
    columns = ["model", "k", "seed", "topic", "rank", "term", "weight", "frex", "frex_rank"]
    return pd.concat(parts, ignore_index=True)[columns]


def topic_labels(terms_table: pd.DataFrame, n_terms: int = 4, by: str = "frex") -> dict[int, str]:
    """A short label per topic: its first ``n_terms`` terms by ``"frex"`` or ``"prob"``.

    Examples
    --------
    >>> t = pd.DataFrame({"topic": [1, 1], "rank": [1, 2], "frex_rank": [2, 1],
    ...                   "term": ["oil", "gas"]})
    >>> topic_labels(t, 2)
    {1: 'gas, oil'}
    """
    key = {"frex": "frex_rank", "prob": "rank"}.get(by)
    if key is None:
        raise ValueError(f"by must be 'frex' or 'prob', not {by!r}")
    ordered = terms_table.sort_values(["topic", key])
    return {int(t): ", ".join(g["term"].head(n_terms)) for t, g in ordered.groupby("topic", sort=True)}


def topic_representatives(doc_topic: np.ndarray, unit_ids: Sequence[str], n: int = 3) -> pd.DataFrame:
    """The ``n`` units with the highest share of each topic (ties: earlier unit first).

    Examples
    --------
    >>> r = topic_representatives(np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]), ["a", "b", "c"], 1)
    >>> r.values.tolist()
    [[1, 1, 'a', 0.9], [2, 1, 'b', 0.8]]
    """
    theta = np.asarray(doc_topic, dtype=float)
    unit_ids = list(unit_ids)
    if len(unit_ids) != theta.shape[0]:
        raise ValueError(f"unit_ids has {len(unit_ids)} entries for {theta.shape[0]} rows "
                         "of doc_topic: pass one id per unit")
    order = np.argsort(-theta, axis=0, kind="stable")[: min(n, theta.shape[0])]
    return pd.DataFrame([{"topic": k + 1, "rank": r + 1, "unit_id": unit_ids[order[r, k]],
                          "share": theta[order[r, k], k]}
                         for k in range(theta.shape[1]) for r in range(order.shape[0])])


# ------------------------------------------------------------ prevalence and effects
def _check_confidence(confidence: float) -> tuple[float, float]:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, not {confidence}")
    alpha = (1 - confidence) / 2
    return 100 * alpha, 100 * (1 - alpha)


def topic_prevalence(doc_topic: np.ndarray, groups: Sequence[str], *, n_boot: int = N_BOOT,
                     confidence: float = CONFIDENCE, random_state: int = SEED,
                     group_name: str = "doc_id") -> pd.DataFrame:
    """Mean topic share per group with percentile intervals from a unit bootstrap.

    Every unit (paragraph) weighs the same. For each group, its units are resampled
    with replacement ``n_boot`` times (one generator, groups in sorted order) and the
    interval holds the central ``confidence`` share of the resampled means.

    Returns
    -------
    DataFrame
        ``group_name``, topic, share, low, high

    Examples
    --------
    >>> p = topic_prevalence(np.array([[1.0, 0.0], [0.0, 1.0]]), ["a", "a"], n_boot=200)
    >>> p[["topic", "share", "low", "high"]].values.tolist()
    [[1.0, 0.5, 0.0, 1.0], [2.0, 0.5, 0.0, 1.0]]
    """
    theta = np.asarray(doc_topic, dtype=float)
    groups = np.asarray(list(groups), dtype=object)
    if len(groups) != theta.shape[0]:
        raise ValueError(f"groups has {len(groups)} labels for {theta.shape[0]} units: "
                         "pass one label per row of doc_topic")
    lo, hi = _check_confidence(confidence)
    rng = np.random.default_rng(random_state)
    rows = []
    for group in sorted(set(groups)):
        block = theta[groups == group]
        idx = rng.integers(0, len(block), size=(n_boot, len(block)))
        boot = block[idx].mean(axis=1)
        low, high = np.percentile(boot, [lo, hi], axis=0)
        rows.extend({group_name: group, "topic": k + 1, "share": block[:, k].mean(),
                     "low": low[k], "high": high[k]} for k in range(theta.shape[1]))
    return pd.DataFrame(rows)


def topic_concentration(doc_topic: np.ndarray, groups: Sequence[str]) -> pd.DataFrame:
    """How much of each topic's total weight comes from its main group.

    A topic whose weight sits almost entirely in one article describes that article
    rather than a theme shared across articles. ``baseline`` is the group's share of
    all units: what the concentration would be if the topic were spread evenly.

    Returns
    -------
    DataFrame
        topic, group, concentration, baseline

    Examples
    --------
    >>> topic_concentration(np.array([[0.9, 0.1], [0.7, 0.3], [0.2, 0.8]]), ["a", "a", "b"]
    ...                     ).round(3).values.tolist()
    [[1, 'a', 0.889, 0.667], [2, 'b', 0.667, 0.333]]
    """
    theta = np.asarray(doc_topic, dtype=float)
    groups = np.asarray(list(groups), dtype=object)
    if len(groups) != theta.shape[0]:
        raise ValueError(f"groups has {len(groups)} labels for {theta.shape[0]} units: "
                         "pass one label per row of doc_topic")
    names = sorted(set(groups))
    mass = np.array([theta[groups == g].sum(axis=0) for g in names])  # groups x topics
    share = mass / mass.sum(axis=0, keepdims=True)
    top = share.argmax(axis=0)
    size = np.array([(groups == g).mean() for g in names])
    return pd.DataFrame({"topic": np.arange(1, theta.shape[1] + 1),
                         "group": [names[i] for i in top],
                         "concentration": share[top, np.arange(theta.shape[1])],
                         "baseline": size[top]})


def date_to_years(dates: Sequence[str]) -> np.ndarray:
    """Years (of 365.25 days) since the earliest of ISO ``YYYY-MM-DD`` dates.

    Examples
    --------
    >>> date_to_years(["2020-01-01", "2022-01-01"]).round(3).tolist()
    [0.0, 2.001]
    """
    parsed = pd.to_datetime(pd.Series(list(dates)), format="%Y-%m-%d", errors="coerce")
    if parsed.isna().any():
        bad = [d for d, p in zip(dates, parsed) if pd.isna(p)]
        raise ValueError(f"date must be ISO YYYY-MM-DD, got {bad[:3]}: fix the metadata dates")
    days = (parsed - parsed.min()).dt.days.to_numpy(dtype=float)
    return days / 365.25


def _slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """OLS slopes of every column of ``y`` on ``x`` with an intercept; leading axes broadcast."""
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-2, keepdims=True)
    sxx = (xc ** 2).sum(axis=-1)
    sxy = np.einsum("...n,...nk->...k", xc, yc)
    with np.errstate(invalid="ignore", divide="ignore"):
        return sxy / sxx[..., None]


def _stratified_indices(strata: np.ndarray, n_boot: int, rng) -> np.ndarray:
    """Bootstrap row indices resampled within each stratum (strata in sorted order)."""
    idx = np.empty((n_boot, len(strata)), dtype=int)
    for s in sorted(set(strata)):
        members = np.flatnonzero(strata == s)
        idx[:, members] = members[rng.integers(0, len(members), size=(n_boot, len(members)))]
    return idx


def topic_effects(doc_topic: np.ndarray, covariate: Sequence, *, kind: str = "categorical",
                  strata: Sequence[str] | None = None, n_boot: int = N_BOOT,
                  confidence: float = CONFIDENCE, random_state: int = SEED) -> pd.DataFrame:
    """Regress unit topic shares on a covariate, with bootstrap intervals.

    In the spirit of stm's ``estimateEffect`` (Roberts, Stewart & Tingley 2019), each
    topic's unit-level share is regressed by OLS on the covariate. Uncertainty comes
    from a nonparametric bootstrap of units, resampled within ``strata`` (e.g. the
    article) so that every stratum keeps its size; stm instead simulates from the
    topic posterior, which a point-estimated model does not have.

    * ``kind="categorical"``: for each level, share ~ 1 + [unit has this level]; the
      coefficient is the level's mean share minus the mean share of all other units.
    * ``kind="numeric"``: share ~ 1 + covariate; the coefficient is the slope.

    Returns
    -------
    DataFrame
        topic, term (the level, or ``"slope"``), estimate, low, high

    Examples
    --------
    >>> theta = np.array([[0.2, 0.8], [0.4, 0.6], [0.6, 0.4], [0.8, 0.2]])
    >>> e = topic_effects(theta, [0, 0, 1, 1], kind="numeric", n_boot=50)
    >>> e["estimate"].round(3).tolist()
    [0.4, -0.4]
    """
    if kind not in ("categorical", "numeric"):
        raise ValueError(f"kind must be 'categorical' or 'numeric', not {kind!r}")
    theta = np.asarray(doc_topic, dtype=float)
    covariate = np.asarray(list(covariate), dtype=object if kind == "categorical" else float)
    if len(covariate) != theta.shape[0]:
        raise ValueError(f"covariate has {len(covariate)} values for {theta.shape[0]} units: "
                         "pass one value per row of doc_topic")
    strata = (np.zeros(len(covariate), dtype=object) if strata is None
              else np.asarray(list(strata), dtype=object))
    if len(strata) != len(covariate):
        raise ValueError("strata must have one label per unit: pass e.g. each paragraph's doc_id")
    lo, hi = _check_confidence(confidence)
    if kind == "categorical":
        designs = [(str(level), (covariate == level).astype(float)) for level in sorted(set(covariate))]
    else:
        if np.ptp(covariate) == 0:
            raise ValueError("covariate is constant: a slope needs at least two distinct values")
        designs = [("slope", covariate.astype(float))]
    idx = _stratified_indices(strata, n_boot, np.random.default_rng(random_state))
    rows = []
    for term, x in designs:
        estimate = _slopes(x, theta)
        boot = _slopes(x[idx], theta[idx])
        low, high = np.nanpercentile(boot, [lo, hi], axis=0)
        rows.extend({"topic": k + 1, "term": term, "estimate": estimate[k],
                     "low": low[k], "high": high[k]} for k in range(theta.shape[1]))
    return pd.DataFrame(rows).sort_values(["topic", "term"], kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------ topics → frames
def topic_pole_alignment(topic_term: np.ndarray, terms: Sequence[str],
                         poles: Mapping[str, Sequence[str]], analyzer=None,
                         match: str = "stem") -> pd.DataFrame:
    """Cosine of each topic-term vector with each frame pole's seed-term vector.

    Each seed term (or any pole text, such as a prototype passage) is split into
    tokens by ``analyzer`` (multi-word seeds contribute each content word). A pole's
    vector puts, on every vocabulary term, the number of the pole's tokens that match
    it, so the cosine measures how much of a topic's weight falls on the pole's words.

    Parameters
    ----------
    topic_term : array (K, V)
    terms : sequence of str (V,)
    poles : mapping pole name → list of seed terms or texts
    analyzer : callable, optional
        Text → tokens; use the model's (``model.vectorizer_.analyzer``). Default:
        :class:`analysis.text.Analyzer` with its defaults.
    match : {"stem", "exact"}, default "stem"
        Match tokens to vocabulary terms on their Snowball stems (``deterred``
        matches ``deter``), as the codebook's measures do, or exactly.

    Returns
    -------
    DataFrame
        topic, pole, cosine (NaN when no vocabulary term matches), n_terms_found
        (vocabulary terms matched)

    Examples
    --------
    >>> a = topic_pole_alignment(np.array([[0.5, 0.5, 0.0]]), ["axis", "resistance", "oil"],
    ...                          {"ideology": ["axis of resistance"]})
    >>> a[["pole", "n_terms_found"]].values.tolist(), a["cosine"].round(3).tolist()
    ([['ideology', 2]], [1.0])
    """
    if not poles:
        raise ValueError("poles is empty: pass {pole_name: [seed terms]} or the codebook's seed_terms()")
    if match not in ("stem", "exact"):
        raise ValueError(f"match must be 'stem' or 'exact', not {match!r}")
    phi = np.asarray(topic_term, dtype=float)
    terms = list(terms)
    if len(terms) != phi.shape[1]:
        raise ValueError(f"terms has {len(terms)} entries but topic_term has {phi.shape[1]} "
                         "columns: pass the model's terms_")
    analyzer = analyzer or Analyzer()
    key = stem_token if match == "stem" else str  # stems are cached in analysis.text
    term_keys = [key(t) for t in terms]
    names = sorted(poles)
    vectors = np.zeros((len(names), len(terms)))
    for p, name in enumerate(names):
        if isinstance(poles[name], str):
            raise ValueError(f"poles[{name!r}] is a single string: give a list of seed terms")
        counts = Counter(key(token) for seed_term in poles[name] for token in analyzer(seed_term))
        vectors[p] = [counts.get(k, 0) for k in term_keys]
    cos = _cosine(phi, vectors)
    found = (vectors > 0).sum(axis=1)
    cos[:, found == 0] = np.nan
    return pd.DataFrame([{"topic": k + 1, "pole": name, "cosine": cos[k, p],
                          "n_terms_found": int(found[p])}
                         for k in range(phi.shape[0]) for p, name in enumerate(names)])


def topic_network(doc_topic: np.ndarray, min_similarity: float = 0.0) -> nx.Graph:
    """Topics as nodes, linked by the cosine similarity of their document-topic columns.

    The network of Walter & Ophir's (2019) analysis of topic model networks (ANTMN):
    topics that appear in the same units are linked, and edges are kept when their
    similarity exceeds ``min_similarity``. Nodes are numbered from 1 and carry their
    ``prevalence`` (mean share over units).

    Examples
    --------
    >>> g = topic_network(np.array([[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]]))
    >>> [(u, v, round(w, 3)) for u, v, w in sorted(g.edges(data="weight"))]
    [(1, 2, 1.0)]
    """
    theta = np.asarray(doc_topic, dtype=float)
    sim = _cosine(theta.T, theta.T)
    graph = nx.Graph()
    for k in range(theta.shape[1]):
        graph.add_node(k + 1, prevalence=float(theta[:, k].mean()))
    for i, j in zip(*np.triu_indices(theta.shape[1], k=1)):
        if sim[i, j] > min_similarity:
            graph.add_edge(int(i) + 1, int(j) + 1, weight=float(sim[i, j]))
    return graph


def topic_communities(graph: nx.Graph, resolution: float = 1.0,
                      random_state: int = SEED) -> list[list[int]]:
    """Louvain communities (Blondel et al. 2008) of a topic network, as candidate frames.

    Returns sorted lists of topics, ordered by their smallest member, so that the
    output does not depend on set iteration order.

    Examples
    --------
    >>> g = nx.Graph([(1, 2, {"weight": 1.0})]); g.add_node(3)
    >>> topic_communities(g)
    [[1, 2], [3]]
    """
    found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution,
                                             seed=random_state)
    return sorted((sorted(c) for c in found), key=lambda c: c[0])


def community_alignment(alignment: pd.DataFrame, communities: Sequence[Sequence[int]]) -> pd.DataFrame:
    """Mean topic-pole cosine over the topics of each community.

    Examples
    --------
    >>> a = pd.DataFrame({"topic": [1, 2], "pole": ["p", "p"], "cosine": [0.2, 0.4]})
    >>> community_alignment(a, [[1, 2]]).round(2).values.tolist()
    [[1, 'p', 0.3, 2]]
    """
    member = {t: c + 1 for c, topics in enumerate(communities) for t in topics}
    missing = sorted(set(alignment["topic"]) - set(member))
    if missing:
        raise ValueError(f"topics {missing} are in no community: pass every topic's community")
    frame = alignment.assign(community=alignment["topic"].map(member))
    out = frame.groupby(["community", "pole"], sort=True).agg(
        cosine=("cosine", "mean"), n_topics=("topic", "nunique")).reset_index()
    return out
