# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 03 — Framing measures: the codebook, four measures and the evidence behind them
#
# The study places every paragraph and every article on two framing contrasts:
#
# - **alliance** — is an alignment presented as a bargain between interests
#   (*transactional*, negative) or as a bond of shared creed and identity (*ideological*,
#   positive)? Alliance theory explains alignment by threats and interests (Walt 1987),
#   with partners bargaining under the fear of abandonment and entrapment (Snyder 1984);
#   work on ideology in alignment asks when shared creeds produce alliances (Owen 2005;
#   Haas 2005).
# - **force** — is the use or withholding of force about the adversary's cost
#   calculation (*deterrence*, negative; Schelling 1966; Snyder 1961) or about what it shows
#   of the actor's resolve and standing (*credibility*, positive; Mercer 1996; Press 2005)?
#
# Each pole is defined in the codebook (`corpus/codebook.toml`) by Entman's (1993) four
# framing functions. Four measures read the text with it — a dictionary, a TF-IDF
# prototype similarity, latent semantic scaling (Watanabe 2021) and a supervised,
# stance-aware model — and a rule fixed on written training exemplars (never on these
# articles) decides which of them make up the combined index of each contrast. The
# prototypes, the LSS space and the supervised model learn from those exemplars
# (`corpus/exemplars/`); notebook 06 shows the rule and how each measure fares against
# the hand coding. This notebook shows the codebook, each measure's
# article results with 95% bootstrap intervals, and, for every pole, the paragraphs that
# score highest and the concordance lines of its seed terms, so that a reader can judge
# whether the numbers mean what they claim, and where in each article the frame cues and
# the writers' negations, rejections and attributions fall. Every formula is stated in the docstrings of
# `analysis/frames.py` and `analysis/uncertainty.py`.

# %% tags=["parameters"]
corpus_dir = None  # folder with metadata.csv and the texts; None = the study's corpus/
out_dir = None  # folder for results/; None = the repository

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from analysis import config
from analysis.codebook import codebook_table, references_table
from analysis.disk_cache import scorer_fitted
from analysis.dispersion import STANCE_NAMES, dispersion_table
from analysis.display import signed_text, table_show
from analysis.frame_tables import (doc_differences, measure_table, pole_classes, score_corpus, seed_concordance,
                                   top_units)
from analysis.frames import FrameScorer
from analysis.inputs import study_inputs
from analysis.measures.prototypes import class_terms
from analysis.outputs import save_figure, save_table
from analysis.plots.dispersion import plot_dispersion
from analysis.plots.frames import plot_measure_dots
from analysis.supervised import explanations

pd.set_option("display.max_colwidth", None)
pd.set_option("display.max_rows", 200)

paths, corpus, codebook, exemplars, contrasts, poles = study_inputs(corpus_dir, out_dir)
texts = corpus.paragraphs["text"].tolist()

# %% [markdown]
# ## 1. The codebook
#
# One column per pole: its place in the contrast, the four framing functions (what the
# problem is, what causes it, how it is judged, what should be done), the indicators a
# human coder would look for, the seed words and multiword expressions the measures
# count, and the literature it rests on. The definitions are written for this study;
# the seeds come from the concepts and the literature, not from the articles.

# %%
table_show(codebook_table(codebook).set_index("pole").T)

# %% [markdown]
# Some phrases contain seed words but say nothing about framing: a treaty's title
# ("strategic partnership"), the name a network gives itself ("axis of resistance"), the
# name of an organisation or event. They are masked before anything is counted:

# %%
table_show(pd.DataFrame([dict(phrase=f.phrase, case_sensitive=f.case_sensitive, reason=f.reason)
                        for f in codebook.false_friends]))

# %% [markdown]
# A seed term in the scope of a negation does not count. The rule, as the codebook
# states it (after NegEx; Chapman et al. 2001):

# %%
print(codebook.negation.rule)
print("cues:", ", ".join(codebook.negation.cues))
print("pseudo-negations:", ", ".join(codebook.negation.pseudo))
print("terminators:", ", ".join(codebook.negation.terminators))

# %% [markdown]
# The literature the codebook cites, in full:

# %%
table_show(references_table(codebook))

# %% [markdown]
# ## 2. Fitting the measures
#
# The measures are fitted once — the dictionary needs only the codebook; the prototypes
# are the exemplars' pole centroids in a TF-IDF space of the corpus and the exemplars;
# LSS learns its space from the same text; the supervised model learns from the
# exemplars alone — and the same fitted object scores any new text
# (`python -m analysis score`). The combined index of a contrast is the mean of the
# chosen measures' indices, each divided by its standard deviation over the corpus'
# paragraphs (the LSS score is first centred on its corpus mean, since its zero has no
# meaning). These are the constants learned here (`in_index`: chosen by the rule):

# %%
scorer = scorer_fitted(FrameScorer(codebook, exemplars=exemplars), texts)  # fitted once per run, in .cache/
units, docs = score_corpus(corpus.paragraphs, scorer=scorer)
save_table(units, paths, "unit_scores")
save_table(docs, paths, "doc_scores")
table_show(scorer.standardisation())

# %% [markdown]
# A paragraph's salience on a contrast is the supervised model's score, calibrated on the
# written exemplars, that it speaks to the contrast at all (about half the exemplars are
# framed on each contrast, so on a corpus with fewer framed paragraphs the score is not its
# probability; it ranks paragraphs, and one half is the threshold for "framed"). An article's position is the mean of its
# paragraphs' positions weighted by their evidence on the contrast (salience × length), so
# that paragraphs unlikely to speak to a contrast do not pull the article towards zero;
# its salience is the length-weighted mean. Every
# interval is a percentile interval from bootstrap resamples of the article's paragraphs:

# %% tags=["hide-input"]
Markdown(f"{config.CONFIDENCE:.0%} intervals from {config.N_BOOT:,} resamples; permutation tests use "
         f"{config.N_PERM:,} random splits; seed {config.SEED}. The combined result, one row per article:")

# %%
table_show(docs[["doc_id", "n_units"] + [f"{c}_{s}" for c in contrasts for s in ("index", "low", "high")]
                + [f"{c}_salience" for c in contrasts]])

# %% [markdown]
# ## 3. Measure 1 — dictionary
#
# The rate of each pole's seed terms per 1,000 word tokens (multiword expressions matched
# first, false friends masked, negated matches dropped). The paragraph index is the
# smoothed log ratio of the two poles' counts, `log((n_positive + 0.5) / (n_negative + 0.5))`
# (Lowe et al. 2011), so a paragraph with no seed term sits at 0. Every match in the
# corpus, counted or not:

# %%
matches = scorer.dictionary_.match_table(texts, corpus.paragraphs["unit_id"])
match_counts = (matches.assign(counted=~matches["negated"])
                .groupby(["contrast", "pole", "counted"]).size().unstack(fill_value=0))
table_show(match_counts)

# %% tags=["hide-input"]
Markdown(
    f"The dictionary finds {len(matches)} seed-term occurrences in {matches['unit_id'].nunique()} of "
    f"{len(units)} paragraphs; {int(matches['negated'].sum())} of them are negated and do not count. "
    f"{int((units[[f'dict_{c}_salience' for c in contrasts]].sum(axis=1) == 0).sum())} paragraphs contain no "
    "counted seed term on either contrast: the dictionary is sparse, which is why two measures that use "
    "every word stand next to it."
)

# %% [markdown]
# Per article and contrast, each measure's index in its own units — the dictionary's log
# ratio, the prototypes' cosine difference, the LSS score — with its interval, and the
# combined index (standardised positions are in the figures of section 6):

# %%
for c in contrasts:
    display(Markdown(f"**{c}**"))
    table_show(measure_table(docs, c))

# %% [markdown]
# ## 4. Measure 2 — TF-IDF prototypes and class-based TF-IDF
#
# Each pole's definition, indicators and seed terms form a prototype document, placed in
# the TF-IDF space fitted on the corpus (stems, stopwords removed). A paragraph's index is
# its cosine similarity to the positive prototype minus that to the negative one. Which
# corpus terms carry each prototype:

# %%
prototype_terms = scorer.prototypes_.prototype_terms(n=8)
table_show(prototype_terms.pivot(index="rank", columns="pole", values="term"))

# %% [markdown]
# Class-based TF-IDF (Grootendorst 2022) shows the terms that distinguish one class of
# paragraphs from the rest: first each article, then the paragraphs that lean to each
# pole (among those holding at least one seed term of the contrast). If the poles' terms
# beyond the seeds make sense, the measures are reading framing rather than vocabulary
# accidents.

# %%
by_article = class_terms(texts, corpus.paragraphs["doc_id"], codebook, n=8)
save_table(by_article, paths, "frames_ctfidf_articles")
table_show(by_article.pivot(index="rank", columns="class", values="term"))

# %%
pole_tables = []
for c in contrasts:
    classes = pole_classes(units, codebook, c)
    framed = classes != ""
    if framed.any():
        pole_tables.append(class_terms(units.loc[framed, "text"], classes[framed], codebook, n=8).assign(contrast=c))
by_pole = pd.concat(pole_tables, ignore_index=True) if pole_tables else pd.DataFrame()
save_table(by_pole, paths, "frames_ctfidf_poles")
table_show(by_pole.pivot(index="rank", columns="class", values="term") if len(by_pole) else by_pole)

# %% [markdown]
# ## 5. Measure 3 — latent semantic scaling
#
# A truncated SVD of the corpus' TF-IDF matrix, with sentences as documents, gives every
# term a vector; a term's polarity is its cosine similarity to the positive seeds minus
# that to the negative seeds (each pole's seeds weighted 1/n). A paragraph's score is the
# frequency-weighted mean polarity of its terms, with a standard error. The most polar
# non-seed terms show what the model has learned beyond the seeds:

# %%
polar = pd.concat([scorer.lss_.polar_terms(c, n=10).assign(contrast=c) for c in contrasts], ignore_index=True)
save_table(polar, paths, "frames_lss_terms")
table_show(polar.pivot(index="rank", columns="pole", values="term"))

# %% [markdown]
# Leave-one-seed-out stability: each seed is dropped in turn and the paragraphs rescored;
# `r` is the correlation of the new scores with the full model's. A model that rests on
# one seed would show a low `r` for it.

# %%
stability = pd.concat([scorer.lss_.seed_stability(texts, c).assign(contrast=c) for c in contrasts],
                      ignore_index=True)
save_table(stability, paths, "frames_lss_stability")
table_show(stability.sort_values("r").head(10))

# %% tags=["hide-input"]
summary = stability.groupby("contrast")["r"].agg(["min", "median"])
Markdown(" ".join(
    f"For {c}, leaving out one seed gives correlations with the full model between "
    f"{summary.loc[c, 'min']:.2f} and 1 (median {summary.loc[c, 'median']:.2f})."
    for c in summary.index
) + " Seeds that do not occur in the corpus play no part; they are listed in the codebook for new text.")

# %% [markdown]
# ## 6. The measures side by side
#
# Each article's standardised position by each measure, with its interval, and the
# combined index (black diamonds).

# %%
for c in contrasts:
    fig, ax = plt.subplots(figsize=(7.0, 0.8 * len(docs) + 1.6))
    plot_measure_dots(docs, c, ax=ax, poles=poles)
    save_figure(fig, paths, f"frames_measures_{c}")

# %% [markdown]
# *Figures 1–2. Article positions by measure (standardised; 0 = no lean). Bars: 95%
# paragraph-bootstrap intervals.*
#
# ## 7. The evidence: highest-scoring paragraphs
#
# For each pole, the three paragraphs with the combined index furthest towards it, with
# their salience (the supervised score that the paragraph speaks to the contrast). Read
# them and ask whether the pole fits.

# %%
top = top_units(units, codebook, n=3)
table_show(top)

# %% [markdown]
# **Why the supervised model scored them so.** For the same paragraphs, the five features
# that moved the supervised polarity most: each feature's weight times its TF-IDF value
# in the paragraph, the terms of the model's linear score before calibration (positive
# pushes towards the contrast's positive pole). A feature written `rej:word`, `neg:word`
# or `att:word` was read inside a rejection, negation or attribution scope
# (`analysis/data/stance.toml`).

# %%
pole_contrast = {p.name: p.contrast for p in codebook.poles}
why = explanations(scorer.supervised_, top, [pole_contrast[p] for p in top["pole"]], n=5)
save_table(why, paths, "frames_explanations")
table_show(why)

# %% [markdown]
# ## 8. The evidence: seed terms in context
#
# nltk concordance lines of every seed term, pole by pole, with what the dictionary did
# with each occurrence: `counted`, `negated`, `false friend` (inside a masked name), or
# `within a longer term` (counted once, as the longer expression).

# %%
concordance = pd.concat([seed_concordance(corpus.paragraphs, codebook, p.name).assign(pole=p.name)
                         for p in codebook.poles], ignore_index=True)
save_table(concordance, paths, "frames_concordance")
for pole in codebook.poles:
    display(Markdown(f"**{pole.name}**"))
    table_show(concordance.loc[concordance["pole"] == pole.name, ["unit_id", "term", "line", "status"]])

# %%
table_show(concordance.groupby(["pole", "status"]).size().unstack(fill_value=0))

# %% [markdown]
# ## 9. Pairwise differences between articles
#
# For every pair of articles and each combined index: the difference, its bootstrap
# interval, a permutation p-value (paragraphs shuffled between the two articles) and the
# Benjamini–Hochberg (1995) q-value across all comparisons in the table.

# %%
differences = doc_differences(units, contrasts)
save_table(differences, paths, "frame_differences")
table_show(differences)

# %% tags=["hide-input"]
significant = differences[differences["q_value"] < 1 - config.CONFIDENCE]
Markdown(
    f"{len(significant)} of the {len(differences)} pairwise differences have q < {1 - config.CONFIDENCE:.2f}: "
    + (", ".join(f"{r.doc_a} vs {r.doc_b} on {r.measure.replace('_index', '')} "
                 f"({signed_text(r.diff)} [{signed_text(r.diff_low)}, {signed_text(r.diff_high)}], q = {r.q_value:.3f})"
                 for r in significant.itertuples()) if len(significant) else "none")
    + ". With some twenty paragraphs per article, only large differences can be told apart from the "
    "variation between paragraphs."
)

# %% [markdown]
# ## 10. Where in each article the frames and the stances fall
#
# A dispersion plot, after quanteda's `textplot_xray`: one strip per article, whose x axis
# runs from its first word (0) to its last (1), so that articles of different lengths line
# up. Each pole has a row with a tick at every seed term the dictionary finds (pale where
# it does not count: negated, or off target); the last row marks every stance cue that
# opens a scope — a negation, a rejection ("rather than", "more than") or an attribution
# ("critics say", "according to"), the constructions the supervised model reads
# (`analysis/data/stance.toml`). Positions count words as the dictionary does
# (`analysis/dispersion.py`).

# %%
dispersion = dispersion_table(corpus.paragraphs, codebook)
save_table(dispersion, paths, "frames_dispersion")
articles = sorted(corpus.paragraphs["doc_id"].unique())
axes = plot_dispersion(dispersion, docs=articles, poles=[p.name for p in codebook.poles])
save_figure(axes[0].figure, paths, "frames_dispersion")

# %% [markdown]
# *Figure 3. Frame cues (one row per pole; red: a contrast's negative pole, blue: its
# positive pole; pale: not counted) and stance cues (last row, coloured by scope) at their
# relative word position in each article.*
#
# The same cues counted per article:

# %%
cue_counts = (dispersion.groupby(["doc_id", "pole"]).size().unstack(fill_value=0)
              .reindex(index=articles, columns=[p.name for p in codebook.poles] + list(STANCE_NAMES.values()),
                       fill_value=0))
table_show(cue_counts)

# %% tags=["hide-input"]
frame_rows = dispersion[dispersion["kind"] == "frame"]
counted_cues = frame_rows[frame_rows["counted"]]
Markdown(
    f"The articles hold {len(frame_rows)} frame cues, {len(counted_cues)} of them counted, and "
    f"{int((dispersion['kind'] == 'stance').sum())} stance cues. "
    + (f"Half of the counted frame cues lie before {counted_cues['position'].median():.0%} of their article's "
       f"length; {int((counted_cues['position'] < 0.5).sum())} of {len(counted_cues)} lie in the first half."
       if len(counted_cues) else "No frame cue is counted.")
)
