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
# # 02 — Vocabulary: the words that set each article apart
#
# This notebook compares the articles' vocabularies in four ways, each answering a
# narrower question than the last:
#
# 1. **TF-IDF profiles** — which words does each article stress relative to the others?
# 2. **Keyness** — which words does an article (or a group of articles) use significantly
#    more than the rest: chi-squared with Yates' correction, log-likelihood G² with
#    Williams' correction, Hardie's (2014) log ratio as effect size, and Monroe, Colaresi
#    & Quinn's (2008) "Fightin' Words" z.
# 3. **Collocations** — which multiword expressions hold together (PMI and Dunning's
#    log-likelihood, nltk)?
# 4. **Concordances** — how are the words used, in context, with the paragraph each line
#    comes from?
#
# A corpus like the study's is small (five articles, about a hundred paragraphs), so every contrast
# also gets a p-value that does not pretend tokens are independent: whole paragraphs are
# permuted between the two sides, and Benjamini–Hochberg q-values correct for the
# hundreds of terms tested in each contrast.

# %% tags=["parameters"]
corpus_dir = None  # folder with metadata.csv and the texts; None = the study's corpus/
out_dir = None  # folder for results/; None = the repository

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown

from analysis import config
from analysis.codebook import corpus_codebook
from analysis.collocations import collocations, collocations_by, kwic
from analysis.corpus import load_corpus
from analysis.display import table_show
from analysis.keyness import (is_key, key_terms, keyness_table, one_vs_rest, tfidf_by_group,
                              tfidf_top_terms)
from analysis.narrative import (article_profiles, collocations_text, concordance_queries, concordance_text,
                                grouping_terms, grouping_text, phrase_table, profiles_text, term_choices,
                                term_text)
from analysis.outputs import save_figure, save_table
from analysis.plots.vocabulary import (plot_fightin_words_panels, plot_keyness_panels,
                                       plot_tfidf_heatmap, tfidf_heatmap_terms)
from analysis.readings import load_readings
from analysis.summaries import fightin_words_text, keyness_caveat

pd.set_option("display.max_colwidth", None)  # show whole term lists and concordance lines
paths = config.study_paths(out_dir)
corpus = load_corpus(corpus_dir)
units = corpus.paragraphs
doc_ids = sorted(corpus.documents["doc_id"])
n_par = units.groupby("doc_id").size()
codebook = corpus_codebook(corpus_dir)
poles = codebook.pole_names()
# What to read, and the reader's own words: the corpus' readings.toml (empty without one).
readings = load_readings(corpus_dir, doc_ids, codebook)

# %% [markdown]
# ## 1. TF-IDF profiles
#
# Settings: terms are counted per paragraph, so no bigram spans a paragraph break;
# scikit-learn's English stopwords are removed *before* bigrams are formed (so
# "marriage of convenience" yields the bigram `marriage convenience`); unigrams and
# bigrams seen at least twice in the corpus are kept; paragraph counts are summed per
# article; then `tf = 1 + ln(count)` (sublinear), `idf = ln((1 + n) / (1 + df)) + 1` for
# n articles (smoothed) and each article's vector is scaled to unit length. With n
# documents the idf takes only n values (five in the study), so TF-IDF mostly separates the
# words one article has to itself from words they all share.

# %%
weights = tfidf_by_group(units)
top_tfidf = tfidf_top_terms(weights, n=10)
save_table(top_tfidf, paths, "tfidf_top_terms")
table_show(top_tfidf.pivot(index="rank", columns="doc_id", values="term"))

# %%
heat_terms = tfidf_heatmap_terms(weights, n_per_group=6)
fig, ax = plt.subplots(figsize=(7.5, 0.27 * len(heat_terms) + 1.5))
plot_tfidf_heatmap(weights, terms=heat_terms, ax=ax)
save_figure(fig, paths, "vocabulary_tfidf_heatmap")

# %% [markdown]
# *Figure 1. TF-IDF weights of each article's six highest-weighted terms (rows), in
# every article (columns). Empty cells: the article never uses the term.*

# %% tags=["hide-input"]
in_docs = (weights[heat_terms] > 0).sum()
Markdown(
    f"The TF-IDF vocabulary holds {weights.shape[1]:,} unigrams and bigrams. Of the "
    f"{len(heat_terms)} terms in Figure 1, {int((in_docs == 1).sum())} occur in one article only "
    f"and {int((in_docs >= 3).sum())} in three or more: the articles' most characteristic "
    "words are largely their own. "
    + (readings.note("tfidf") + " " if readings.note("tfidf") else "")
    + "The weights are also flat (the largest is "
    f"{weights.to_numpy().max():.2f}): in short texts with sublinear tf, many terms tie, "
    "so the ranking within an article is only a first impression. Keyness, next, asks which "
    "differences are larger than chance."
)

# %% [markdown]
# ## 2. Keyness: each article against the rest, and the groupings of the readings
#
# Every article is compared with the others pooled ("rest"), and each grouping of the
# corpus' `readings.toml` pools its articles on two sides (for the study: the three pieces
# on the Russia–Iran relationship against the two on Iran's "axis" and use of force). For
# every term seen at least twice in a contrast:
#
# * `count_target`, `count_reference` — raw counts (stopwords removed; totals are content
#   tokens);
# * `chi2` — Pearson's χ² with Yates' continuity correction on the 2 × 2 table;
# * `g2` — log-likelihood G² (Dunning 1993) divided by Williams' (1976) correction factor;
# * `log_ratio` — Hardie's (2014) binary log of the ratio of relative frequencies (a zero
#   count is replaced by 0.5), the effect size: +1 means twice as frequent in the target;
# * `fw_z` — the Fightin' Words z (section 3);
# * `p_perm` — the paragraph permutation p-value: the difference in mean per-paragraph
#   relative frequency, compared with its distribution over random reassignments of whole
#   paragraphs between the two sides (Lijffijt et al. 2016 argue for such per-text tests);
#   two-sided, `(1 + hits) / (1 + N)` (Phipson & Smyth 2010);
# * `q_bh` — Benjamini–Hochberg q across the terms of the contrast.
#
# **Rule.** A term is *key* for the target when it is more frequent there (`log_ratio >
# 0` and `fw_z > 0`) and its paragraph permutation p is below 0.05. This is a per-term
# screen; the q-value says whether it survives correction for the number of terms tested.

# %%
contrasts = one_vs_rest(doc_ids) + readings.group_contrasts()
keyness = keyness_table(units, contrasts, readings.groups(), n_perm=config.N_PERM, random_state=config.SEED)
save_table(keyness, paths, "keyness")
table_show(keyness.head())

# %%
summary = (keyness.assign(key=is_key(keyness), key_bh=is_key(keyness, use="q_bh"))
           .groupby(["group", "reference"], sort=False)
           .agg(terms_tested=("term", "size"), key=("key", "sum"), key_after_bh=("key_bh", "sum"))
           .reset_index())
save_table(summary, paths, "keyness_summary")
table_show(summary)

# %% tags=["hide-input"]
Markdown(keyness_caveat(summary, n_par, config.N_PERM))

# %% [markdown]
# The key terms of each contrast, strongest Fightin' Words z first, with their counts in
# target / reference:

# %%
top_key = key_terms(keyness, n=10)
top_key = top_key.assign(label=top_key["term"] + " (" + top_key["count_target"].astype(str)
                         + "/" + top_key["count_reference"].astype(str) + ")")
table_show(top_key.groupby(["group", "reference"], sort=False)["label"].agg(", ".join).to_frame("key terms"))

# %%
axes = plot_keyness_panels(keyness, n_terms=8, stat="g2", ncols=3)
save_figure(axes.flat[0].figure, paths, "vocabulary_keyness_bars")

# %% [markdown]
# *Figure 2. Keyness bars per contrast: the eight terms with the largest G² over-used in
# the target (right, blue) and in the reference (left, orange). Pale bars: paragraph
# permutation p ≥ 0.05 — a large G² that rests on one or two paragraphs.*
#
# ### The frame words, read one by one
#
# The words the readings name (for the study: *ideological* in Lobel's essay and
# *credibility* in the Al Jazeera explainer, the articles expected to carry them); without
# readings, each pole's name in the article that uses it most.

# %%
frame_rows = term_choices(keyness, readings, poles).merge(keyness, on=["group", "reference", "term"])
table_show(frame_rows.assign(key=is_key(frame_rows)))

# %% tags=["hide-input"]
Markdown("\n\n".join(term_text(r, n_par, kwic(units[units["doc_id"] == r["group"]], r["term"])["unit_id"].nunique(),
                                 config.N_PERM) for r in frame_rows.to_dict("records"))
         or "No pole name of the codebook occurs often enough in an article to be tested (twice in a contrast).")

# %% [markdown]
# ## 3. Fightin' Words
#
# The weighted log-odds ratio of Monroe, Colaresi & Quinn (2008) with an informative
# Dirichlet prior from the whole corpus. For term *w* with counts *a* (target) and *b*
# (reference), target and reference totals *n*ₜ and *n*ᵣ, and whole-corpus count *y*_w out
# of *n* tokens: the prior is α_w = α₀·y_w/n with **α₀ = n**, so α_w = y_w (the setting of
# Jurafsky et al. 2014); δ_w = ln[(a + α_w)/(nₜ + α₀ − a − α_w)] − ln[(b + α_w)/(nᵣ + α₀ −
# b − α_w)]; its variance is approximated by 1/(a + α_w) + 1/(b + α_w), and z = δ_w / √var.
# A prior as heavy as the data pulls rare terms strongly towards zero, which is what a
# corpus this small needs: a rare term stays well inside ±1.96 however lopsided its
# split (see the numbers below the figure).

# %%
axes = plot_fightin_words_panels(keyness, n_labels=6, ncols=2)
save_figure(axes.flat[0].figure, paths, "vocabulary_fightin_words")

# %% [markdown]
# *Figure 3. Fightin' Words plots in the style of Monroe et al. (2008): each dot is a term,
# placed by its frequency in the two sides (log scale) and its z; dashed lines at ±1.96;
# labelled: the six terms with the highest and lowest z.*

# %% tags=["hide-input"]
Markdown(fightin_words_text(keyness))

# %% [markdown]
# ## 4. Collocations
#
# Bigrams (seen at least three times) and trigrams (at least twice) across all
# paragraphs, ranked by Dunning's log-likelihood ratio, with pointwise mutual
# information alongside (nltk's collocation finders; no n-gram crosses a paragraph
# break; n-grams that begin or end with a stopword are dropped, inner ones such as
# "of" are kept).

# %%
bigrams = collocations(units["text"], n=2, min_count=3)
trigrams = collocations(units["text"], n=3, min_count=2)
save_table(bigrams, paths, "collocations_bigrams")
save_table(trigrams, paths, "collocations_trigrams")
table_show(bigrams.head(15))

# %%
table_show(trigrams.head(15))

# %% [markdown]
# The strongest trigrams of each article:

# %%
by_article = collocations_by(units, n=3, min_count=2)
save_table(by_article, paths, "collocations_trigrams_by_article")
table_show(by_article.groupby("doc_id").head(4))

# %% tags=["hide-input"]
phrases = phrase_table(units, readings.phrases, pd.concat([bigrams, trigrams]), kwic)
Markdown(collocations_text(bigrams, trigrams, phrases, readings.note("collocations")))

# %% [markdown]
# ## 5. Concordances
#
# Keyword-in-context lines: every occurrence, cut from the repaired text of its
# paragraph, with the paragraph's id (`unit_id`) and the match's character offsets in
# that paragraph, so each line can be found in the source.

# %%
queries = concordance_queries(readings, poles)
concordance = pd.concat({q: kwic(units, q, width=60) for q in queries}, names=["query"]) \
    .reset_index(level=0).reset_index(drop=True)
save_table(concordance, paths, "kwic_examples")
table_show(concordance[["query", "unit_id", "left", "match", "right"]])

# %% tags=["hide-input"]
Markdown(concordance_text(concordance, queries, {w: len(kwic(units, w)) for w in readings.words},
                          readings.note("concordances")))

# %% [markdown]
# ## 6. What distinguishes each article
#
# Each article's key terms (by the rule above, strongest z first, with counts in the
# article / in the other four) and its top TF-IDF terms:

# %%
profile = pd.DataFrame({
    "key terms": top_key[top_key["reference"] == "rest"].groupby("group").head(8)
    .groupby("group")["label"].agg(", ".join),
    "top TF-IDF": top_tfidf[top_tfidf["rank"] <= 8].groupby("doc_id")["term"].agg(", ".join),
})
table_show(profile)

# %% tags=["hide-input"]
Markdown(profiles_text(article_profiles(keyness, n_par, readings)))

# %% tags=["hide-input"]
key_after_bh = summary.set_index("group")["key_after_bh"]
Markdown("\n\n".join(grouping_text(grouping_terms(keyness, g.target, g.reference), g.target, g.reference,
                                    key_after_bh, g.note) for g in readings.groupings)
         or "No grouping of articles is given in a readings.toml, so there is no grouping to read.")
