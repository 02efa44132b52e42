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
# # 01 — The corpus
#
# This notebook shows what the study is built on: the articles and what is known about
# them (and how it is known), how each source file is divided into page furniture and
# body text, every repair applied to the text, and the size and vocabulary of each
# article. Nothing here edits a source file: the sources stay exactly as received, and
# every table below is derived from them by declared rules in `corpus/`.

# %% tags=["parameters"]
corpus_dir = None  # folder with metadata.csv and the texts; None = the study's corpus/
out_dir = None  # folder for results/; None = the repository

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown

from analysis import config
from analysis.corpus import load_corpus
from analysis.describe import bigrams_top, documents_provenance, terms_top, units_count
from analysis.display import table_show
from analysis.outputs import save_figure, save_table
from analysis.plots.corpus import plot_lengths, plot_timeline
from analysis.provenance import stamp, stamp_table
from analysis.sources import corpus_hash

pd.set_option("display.max_colwidth", None)  # show every basis and every unit in full
paths = config.study_paths(out_dir)
corpus = load_corpus(corpus_dir)
docs = corpus.documents

# %% [markdown]
# ## The articles
#
# One row per article. Every descriptive field has a *basis*: `stated` when the text
# prints it (with the line), `inferred` when it is reasoned from the text or from
# outside knowledge (with the reasoning), `absent` when nothing is printed and nothing
# is guessed.

# %%
table_show(docs[["doc_id", "date", "outlet", "authors", "genre", "headline"]])

# %%
provenance = documents_provenance(docs)
save_table(provenance, paths, "corpus_provenance")
counts_by_source = provenance["source"].value_counts().reindex(["stated", "inferred", "absent"], fill_value=0)
Markdown(
    f"Of the {len(provenance)} descriptive values, {counts_by_source['stated']} are stated in the texts, "
    f"{counts_by_source['inferred']} are inferred and {counts_by_source['absent']} are absent. "
    "The inferred ones, with their reasoning, are listed next."
)

# %%
table_show(provenance[provenance["source"] != "stated"])

# %% [markdown]
# The source files are kept byte for byte as received; `metadata.csv` records the
# name each was received under and its SHA-256, and the loader refuses a file whose
# bytes have changed. The corpus fingerprint (a hash over every file in the corpus
# folder) identifies exactly which corpus produced the results.

# %%
table_show(docs[[c for c in ("doc_id", "file", "received_as", "sha256") if c in docs]])

# %% tags=["hide-input"]
Markdown(f"Corpus fingerprint (SHA-256): `{corpus_hash(corpus.root)}`")

# %% [markdown]
# ## Publication timeline
#
# The articles span a decade. Two dates are inferred from events the texts describe
# (hollow markers); their precision is a few days, which matters for nothing in the
# study beyond ordering.

# %%
fig, ax = plt.subplots(figsize=(7.5, 2.6))
plot_timeline(docs, ax=ax)
save_figure(fig, paths, "corpus_timeline")

# %% [markdown]
# *Figure 1. Publication dates of the five articles. Filled markers: dates printed in
# the text; hollow: dates inferred (see the provenance table).*
#
# ## Page furniture
#
# Lines that are not the article's running text — headlines (including a repeated
# one), datelines, bylines, a standfirst, section subheadings, separators, an author
# biography and tag lines — are set aside by the rules in `corpus/furniture.csv`. Each
# line below shows the rule that matched it; everything else is body text.

# %%
table_show(corpus.furniture[["unit_id", "line", "role", "rule_id", "text"]])

# %% tags=["hide-input"]
roles = corpus.furniture["role"].value_counts().sort_index()
Markdown(
    f"{len(corpus.furniture)} lines are furniture ("
    + ", ".join(f"{n} {role}" for role, n in roles.items())
    + f"); {len(corpus.paragraphs)} body paragraphs remain."
)

# %% [markdown]
# ## Repairs
#
# Typing and OCR artefacts — words split by a space or a hyphen, stray periods and
# commas, doubled words, hyphens typed for dashes, spaces before punctuation, a
# misplaced quotation mark, no-break spaces — are repaired at load time by the
# declared table `corpus/corrections.csv`. Each repair must match exactly once on its
# line, or the corpus is refused. The repaired text is derived; the source is never
# overwritten. Every repair, with its location:

# %%
save_table(corpus.repairs, paths, "corpus_repairs")
table_show(corpus.repairs[["correction_id", "unit_id", "line", "start", "find", "replace", "kind"]])

# %% tags=["hide-input"]
kinds = corpus.repairs["kind"].value_counts().sort_index()
Markdown(
    f"{len(corpus.repairs)} repairs in {corpus.repairs['doc_id'].nunique()} articles: "
    + ", ".join(f"{n} × {kind}" for kind, n in kinds.items()) + "."
)

# %% [markdown]
# ## Units: paragraphs and sentences
#
# Each body paragraph and sentence has a citable id (`doc_id.pNN`, `doc_id.pNN.sNN`)
# and character offsets into its source file, so any passage quoted by a later
# notebook can be found in the exact source bytes. Sentences come from nltk's Punkt
# trained on this corpus, completed with a list of common abbreviations (U.S., Oct.,
# Calif., Gen., …). A few sentences, as a check:

# %%
table_show(corpus.sentences[corpus.sentences["text"].str.contains(r"U\.S\.|Oct\.|Calif\.", regex=True)].head(6))

# %% [markdown]
# ## Size of each article

# %%
counts = units_count(corpus.paragraphs, corpus.sentences)
save_table(counts, paths, "corpus_counts")
table_show(counts)

# %%
fig, ax = plt.subplots(figsize=(6.4, 3.0))
plot_lengths(counts, ax=ax)
save_figure(fig, paths, "corpus_lengths")

# %% [markdown]
# *Figure 2. Word tokens per article, with the number of body paragraphs and sentences.*

# %% tags=["hide-input"]
longest, shortest = counts.loc[counts["tokens"].idxmax()], counts.loc[counts["tokens"].idxmin()]
Markdown(
    f"The corpus holds {counts['tokens'].sum():,} word tokens in {counts['paragraphs'].sum()} paragraphs. "
    f"The longest article ({longest['doc_id']}, {longest['tokens']:,} tokens) is "
    f"{longest['tokens'] / shortest['tokens']:.1f} times the shortest ({shortest['doc_id']}, "
    f"{shortest['tokens']:,}), so later notebooks compare rates and shares, never raw counts."
)

# %% [markdown]
# ## Frequent terms and collocations
#
# The ten most frequent words per article (scikit-learn's English stopword list
# removed) and the strongest two-word collocations by Dunning's log-likelihood ratio
# (nltk; seen at least twice in the article). They give a first sense of what each
# article is about; notebook 02 compares vocabularies with proper statistics.

# %%
top = terms_top(corpus.paragraphs, n=10)
save_table(top, paths, "corpus_top_terms")
table_show(top.pivot(index="rank", columns="doc_id", values="term"))

# %%
bigrams = bigrams_top(corpus.paragraphs, n=5, min_count=2)
save_table(bigrams, paths, "corpus_collocations")
table_show(bigrams.pivot(index="rank", columns="doc_id", values="bigram").fillna(""))

# %% [markdown]
# Frequent words are dominated by the actors each article is about (Iran, Russia,
# Hamas, Pakistan); collocations pick out names and fixed phrases. Neither says
# anything yet about *how* the alliance or the use of force is framed: that is the
# work of notebooks 02–05.

# %% [markdown]
# ## Provenance
#
# Every result of the study carries this stamp (also written, with the SHA-256 of every
# table and figure, to `results/MANIFEST.json`): content hashes of the code, the corpus
# and the codebook, the study-wide settings and the package versions.

# %%
table_show(stamp_table(stamp(corpus.root)))
