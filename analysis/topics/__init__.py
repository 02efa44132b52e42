"""Topic models a reviewer can check: fits, diagnostics across K, labels and effects.

One module per step, each stating its formulas in its docstring:

* :mod:`~analysis.topics.model` — :class:`TopicModel`: LDA on counts, NMF on TF-IDF;
* :mod:`~analysis.topics.diagnostics` — top terms, NPMI and UMass coherence (over units
  or sliding windows), exclusivity as a mean share, FREX;
* :mod:`~analysis.topics.stability` — matching topics across runs, stability over seeds;
* :mod:`~analysis.topics.sweep` — the K sweep, its summary, the K rule and its
  sensitivity to the coherence window;
* :mod:`~analysis.topics.labels` — term tables, labels and representative units;
* :mod:`~analysis.topics.prevalence` — prevalence, concentration and covariate effects;
* :mod:`~analysis.topics.framing` — alignment with the codebook's poles, topic network
  and its communities.

Every public name is also importable from here, e.g. ``from analysis.topics import
TopicModel, topic_sweep``.
"""
from __future__ import annotations

from .diagnostics import (N_TERMS, NPMI_EPS, UMASS_EPS, coherence_npmi, coherence_umass,
                          frex_scores, top_term_indices, topic_exclusivity, window_doc_term)
from .framing import community_alignment, topic_communities, topic_network, topic_pole_alignment
from .labels import sweep_terms_table, topic_labels, topic_representatives, topic_terms_table
from .model import (LDA_MAX_ITER, METHODS, NMF_MAX_ITER, TopicModel, topic_vectorizer,
                    unit_token_summary)
from .prevalence import date_to_years, topic_concentration, topic_effects, topic_prevalence
from .stability import compare_topics, match_topics, row_cosine, topic_stability
from .sweep import (STABILITY_THRESHOLD, SWEEP_SEEDS, TopicSweep, choose_k, diagnostics_summary,
                    medoid_runs, run_stability, sweep_coherence, sweep_seeds, topic_sweep,
                    window_sensitivity)

__all__ = [
    "LDA_MAX_ITER", "METHODS", "NMF_MAX_ITER", "NPMI_EPS", "N_TERMS", "STABILITY_THRESHOLD",
    "SWEEP_SEEDS", "UMASS_EPS", "TopicModel", "TopicSweep", "choose_k", "coherence_npmi",
    "coherence_umass", "community_alignment", "compare_topics", "date_to_years",
    "diagnostics_summary", "frex_scores", "match_topics", "medoid_runs", "row_cosine",
    "run_stability", "sweep_coherence", "sweep_seeds", "sweep_terms_table", "top_term_indices",
    "topic_communities", "topic_concentration", "topic_effects", "topic_exclusivity",
    "topic_labels", "topic_network", "topic_pole_alignment", "topic_prevalence",
    "topic_representatives", "topic_stability", "topic_sweep", "topic_terms_table",
    "topic_vectorizer", "unit_token_summary", "window_doc_term", "window_sensitivity",
]
