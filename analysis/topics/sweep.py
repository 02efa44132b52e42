"""The K sweep: every (model, K, seed) fitted once, its diagnostics, and the K rule.

For every run of a sweep (:func:`topic_sweep`) the diagnostics of
:mod:`analysis.topics.diagnostics` (NPMI, UMass, exclusivity as a mean share) and of
:mod:`analysis.topics.stability` are computed, with **perplexity** (LDA only):
scikit-learn's in-sample perplexity of the training counts, reported but not used to
choose K, because in-sample fit improves with K. Model values average the topics of
one run. :func:`choose_k` states the rule that picks K; :func:`window_sensitivity`
reports the K it would pick if coherence counted co-occurrence in sliding windows.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..config import SEED
from .diagnostics import (N_TERMS, coherence_npmi, coherence_umass, top_term_indices,
                          topic_exclusivity, window_doc_term)
from .model import METHODS, documents_check, method_check, topics_factorize, model_perplexity, topic_vectorizer
from .stability import topic_stability

#: Mean matched similarity a model must reach to count as stable (set before any fit).
STABILITY_THRESHOLD = 0.8
#: Seeds per (model, K) in the study's sweep. An LDA fit costs about eight NMF fits (its
#: e-step loops over units in Python), and over seeds LDA's stability varies little
#: (standard deviation over ten seeds at most 0.03 at every K on the study corpus,
#: against up to 0.10 for NMF), so five LDA runs (ten pairs) estimate its mean stability closely enough;
#: NMF, cheap and more variable, keeps ten (45 pairs).
SWEEP_SEEDS = {"lda": 5, "nmf": 10}


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
    analyzers : dict
        ``model → text → tokens``, the analyzer of the model's vectorizer.
    n_terms : int
        Top terms per topic used by the diagnostics.

    The ``exclusivity`` column is Bischof & Airoldi's mean share (see
    :func:`~analysis.topics.diagnostics.topic_exclusivity`), not stm's FREX-based
    ``exclusivity()``.
    """

    diagnostics: pd.DataFrame
    topic_term: dict = field(repr=False)
    doc_topic: dict = field(repr=False)
    terms: dict = field(repr=False)
    analyzers: dict = field(default_factory=dict, repr=False)
    n_terms: int = N_TERMS


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
    docs = documents_check(raw_documents)
    ks = sorted({int(k) for k in ks})
    if not ks or ks[0] < 1:
        raise ValueError(f"ks must be positive integers, got {ks}: e.g. range(2, 11)")
    methods = [method_check(m) for m in methods]
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
    rows, topic_term, doc_topic, terms, analyzers = [], {}, {}, {}, {}
    for method in methods:
        seeds = sweep_seeds(per_method[method], random_state)
        vec = topic_vectorizer(method, min_df=min_df, stem=stem)
        X = vec.fit_transform(docs)
        terms[method] = vec.get_feature_names_out()
        analyzers[method] = vec.build_analyzer()
        for k in ks:
            runs = []
            for seed in seeds:
                est, phi, theta = topics_factorize(X, method, k, seed, max_iter)
                top = top_term_indices(phi, min(n_terms, phi.shape[1]))
                rows.append({
                    "model": method, "k": k, "seed": seed,
                    "npmi": coherence_npmi(top, X).mean(),
                    "umass": coherence_umass(top, X).mean(),
                    "exclusivity": topic_exclusivity(phi, top).mean(),
                    "perplexity": model_perplexity(est) if method == "lda" else np.nan,
                })
                topic_term[method, k, seed], doc_topic[method, k, seed] = phi, theta
                runs.append(phi)
            for row, stab in zip(rows[-len(seeds):], topic_stability(runs).mean(axis=1)):
                row["stability"] = stab
    return TopicSweep(pd.DataFrame(rows), topic_term, doc_topic, terms, analyzers, n_terms)


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


def sweep_coherence(sweep: TopicSweep, raw_documents, window: int) -> pd.DataFrame:
    """The sweep's diagnostics with NPMI and UMass counted in sliding windows.

    Every run keeps its topics, top terms and stability; only the co-occurrence
    contexts change, from whole units to the windows of ``window`` tokens that
    :func:`~analysis.topics.diagnostics.window_doc_term` cuts from each unit (with the
    model's own analyzer and vocabulary).

    Parameters
    ----------
    sweep : TopicSweep
    raw_documents : sequence of str
        The units the sweep was fitted on, in the same order.
    window : int
        Window length in tokens (Röder et al. 2015 use 10 for C_NPMI).

    Returns
    -------
    DataFrame
        As ``sweep.diagnostics``, with ``npmi`` and ``umass`` replaced.
    """
    docs = documents_check(raw_documents)
    out = sweep.diagnostics.copy()
    contexts = {model: window_doc_term([sweep.analyzers[model](d) for d in docs],
                                       sweep.terms[model], window)
                for model in sorted(set(out["model"]))}
    for i, (model, k, seed) in enumerate(out[["model", "k", "seed"]].itertuples(index=False)):
        phi = sweep.topic_term[model, k, seed]
        top = top_term_indices(phi, min(sweep.n_terms, phi.shape[1]))
        out.loc[out.index[i], "npmi"] = coherence_npmi(top, contexts[model]).mean()
        out.loc[out.index[i], "umass"] = coherence_umass(top, contexts[model]).mean()
    return out


def window_sensitivity(sweep: TopicSweep, raw_documents, windows: Sequence[int] = (10, 20, 50), *,
                       threshold: float = STABILITY_THRESHOLD) -> pd.DataFrame:
    """The K that :func:`choose_k` picks when NPMI counts co-occurrence in windows.

    The first rows are the rule as the sweep ran it (co-occurrence in the same unit);
    then one block per window length, from :func:`sweep_coherence`. Stability, and so
    the admissible K, is the same in every block; only the NPMI ranking can move.

    Returns
    -------
    DataFrame
        contexts (``"same unit"`` or ``"window of w tokens"``), window (0 for whole units),
        model, k, npmi, stability, stable
    """
    parts = [choose_k(sweep.diagnostics, threshold=threshold).assign(contexts="same unit", window=0)]
    for w in windows:
        parts.append(choose_k(sweep_coherence(sweep, raw_documents, w), threshold=threshold)
                     .assign(contexts=f"window of {int(w)} tokens", window=int(w)))
    columns = ["contexts", "window", "model", "k", "npmi", "stability", "stable"]
    return pd.concat(parts, ignore_index=True)[columns]
