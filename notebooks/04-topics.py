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
# # 04 — Topic models: what the paragraphs are about, and how far to trust it
#
# The codebook measures look for framing words chosen in advance. A topic model works
# the other way round: it groups words that occur in the same passages and lets the
# groups emerge. This notebook fits two topic models side by side — latent Dirichlet
# allocation (LDA; Blei, Ng & Jordan 2003) on word counts and non-negative matrix
# factorisation (NMF; Lee & Seung 1999) on TF-IDF weights — and asks, before reading any
# topic, whether the topics are stable enough to read at all:
#
# 1. **Units** — why paragraphs, with sentences as a check.
# 2. **How many topics** — a sweep over K with coherence, exclusivity, perplexity and
#    stability across seeds, and a rule, stated before fitting, for choosing K.
# 3. **What the topics are** — top words by probability and by FREX, and the three
#    paragraphs most typical of each topic.
# 4. **Where they are** — topic prevalence per article with bootstrap intervals, and
#    differences by article and by publication date.
# 5. **Topics → frames** — each topic's alignment with the codebook's frame poles, and
#    the network of topics (Walter & Ophir 2019) whose communities are candidate frames.
#
# All computation lives in `analysis/topics/`, one module per step; each module's
# docstring states its formulas. Every random draw has an explicit seed, so a rerun
# writes identical tables.

# %% tags=["parameters"]
corpus_dir = None  # folder with metadata.csv and the texts; None = the study's corpus/
out_dir = None  # folder for results/; None = the repository

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from analysis import config
from analysis.codebook import corpus_codebook
from analysis.corpus import load_corpus
from analysis.describe import corpus_size_notes, size_warning
from analysis.disk_cache import stored
from analysis.display import table_show
from analysis.outputs import save_figure, save_table
from analysis.plots.topics import (plot_topic_alignment, plot_topic_diagnostics, plot_topic_network,
                                   plot_topic_prevalence)
from analysis.summaries import communities_text, k_choice_text
from analysis.topics import (LDA_MAX_ITER, N_TERMS, STABILITY_THRESHOLD, SWEEP_SEEDS, TopicModel,
                             choose_k, community_alignment, compare_topics, date_to_years,
                             diagnostics_summary, run_stability, sweep_terms_table,
                             topic_communities, topic_concentration, topic_effects, topic_labels,
                             topic_network, topic_pole_alignment, topic_prevalence,
                             topic_representatives, topic_sweep, topic_terms_table,
                             topic_vectorizer, unit_token_summary, window_sensitivity)

pd.set_option("display.max_colwidth", None)
paths = config.study_paths(out_dir)
corpus = load_corpus(corpus_dir)
units = corpus.paragraphs.merge(corpus.documents[["doc_id", "date"]], on="doc_id", how="left")
texts = units["text"].tolist()

# %% [markdown]
# ## 1. Units: paragraphs
#
# A topic model learns from which words occur *together in the same document*. With the
# articles as documents there would be only as many co-occurrence contexts as articles —
# far too few to separate themes, and every topic would simply be an article. Sentences
# are the other extreme: many carry only a handful of content words, so few word pairs
# ever meet. The paragraph is the unit in which a news writer develops one point, it is
# long enough to hold several content words, and there are many more paragraphs than
# articles. The table counts content words (stopwords removed) per unit.

# %%
sizes = unit_token_summary({"article": [" ".join(units.loc[units["doc_id"] == d, "text"])
                                        for d in sorted(units["doc_id"].unique())],
                            "paragraph": texts,
                            "sentence": corpus.sentences["text"].tolist()})
table_show(sizes)

# %% tags=["hide-input"]
par, sen = sizes.set_index("unit").loc["paragraph"], sizes.set_index("unit").loc["sentence"]
Markdown(
    f"The {int(par['n_units'])} paragraphs have a median of {par['median_tokens']:.0f} content words; "
    f"the {int(sen['n_units'])} sentences a median of {sen['median_tokens']:.0f}, and "
    f"{sen['share_short']:.0%} of sentences have fewer than 10 (against {par['share_short']:.0%} "
    "of paragraphs). Paragraphs are the units below; section 5 refits the chosen models on "
    "sentences as a check."
)

# %% [markdown]
# **Is the corpus large enough?** Four checks with thresholds fixed in
# `analysis/describe.py`, each with its reason there: enough articles for a pattern
# across articles to be told from chance, enough paragraphs per topic at the sweep's
# largest K, a vocabulary larger than the top-term lists of every topic together, and
# enough paragraphs per article for a bootstrap interval of its mean.

# %% tags=["hide-input"]
ks = range(2, 11)
size_notes = corpus_size_notes(units, max_k=max(ks), n_terms=N_TERMS,
                               vocabulary_size=len(topic_vectorizer("lda").fit(texts).vocabulary_))
Markdown(
    size_warning(size_notes, "the results below")
    if size_notes else
    f"None of the checks warns: {units['doc_id'].nunique()} articles, {len(units)} paragraphs "
    f"(at least {units.groupby('doc_id').size().min()} per article)."
)

# %% [markdown]
# ## 2. How many topics: the K sweep
#
# Both models are fitted for every K of the sweep, each with several seeds (the settings
# are printed below the next cell). LDA gets fewer seeds than NMF: one LDA fit costs about
# as much as eight NMF fits, and LDA's stability changes little from seed to seed (see
# `stability_sd` in the table), so fewer runs still pin down its mean; NMF's varies more.
# Terms must occur in more than one paragraph (a term seen once cannot co-occur with
# anything).
# LDA is scikit-learn's batch variational Bayes with priors 1/K and `n_jobs=1`; NMF starts
# from a seeded random matrix, so that each seed is a genuinely different start. For
# every run, with each topic's top terms (`N_TERMS`, printed below):
#
# * **NPMI** (Bouma 2009; Aletras & Stevenson 2013; Röder et al. 2015): mean over term
#   pairs of log((P(wᵢ,wⱼ)+ε) / P(wᵢ)P(wⱼ)) / −log(P(wᵢ,wⱼ)+ε), with P the share of
#   paragraphs containing the word(s) and ε = 10⁻¹². From −1 (never together) through 0
#   (independent) to 1 (always together). Röder et al. count co-occurrence in sliding
#   windows of 10 words instead; the K rule is checked against that below.
# * **UMass** (Mimno et al. 2011): mean over pairs, the heavier word wₗ conditioning, of
#   log((D(wₘ,wₗ)+1) / D(wₗ)), with D a paragraph count. Higher (closer to 0) is better.
# * **Exclusivity as a mean share** (Bischof & Airoldi 2012): mean over the top terms of
#   the share of the term's weight, summed over topics, that this topic holds; from 1/K
#   to 1. This is not what stm's `exclusivity()` reports (a mean of FREX scores, which
#   also reward frequency); FREX itself labels the topics in section 4.
# * **Perplexity** (LDA only): in-sample, so it cannot reward parsimony; shown, not used.
# * **Stability** (after Greene, O'Callaghan & Cunningham 2014): the topics of two runs
#   are matched one-to-one by the Hungarian algorithm on the cosine similarity of their
#   topic-word vectors; a run's stability is the mean matched similarity, averaged over
#   the other seeds.

# %%
# computed once for this code and these inputs, and kept in .cache/ for the next run
sweep = stored("topic-sweep", lambda: topic_sweep(texts, ks=ks, n_seeds=SWEEP_SEEDS, random_state=config.SEED),
               texts, repr(list(ks)), repr(SWEEP_SEEDS), repr(config.SEED))
save_table(sweep.diagnostics, paths, "topic_diagnostics")
summary = diagnostics_summary(sweep.diagnostics)
runs = sweep.diagnostics
n_seeds = runs.groupby("model")["seed"].nunique()
display(Markdown(f"{len(runs)} fits: {runs['model'].nunique()} models × {runs['k'].nunique()} values "
                 f"of K ({runs['k'].min()}–{runs['k'].max()}) × seeds ("
                 + ", ".join(f"{m.upper()} {n}" for m, n in n_seeds.items()) + "); "
                 f"top {N_TERMS} terms per topic; vocabularies of "
                 + ", ".join(f"{len(v)} terms ({m})" for m, v in sorted(sweep.terms.items())) + "."))
table_show(summary[["model", "k", "npmi_mean", "umass_mean", "exclusivity_mean", "perplexity_mean",
                   "stability_mean", "stability_sd"]].rename(columns={"exclusivity_mean": "excl_share_mean"}))

# %% [markdown]
# **Rule for K, fixed before fitting.** Average each diagnostic over the seeds. A K is
# admissible when its mean stability reaches the threshold `STABILITY_THRESHOLD` (a
# matched cosine high enough that topics reappear, from another start, as nearly the same
# word distribution; its value is printed with the choice below). Among admissible K take
# the one with the highest mean NPMI (ties: the smaller K). If no K is admissible, take
# the most stable K and say the model is unstable. The run that is labelled is the
# *medoid* seed, the run most similar to the other seeds.

# %%
chosen = choose_k(sweep.diagnostics, threshold=STABILITY_THRESHOLD)
table_show(chosen)

# %%
fig, axes = plt.subplots(1, 5, figsize=(15, 3.3), constrained_layout=True)
plot_topic_diagnostics(sweep.diagnostics, chosen=chosen, stability_threshold=STABILITY_THRESHOLD,
                       axes=axes)
save_figure(fig, paths, "topic_diagnostics")

# %% [markdown]
# *Figure 1. Diagnostics across K: mean over the seeds (line) and the range over seeds
# (band); the chosen K of each model is ringed; the dashed line is the stability
# threshold. Exclusivity is Bischof & Airoldi's mean share, not stm's FREX-based
# measure.*

# %% tags=["hide-input"]
pick = chosen.set_index("model")
Markdown(k_choice_text(summary, chosen, STABILITY_THRESHOLD))

# %% [markdown]
# **Does the K depend on how co-occurrence is counted?** The rule's NPMI counts two words
# as co-occurring when they share a paragraph. Röder, Both & Hinneburg (2015), whose
# C_NPMI is the usual reference (and gensim's `c_npmi` default), count them in sliding
# windows of 10 words: each window is a virtual document. As a sensitivity check, not a
# second rule, the same runs are scored with windows of 10, 20 and 50 content words
# (stopwords removed, as the models see the text; windows stay within a paragraph) and
# the same rule is applied. Stability, and so which K are admissible, does not change.

# %%
window_k = window_sensitivity(sweep, texts, windows=(10, 20, 50), threshold=STABILITY_THRESHOLD)
save_table(window_k, paths, "topic_k_window")
table_show(window_k.pivot(index="contexts", columns="model", values="k")
           .reindex(window_k["contexts"].unique()))

# %% tags=["hide-input"]
moved = window_k[window_k["k"].to_numpy() != pick.loc[window_k["model"], "k"].to_numpy()]
Markdown(
    "The rule picks the same K whichever way co-occurrence is counted, so the study's K does "
    "not rest on the choice of paragraphs as contexts."
    if moved.empty else
    "Counted in windows, the rule picks "
    + "; ".join(f"{r.model.upper()} K = {r.k} (not {pick.loc[r.model, 'k']}) with a {r.contexts}"
                for r in moved.itertuples())
    + f", and the study's K in the other {int((window_k['window'] > 0).sum()) - len(moved)} "
    "window rows of the table. The study keeps the K its rule chose before fitting, with "
    "the paragraph (the unit the models are fitted on) as context; but NPMI alone does not "
    "settle K, so readings that rest on the finer topics of that K depend on this choice."
)

# %% [markdown]
# The chosen models, refitted from their medoid seeds (the refit reproduces the sweep's
# run exactly). To keep the sweep fast, LDA runs a fixed number of EM passes; as a
# convergence check the chosen LDA is refitted with ten times as many and its topics
# are matched to the shorter fit's.

# %%
(lda_k, lda_seed), (nmf_k, nmf_seed) = [(int(pick.loc[m, "k"]), int(pick.loc[m, "seed"])) for m in ("lda", "nmf")]
# computed once for this code and these inputs, and kept in .cache/ for the next run
lda, nmf, lda_long = stored(
    "topic-models",
    lambda: (TopicModel("lda", lda_k, random_state=lda_seed).fit(texts),
             TopicModel("nmf", nmf_k, random_state=nmf_seed).fit(texts),
             TopicModel("lda", lda_k, max_iter=10 * LDA_MAX_ITER, random_state=lda_seed).fit(texts)),
    texts, repr([lda_k, lda_seed, nmf_k, nmf_seed]), repr(LDA_MAX_ITER))
convergence = compare_topics(lda.components_, lda_long.components_)
Markdown(
    f"{LDA_MAX_ITER} against {10 * LDA_MAX_ITER} EM passes: the matched topics have cosine "
    f"similarity of at least {convergence['similarity'].min():.3f}."
)

# %% [markdown]
# ## 3. Stability of the chosen models
#
# Stability per topic of the labelled (medoid) run: how closely each topic reappears in
# the runs from the model's other seeds.

# %%
stability = pd.concat([
    run_stability(sweep, "lda", lda.n_components, lda.random_state).assign(model="lda"),
    run_stability(sweep, "nmf", nmf.n_components, nmf.random_state).assign(model="nmf"),
])
table_show(stability.pivot(index="topic", columns="model", values="stability"))

# %% tags=["hide-input"]
failing = summary[summary["stability_mean"] < STABILITY_THRESHOLD].groupby("model")["k"].apply(list)
weak = stability[stability["stability"] < STABILITY_THRESHOLD]
Markdown(
    " ".join(f"{m.upper()}: the chosen K = {r.k} has mean stability {r.stability:.2f} and "
             f"{'meets' if r.stable else '**does not meet**'} the threshold ({STABILITY_THRESHOLD}); "
             f"K below the threshold: {failing.get(m, []) or 'none'}."
             for m, r in pick.iterrows())
    + f" Topics individually below the threshold: {len(weak)} of the chosen models' {len(stability)}."
)

# %% [markdown]
# Where a K falls below the threshold, its topics change with the seed: a reading that
# rests on one particular topic at such a K would rest on the random start, not on the
# texts. On this corpus LDA passes only as a coarse split, and its finer topics are not
# stable; NMF's topics reappear from different starts at every K. Stability over seeds
# is a necessary condition only: it shows the fit is not an accident of initialisation,
# not that the same topics would emerge from other articles or other units (section 5).

# %% [markdown]
# ## 4. What the topics are
#
# Each topic is described by its most probable words and by FREX words (Roberts,
# Stewart & Airoldi 2016): the harmonic mean of a word's rank in the topic by frequency
# and by exclusivity (its share of the word's weight over all topics), with equal
# weights, as stm's `labelTopics` does (without stm's shrinkage of exclusivity). FREX
# favours words that are both common in the topic and rare elsewhere. The table of
# terms is saved for every model and K (medoid runs).

# %%
terms_all = sweep_terms_table(sweep, n_terms=N_TERMS)
save_table(terms_all, paths, "topics")
lda_terms = topic_terms_table(lda.components_, lda.terms_)
nmf_terms = topic_terms_table(nmf.components_, nmf.terms_)
table_show(pd.concat({
    "lda": pd.DataFrame({"probability": topic_labels(lda_terms, 8, by="prob"),
                         "FREX": topic_labels(lda_terms, 8, by="frex")}),
    "nmf": pd.DataFrame({"probability": topic_labels(nmf_terms, 8, by="prob"),
                         "FREX": topic_labels(nmf_terms, 8, by="frex")}),
}, names=["model", "topic"]))

# %% [markdown]
# The three paragraphs with the highest share of each topic, with their text — the
# check a reader needs before accepting any label. NMF first:

# %%
reps_nmf = topic_representatives(nmf.doc_topic_, units["unit_id"], n=3)
table_show(reps_nmf.merge(units[["unit_id", "text"]], on="unit_id"))

# %%
reps_lda = topic_representatives(lda.doc_topic_, units["unit_id"], n=3)
table_show(reps_lda.merge(units[["unit_id", "text"]], on="unit_id"))

# %% tags=["hide-input"]
reps = pd.concat([reps_lda.assign(model="lda"), reps_nmf.assign(model="nmf")]).merge(
    units[["unit_id", "doc_id"]], on="unit_id")
same_article = reps.groupby(["model", "topic"])["doc_id"].nunique().eq(1).groupby("model").sum()
Markdown(
    f"The listed paragraphs have a median share of {reps['share'].median():.2f} in their topic. "
    "All three come from a single article for "
    + " and ".join(f"{same_article[m]} of the {m.upper()} topics" for m in same_article.index)
    + ": the labels above should be read together with these passages and with the "
    "article concentration in section 6."
)

# %% [markdown]
# ## 5. Sentences as a check
#
# If the topics describe themes rather than accidents of paragraphing, fitting the same
# models on sentences (same vocabulary, K and seed) should find similar topics. Each
# paragraph topic is matched to a sentence topic by the Hungarian algorithm.

# %%
sentences = corpus.sentences["text"].tolist()
lda_sent = TopicModel("lda", lda.n_components, vocabulary=lda.terms_, random_state=lda.random_state).fit(sentences)
nmf_sent = TopicModel("nmf", nmf.n_components, vocabulary=nmf.terms_, random_state=nmf.random_state).fit(sentences)
sentence_check = pd.concat([compare_topics(lda.components_, lda_sent.components_).assign(model="lda"),
                            compare_topics(nmf.components_, nmf_sent.components_).assign(model="nmf")])
table_show(sentence_check)

# %% tags=["hide-input"]
by_model = sentence_check.groupby("model")["similarity"]
kept = sentence_check[sentence_check["similarity"] >= STABILITY_THRESHOLD].groupby("model")["topic"].apply(list)
Markdown(
    "Mean matched similarity between paragraph and sentence topics: "
    + "; ".join(f"{m.upper()} {v:.2f}" for m, v in by_model.mean().items())
    + f". Topics that reappear on sentences at or above the stability threshold: "
    + "; ".join(f"{m.upper()} {kept.get(m, [])} of {by_model.size()[m]}" for m in by_model.mean().index)
    + ". A topic that does not reappear depends on how the text is cut into units, and is "
    "read below with that caution."
)

# %% [markdown]
# ## 6. Where the topics are: prevalence by article
#
# A topic's prevalence in an article is the mean share of that topic over the article's
# paragraphs (every paragraph weighs the same). The interval is a percentile
# bootstrap: the article's paragraphs are resampled with replacement (seeded; level and
# number of resamples are the study's defaults in `analysis/config.py`, printed below).

# %%
prevalence = pd.concat([
    topic_prevalence(lda.doc_topic_, units["doc_id"], n_boot=config.N_BOOT, confidence=config.CONFIDENCE,
                     random_state=config.SEED).assign(model="lda", k=lda.n_components),
    topic_prevalence(nmf.doc_topic_, units["doc_id"], n_boot=config.N_BOOT, confidence=config.CONFIDENCE,
                     random_state=config.SEED).assign(model="nmf", k=nmf.n_components),
])[["model", "k", "doc_id", "topic", "share", "low", "high"]]
save_table(prevalence, paths, "topic_prevalence")
Markdown(f"Intervals: {config.CONFIDENCE:.0%} percentile bootstrap, {config.N_BOOT:,} resamples of "
         "each article's paragraphs.")

# %%
fig, ax = plt.subplots(figsize=(7.5, 7.5))
plot_topic_prevalence(prevalence[prevalence["model"] == "nmf"], labels=topic_labels(nmf_terms, 3), ax=ax)
ax.set_title(f"NMF, K = {nmf.n_components}")
save_figure(fig, paths, "topic_prevalence_nmf")

# %% [markdown]
# *Figure 2. NMF topic prevalence per article (mean paragraph share, bootstrap
# interval). Topic labels are the three highest-FREX words.*

# %%
fig, ax = plt.subplots(figsize=(7.5, 3.4))
plot_topic_prevalence(prevalence[prevalence["model"] == "lda"], labels=topic_labels(lda_terms, 3), ax=ax)
ax.set_title(f"LDA, K = {lda.n_components}")
save_figure(fig, paths, "topic_prevalence_lda")

# %% [markdown]
# *Figure 3. LDA topic prevalence per article, as Figure 2.*

# %% tags=["hide-input"]
lda_prevalence = prevalence[prevalence["model"] == "lda"]
lda_major = lda_prevalence[lda_prevalence["share"] > 0.5].groupby("topic")["doc_id"].apply(list)
Markdown(
    "Articles in which an LDA topic holds more than half of the paragraph share: "
    + "; ".join(f"T{t} ({topic_labels(lda_terms, 3)[t]}): {', '.join(docs) or 'none'}"
                for t, docs in lda_major.reindex(range(1, lda.n_components + 1), fill_value=[]).items())
    + ". Where a topic holds the majority in several articles, the broad split groups the "
    "articles by subject."
)

# %% [markdown]
# How much of each NMF topic's total weight sits in a single article, against that
# article's share of all paragraphs (what an evenly spread topic would show):

# %%
concentration = topic_concentration(nmf.doc_topic_, units["doc_id"])
table_show(concentration)

# %% tags=["hide-input"]
one_article = concentration[concentration["concentration"] >= 0.5]
Markdown(
    f"{len(one_article)} of the {nmf.n_components} NMF topics draw at least half their weight "
    f"from one article (median concentration {concentration['concentration'].median():.2f}, "
    f"against a median baseline of {concentration['baseline'].median():.2f}). Such topics are "
    "largely each article's own subject matter; differences in their prevalence between "
    "articles say what the articles are about, not yet how they frame it."
)

# %% [markdown]
# ## 7. Differences by article and by publication date
#
# In the spirit of stm's `estimateEffect` (Roberts, Stewart & Tingley 2019), each topic's
# paragraph-level share is regressed by OLS on (a) an indicator for each article (one
# article against all others: the coefficient is the difference in mean share) and
# (b) years since the earliest article. Uncertainty comes from a **bootstrap of
# paragraphs within articles** (seeded, as above), not from stm's simulation of
# the topic posterior, which these point-estimated models do not provide. The date has
# one value per article, so (b) is a contrast among the articles ordered in time;
# because the articles are held fixed, its interval describes these texts, not a trend
# in coverage.

# %%
units_years = date_to_years(units["date"])
effects = pd.concat([
    topic_effects(model.doc_topic_, units["doc_id"], kind="categorical", strata=units["doc_id"],
                  n_boot=config.N_BOOT, random_state=config.SEED).assign(model=name, covariate="article")
    for name, model in (("lda", lda), ("nmf", nmf))
] + [
    topic_effects(model.doc_topic_, units_years, kind="numeric", strata=units["doc_id"],
                  n_boot=config.N_BOOT, random_state=config.SEED).assign(model=name, covariate="years")
    for name, model in (("lda", lda), ("nmf", nmf))
])[["model", "covariate", "topic", "term", "estimate", "low", "high"]]
save_table(effects, paths, "topic_effects")
clear = effects[(effects["low"] > 0) | (effects["high"] < 0)]
table_show(clear[clear["model"] == "nmf"])

# %% tags=["hide-input"]
Markdown(
    f"Of {len(effects[effects['covariate'] == 'article'])} article contrasts, "
    f"{len(clear[clear['covariate'] == 'article'])} have a {config.CONFIDENCE:.0%} interval that excludes zero; of "
    f"{len(effects[effects['covariate'] == 'years'])} date slopes, "
    f"{len(clear[clear['covariate'] == 'years'])} do. Where a topic is concentrated in one "
    "article, a clear contrast for that article restates the concentration above rather than "
    "adding evidence."
)

# %% [markdown]
# ## 8. Topics → frames: alignment with the codebook's poles
#
# The codebook (`corpus/codebook.toml`) defines the framing contrasts — transactional
# versus ideological alliance, deterrence versus credibility — with seed words and expressions
# for each pole. A pole becomes a vector over the model's vocabulary (its seed words'
# content tokens, matched on Snowball stems); a topic's alignment with the pole is the
# cosine of the two vectors. As a second view, the same is done with each pole's
# prototype document (its definition in Entman's four functions, its indicators and its
# terms), the text the framing measures of notebook 03 compare paragraphs with.

# %%
codebook = corpus_codebook(corpus_dir)
seeds = codebook.seed_terms()
prototypes = {pole.name: [pole.prototype()] for pole in codebook.poles}
alignment = pd.concat([
    topic_pole_alignment(lda.components_, lda.terms_, seeds, analyzer=lda.vectorizer_.analyzer
                         ).assign(model="lda", k=lda.n_components),
    topic_pole_alignment(nmf.components_, nmf.terms_, seeds, analyzer=nmf.vectorizer_.analyzer
                         ).assign(model="nmf", k=nmf.n_components),
])
alignment_prototype = pd.concat([
    topic_pole_alignment(lda.components_, lda.terms_, prototypes, analyzer=lda.vectorizer_.analyzer
                         ).assign(model="lda", k=lda.n_components),
    topic_pole_alignment(nmf.components_, nmf.terms_, prototypes, analyzer=nmf.vectorizer_.analyzer
                         ).assign(model="nmf", k=nmf.n_components),
])
save_table(pd.concat([alignment.assign(basis="seeds"), alignment_prototype.assign(basis="prototype")])[
    ["model", "k", "basis", "topic", "pole", "cosine", "n_terms_found"]], paths, "topic_alignment")
table_show(alignment.drop_duplicates(["model", "pole"])[["model", "pole", "n_terms_found"]])

# %%
fig, ax = plt.subplots(figsize=(6.5, 4.5))
plot_topic_alignment(alignment[alignment["model"] == "nmf"], labels=topic_labels(nmf_terms, 3), ax=ax)
ax.set_title(f"NMF, K = {nmf.n_components}: cosine with pole seed words")
save_figure(fig, paths, "topic_alignment_nmf")

# %% [markdown]
# *Figure 4. Cosine similarity of each NMF topic's word distribution with each pole's
# seed-word vector.*

# %% tags=["hide-input"]
best = alignment[alignment["model"] == "nmf"].sort_values("cosine", ascending=False).groupby("pole").head(1)
nmf_label = topic_labels(nmf_terms, 3)
Markdown(
    "Best-aligned NMF topic per pole: "
    + "; ".join(f"{r.pole} → T{r.topic} ({nmf_label[r.topic]}), cosine {r.cosine:.2f}"
                for r in best.sort_values("pole").itertuples())
    + f". The highest cosine anywhere is {alignment['cosine'].max():.2f}: the seed words are a "
    "small part of any topic's weight, so alignment marks where a pole's vocabulary "
    "concentrates, not a topic that *is* the frame."
)

# %% [markdown]
# The same question asked with the pole prototypes: is the best-aligned topic per pole
# the same?

# %% tags=["hide-input"]
best_prototype = (alignment_prototype[alignment_prototype["model"] == "nmf"]
                  .sort_values("cosine", ascending=False).groupby("pole").head(1))
agree = best.set_index("pole")["topic"].eq(best_prototype.set_index("pole")["topic"])
Markdown(
    "Best-aligned NMF topic per pole prototype: "
    + "; ".join(f"{r.pole} → T{r.topic}, cosine {r.cosine:.2f}"
                for r in best_prototype.sort_values("pole").itertuples())
    + f". Seed words and prototypes point to the same topic for {int(agree.sum())} of "
    f"{len(agree)} poles."
)

# %% [markdown]
# ## 9. The topic network (ANTMN)
#
# Walter & Ophir's (2019) analysis of topic model networks treats topics as nodes and
# links two topics by the cosine similarity of their columns in the paragraph-topic
# matrix: topics that appear in the same paragraphs are linked. Communities of this
# network — found here with Louvain (Blondel et al. 2008, networkx, seeded) — are
# candidate frames: packages of topics that writers use together. The network is built
# for the chosen model with more topics (a network of very few topics has nothing to
# detect).

# %%
net_model = nmf if nmf.n_components >= lda.n_components else lda
net_terms = topic_terms_table(net_model.components_, net_model.terms_)
graph = topic_network(net_model.doc_topic_)
communities = topic_communities(graph, random_state=config.SEED)
fig, ax = plt.subplots(figsize=(7, 5.5))
plot_topic_network(graph, communities, labels=topic_labels(net_terms, 2), random_state=config.SEED, ax=ax)
ax.set_title(f"{net_model.method.upper()}, K = {net_model.n_components}: topic network")
save_figure(fig, paths, "topic_network")

# %% [markdown]
# *Figure 5. Topics as nodes (size: overall prevalence; colour: Louvain community),
# edges weighted by the cosine similarity of their paragraph shares.*
#
# Mean alignment of each community's topics with each codebook pole:

# %%
net_alignment = alignment[alignment["model"] == net_model.method]
by_community = community_alignment(net_alignment, communities)
table_show(by_community.pivot(index="community", columns="pole", values="cosine"))

# %% tags=["hide-input"]
Markdown(communities_text(communities, topic_labels(net_terms, 2), by_community, len(units), net_model.n_components))

# %% [markdown]
# ## What this means for the study

# %% tags=["hide-input"]
Markdown(
    "In numbers: "
    + "; ".join(f"{m.upper()} K = {r.k}, stability {r.stability:.2f} "
                f"({'stable' if r.stable else 'unstable'} by the stated rule)" for m, r in pick.iterrows())
    + ". Topics that reappear when the models are fitted on sentences: "
    + "; ".join(f"{m.upper()} {len(kept.get(m, []))} of {by_model.size()[m]}" for m in by_model.mean().index)
    + ". K the rule would pick with NPMI counted in windows of 10 tokens: "
    + "; ".join(f"{r.model.upper()} {r.k}" for r in window_k[window_k["window"] == 10].itertuples())
    + f". NMF topics drawing at least half their weight from one article: {len(one_article)} of "
    f"{nmf.n_components}. Highest topic–pole cosine: {alignment['cosine'].max():.2f}."
)

# %% [markdown]
# The topic models are exploratory, and this notebook reads them that way. LDA, on these
# short paragraphs, is stable only as a broad split. NMF's finer topics do not
# depend on the random start, but several of them change when the same text is cut into
# sentences, and most follow one article's subject matter (who and where), so topic
# prevalence contrasts mainly restate that the articles cover different events. The
# alignment with the codebook shows where the poles' vocabulary concentrates; it does
# not replace the codebook measures, and no claim of the study about framing rests on a
# single topic.
