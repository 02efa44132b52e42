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
# # 05 — The framing map: where each article stands, and how sure we can be
#
# Notebook 03 built and inspected the measures. This notebook reads their result: each
# article in the plane of the two contrasts — alliance (transactional ↔ ideological;
# Walt 1987; Snyder 1984; Owen 2005; Haas 2005) and force (deterrence ↔ credibility;
# Schelling 1966; Snyder 1961; Mercer 1996; Press 2005) — with 95% paragraph-bootstrap
# intervals, the same positions as diverging bars, their course over the publication
# dates, what can and cannot be said from them, and how often the measures agree.

# %% tags=["parameters"]
corpus_dir = None  # folder with metadata.csv and the texts; None = the study's corpus/
out_dir = None  # folder for results/; None = the repository

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from analysis import config
from analysis.describe import corpus_size_notes, size_warning
from analysis.disk_cache import scorer_fitted
from analysis.display import signed_text, table_show
from analysis.frame_tables import doc_differences, measure_agreement, score_corpus
from analysis.frames import FrameScorer
from analysis.inputs import study_inputs
from analysis.narrative import (contrast_ends, dictionary_matches, expectation_failures, expectations_check,
                                expectations_text, findings_text)
from analysis.outputs import save_figure, save_table
from analysis.plots.frames import plot_framing_map, plot_index_bars, plot_trajectory
from analysis.readings import load_readings
from analysis.summaries import positions_text

pd.set_option("display.max_colwidth", None)

paths, corpus, codebook, exemplars, contrasts, poles = study_inputs(corpus_dir, out_dir)
scorer = scorer_fitted(FrameScorer(codebook, exemplars=exemplars), corpus.paragraphs["text"])  # once, in .cache/
units, docs = score_corpus(corpus.paragraphs, scorer=scorer)
docs = docs.merge(corpus.documents[["doc_id", "date"]], on="doc_id", how="left")
differences = doc_differences(units, contrasts)
has_map = {"alliance", "force"} <= set(contrasts)
# The reader's expectations and words about the articles: the corpus' readings.toml.
readings = load_readings(corpus_dir, docs["doc_id"], codebook)

# %% tags=["hide-input"]
# a plain warning where the corpus is too small for what follows (analysis.describe)
size_notes = corpus_size_notes(corpus.paragraphs, max_k=None)
if size_notes:  # nothing is shown for a corpus large enough
    display(Markdown(size_warning(size_notes, "the positions, intervals and differences between articles below")))

# %% [markdown]
# ## 1. The framing map
#
# Each article is placed at its alliance index (x) and force index (y), with its 95%
# bootstrap interval on both axes; each paragraph is a faint point in its article's
# colour. Zero on an axis means no lean (or balanced evidence); the indices are in
# standard-deviation units of the corpus' paragraphs.

# %%
if has_map:
    fig, ax = plt.subplots(figsize=(7.5, 6.5))
    plot_framing_map(docs, units, ax=ax, x="alliance", y="force", poles=poles)
    save_figure(fig, paths, "framing_map")

# %% [markdown]
# *Figure 1. The framing map. Large markers: articles, with 95% paragraph-bootstrap
# intervals; faint points: paragraphs. Each article's name stands in a column to the
# right of every marker and interval, joined to its marker by a grey line.*

# %%
table_show(docs[["doc_id", "date", "n_units"] + [f"{c}_{s}" for c in contrasts for s in ("index", "low", "high")]
                + [f"{c}_salience" for c in contrasts]])

# %% [markdown]
# ## 2. Each contrast as diverging bars

# %%
for c in contrasts:
    fig, ax = plt.subplots(figsize=(6.6, 0.55 * len(docs) + 1.4))
    plot_index_bars(docs, c, ax=ax, poles=poles)
    save_figure(fig, paths, f"frames_{c}_bars")

# %% [markdown]
# *Figures 2–3. Article index on each contrast with its 95% interval; bars to the left lean
# to the negative pole (transactional, deterrence), to the right to the positive pole.*

# %% tags=["hide-input"]
Markdown(positions_text(docs, contrasts, poles))

# %% [markdown]
# ## 3. The trajectory over publication dates
#
# The same article indices against publication date. Articles by different outlets and
# authors (in the study, five articles by five) are not a time series of one voice: the
# figure shows how the framings sit in time, not a trend.

# %%
if docs["date"].notna().all():
    fig, ax = plt.subplots(figsize=(8.0, 4.2))
    plot_trajectory(docs, ax=ax, contrasts=contrasts)
    save_figure(fig, paths, "frames_trajectory")

# %% [markdown]
# *Figure 4. Article indices by publication date with 95% intervals (the two contrasts
# are drawn slightly apart).*

# %% tags=["hide-input"]
by_date = docs.sort_values(["date", "doc_id"])
Markdown("In date order: " + "; ".join(
    f"{r.date} {r.doc_id}: " + ", ".join(f"{c} {signed_text(getattr(r, c + '_index'))}" for c in contrasts)
    for r in by_date.itertuples()) + ".")

# %% [markdown]
# ## 4. What the measures recover — and what they do not
#
# First, for any corpus, the article at each end of each contrast: its index and 95%
# interval, whether the interval excludes zero, and how many other articles' intervals lie
# wholly on the other side of it.

# %%
ends = contrast_ends(docs, differences, poles)
save_table(ends, paths, "frames_ends")
table_show(ends)

# %% [markdown]
# Then the expectations of the corpus' `readings.toml`, written from a careful reading of
# the articles before the measures were run (for the study: Lobel (2022) is the most
# ideological; the Berlin Policy Journal (2015) piece is transactional, and more so than
# Lobel; Al Jazeera (2024) is the most credibility-framed; the Wall Street Journal (2024)
# leans more to deterrence than Al Jazeera). The seeds were chosen from the literature,
# not tuned to meet them. The result of each, with the test behind it: for "leans", the
# article's 95% interval lies wholly on the pole's side of zero; for "most", no article lies
# further towards the pole; for "more", the first article lies further than the second (the
# evidence gives their difference with its interval and q):

# %%
checks = expectations_check(readings.expectations, docs, differences, poles)
save_table(checks, paths, "frames_expectations")
table_show(checks)

# %% [markdown]
# For each article of an expectation that fails: its dictionary evidence on the contrast,
# its rank by each measure, and the article that took its place; then every dictionary
# match of the contrast in it.

# %%
matches = dictionary_matches(scorer, corpus.paragraphs)
failures = expectation_failures(readings.expectations, checks, docs, matches, poles)
save_table(failures, paths, "frames_expectation_failures")
for r in failures.itertuples():
    table_show(matches.loc[(matches["doc_id"] == r.doc_id) & (matches["contrast"] == r.contrast),
                           ["unit_id", "term", "pole", "negated", "context"]])

# %% tags=["hide-input"]
Markdown(expectations_text(checks, failures, readings.expectations, poles) if len(checks) else
         "This corpus has no `readings.toml` with expectations; the ends of each contrast above are its reading.")

# %% [markdown]
# ## 5. Do the measures agree?
#
# For the paragraphs that hold at least one counted seed term of a contrast (*framed*
# paragraphs), does each measure put them on the same side? The LSS score is compared after
# centring on its corpus mean. The aim set before the analysis was agreement of all
# measures on at least 80% of framed paragraphs.

# %%
agreement_tables, agreement = {}, []
for c in contrasts:
    agreement_tables[c], summary = measure_agreement(units, c)
    agreement.append(summary)
agreement = pd.DataFrame(agreement).rename_axis("contrast").reset_index()
save_table(agreement, paths, "frames_agreement")
table_show(agreement)

# %% tags=["hide-input"]
short = {"dict": "dictionary", "tfidf": "prototypes", "lss": "LSS", "sup": "supervised"}
pairs = [col for col in agreement.columns if col.count("_") == 1 and set(col.split("_")) <= set(short)]
Markdown(" ".join(
    f"On {r['contrast']}, all measures agree on the side of {int(r['agree'])} of {int(r['framed'])} framed "
    f"paragraphs ({r['share']:.0%}; pairwise: "
    + ", ".join(f"{short[p.split('_')[0]]}–{short[p.split('_')[1]]} {r[p]:.0%}" for p in pairs) + ")."
    for r in agreement.to_dict("records")
) + (" Both meet the 80% aim." if (agreement["share"] >= 0.8).all() else
     " Not every contrast meets the 80% aim."))

# %% [markdown]
# Where they disagree — each framed paragraph on which the signs differ, with the sign
# each measure gives (−1 negative pole, +1 positive pole):

# %%
disagreements = pd.concat([t[~t["agree"]].assign(contrast=c) for c, t in agreement_tables.items()],
                          ignore_index=True)
save_table(disagreements, paths, "frames_disagreements")
table_show(disagreements[["contrast", "unit_id", *[c for c in disagreements.columns if c.startswith("sign_")], "text"]])

# %% [markdown]
# Disagreement has two sources. The dictionary sees only its seed terms, so a paragraph
# with one seed on one side but vocabulary from the other side's definitions (e.g. a
# passage about a deal that also speaks of a shared worldview) is placed by the
# prototypes or LSS on the other side; the supervised model reads the whole paragraph,
# stance included, and learned its weights from written exemplars rather than from these
# articles. Which of them enter the combined index is decided by a rule on those
# exemplars (notebook 06), and every measure is reported beside it.
#
# ## 6. Findings
#
# The numbers behind each statement are computed in the cells above and below.

# %% tags=["hide-input"]
Markdown(findings_text(ends, docs, differences, failures, readings, 1 - config.CONFIDENCE))
