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
from IPython.display import Markdown

from analysis import config
from analysis.codebook import corpus_codebook
from analysis.corpus import load_corpus
from analysis.display import table_show
from analysis.exemplars import corpus_exemplars
from analysis.frame_tables import doc_differences, measure_agreement, score_corpus
from analysis.frames import FrameScorer
from analysis.outputs import save_figure, save_table
from analysis.plots.frames import plot_framing_map, plot_index_bars, plot_trajectory

pd.set_option("display.max_colwidth", None)

paths = config.study_paths(out_dir)
corpus = load_corpus(corpus_dir)
codebook = corpus_codebook(corpus_dir)
exemplars = corpus_exemplars(corpus_dir, codebook)
contrasts = list(codebook.contrasts)
poles = {c.name: (c.negative.name, c.positive.name) for c in codebook.contrasts.values()}
scorer = FrameScorer(codebook, exemplars=exemplars).fit(corpus.paragraphs["text"].tolist())
units, docs = score_corpus(corpus.paragraphs, scorer=scorer)
docs = docs.merge(corpus.documents[["doc_id", "date"]], on="doc_id", how="left")
differences = doc_differences(units, contrasts)
has_map = {"alliance", "force"} <= set(contrasts)

# The readings in prose below name the study's articles; on another corpus they are left out.
study_ids = ["wsj-2024", "lobel-2022", "aljazeera-2024", "bpj-2015", "times-2025"]
is_study = has_map and set(study_ids) <= set(docs["doc_id"])

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
# intervals; faint points: paragraphs.*

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
lines = []
for c in contrasts:
    ranked = docs.dropna(subset=[f"{c}_index"]).sort_values(f"{c}_index")
    clear = ranked[(ranked[f"{c}_high"] < 0) | (ranked[f"{c}_low"] > 0)]
    lines.append(
        f"On **{c}**, from the {poles[c][0]} end to the {poles[c][1]} end: "
        + ", ".join(f"{r.doc_id} ({getattr(r, c + '_index'):+.2f} [{getattr(r, c + '_low'):+.2f}, "
                    f"{getattr(r, c + '_high'):+.2f}])" for r in ranked.itertuples())
        + f". {len(clear)} of {len(ranked)} intervals exclude zero"
        + (": " + ", ".join(clear["doc_id"]) if len(clear) else "") + "."
    )
Markdown("\n\n".join(lines))

# %% [markdown]
# ## 3. The trajectory, 2015 → 2025
#
# The same article indices against publication date. Five articles by five different
# outlets and authors are not a time series of one voice: the figure shows how the
# framings sit in time, not a trend.

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
    f"{r.date} {r.doc_id}: " + ", ".join(f"{c} {getattr(r, c + '_index'):+.2f}" for c in contrasts)
    for r in by_date.itertuples()) + ".")

# %% [markdown]
# ## 4. What the measures recover — and what they do not
#
# Before the measures were run, a careful reading of the five articles gave four
# expectations: Lobel (2022) is the most ideological; the Berlin Policy Journal (2015)
# piece is transactional, and more so than Lobel; Al Jazeera (2024) is the most
# credibility-framed; the Wall Street Journal (2024) leans more to deterrence than Al
# Jazeera. The seeds were chosen from the literature, not tuned to meet them. The result
# of each, with the pairwise test behind it:

# %%
by_doc = docs.set_index("doc_id") if is_study else None
pair = differences.set_index(["measure", "doc_a", "doc_b"]) if is_study else None
checks = pd.DataFrame([
    dict(expectation="lobel-2022 is the most ideological",
         met=by_doc["alliance_index"].idxmax() == "lobel-2022",
         evidence=f"most ideological: {by_doc['alliance_index'].idxmax()} "
                  f"({by_doc['alliance_index'].max():+.2f}); lobel-2022 {by_doc.loc['lobel-2022', 'alliance_index']:+.2f}"),
    dict(expectation="bpj-2015 is transactional",
         met=by_doc.loc["bpj-2015", "alliance_high"] < 0,
         evidence=f"{by_doc.loc['bpj-2015', 'alliance_index']:+.2f} [{by_doc.loc['bpj-2015', 'alliance_low']:+.2f}, "
                  f"{by_doc.loc['bpj-2015', 'alliance_high']:+.2f}]"),
    dict(expectation="bpj-2015 is more transactional than lobel-2022",
         met=by_doc.loc["bpj-2015", "alliance_index"] < by_doc.loc["lobel-2022", "alliance_index"],
         evidence="lobel − bpj = {diff:+.2f} [{diff_low:+.2f}, {diff_high:+.2f}], q = {q_value:.3f}".format(
             **pair.loc[("alliance_index", "lobel-2022", "bpj-2015")])),
    dict(expectation="aljazeera-2024 is the most credibility-framed",
         met=by_doc["force_index"].idxmax() == "aljazeera-2024",
         evidence=f"{by_doc.loc['aljazeera-2024', 'force_index']:+.2f} "
                  f"[{by_doc.loc['aljazeera-2024', 'force_low']:+.2f}, {by_doc.loc['aljazeera-2024', 'force_high']:+.2f}]; "
                  f"next: {by_doc['force_index'].drop('aljazeera-2024').max():+.2f}"),
    dict(expectation="wsj-2024 leans more to deterrence than aljazeera-2024",
         met=by_doc.loc["wsj-2024", "force_index"] < by_doc.loc["aljazeera-2024", "force_index"],
         evidence="wsj − aljazeera = {diff:+.2f} [{diff_low:+.2f}, {diff_high:+.2f}], q = {q_value:.3f}".format(
             **pair.loc[("force_index", "wsj-2024", "aljazeera-2024")])),
]) if is_study else pd.DataFrame(columns=["expectation", "met", "evidence"])
save_table(checks, paths, "frames_expectations")
table_show(checks)

# %%
if is_study:
    lobel_matches = scorer.dictionary_.match_table(
        corpus.paragraphs.loc[corpus.paragraphs["doc_id"] == "lobel-2022", "text"],
        corpus.paragraphs.loc[corpus.paragraphs["doc_id"] == "lobel-2022", "unit_id"])
    lobel_alliance = lobel_matches[lobel_matches["contrast"] == "alliance"]
    counted = lobel_alliance[~lobel_alliance["negated"]]["pole"].value_counts()
    negated = lobel_alliance[lobel_alliance["negated"]]["pole"].value_counts()
    ranks = {m: int(docs[f"z_{m}_alliance"].rank(ascending=False)[docs["doc_id"] == "lobel-2022"].iloc[0])
             for m in ("dict", "tfidf", "lss")}
    table_show(lobel_alliance[["unit_id", "term", "pole", "negated", "context"]])
    reading = Markdown(
        f"{int(checks['met'].sum())} of the {len(checks)} expectations are met. "
        + ("The one that fails is the first, and the reason is visible in the evidence of notebook 03. "
           if not checks["met"].iloc[0] else "")
        + f"In lobel-2022 the dictionary counts {counted.get('ideological', 0)} ideological and "
        f"{counted.get('transactional', 0)} transactional seed terms (and drops "
        f"{negated.get('transactional', 0)} negated transactional ones: 'neither recent nor transactional', "
        "'no quid pro quo', 'not transactional'; all listed above). The counted transactional terms are, "
        "in the author's text, the reading argued *against* — the conventional wisdom of 'a cynical, "
        "transactional' relationship and 'centuries of mistrust' — and side remarks: a 1995 US–Russian "
        "deal 'in exchange for' sanctions relief, partners that 'leveraged' their alliances. A "
        "word-counting measure cannot tell a frame used from a frame rejected outside an explicit "
        "negation. Lobel ranks "
        + ", ".join(f"{r} of {len(docs)} by the {m} measure" for m, r in ranks.items())
        + f"; its interval on the alliance index, [{by_doc.loc['lobel-2022', 'alliance_low']:+.2f}, "
        f"{by_doc.loc['lobel-2022', 'alliance_high']:+.2f}], is "
        + ("the widest of any article" if (by_doc["alliance_high"] - by_doc["alliance_low"]).idxmax() == "lobel-2022"
           else "among the widest")
        + " because its paragraphs pull both ways. The article that comes out most ideological, "
        f"{by_doc['alliance_index'].idxmax()}, owes its position to few paragraphs "
        f"(alliance salience {by_doc.loc[by_doc['alliance_index'].idxmax(), 'alliance_salience']:.2f}, against "
        f"{by_doc.loc['lobel-2022', 'alliance_salience']:.2f} for lobel-2022)."
    )
else:
    reading = Markdown("The study's articles are not in this corpus; the reading of the expectations is left out.")
reading

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
if is_study:
    a, f = by_doc["alliance_index"], by_doc["force_index"]
    q = differences.set_index(["measure", "doc_a", "doc_b"])["q_value"]
    n_sig = int((differences["q_value"] < 1 - config.CONFIDENCE).sum())
    others = by_doc.drop(index="bpj-2015")
    apart = (others["alliance_low"] > by_doc.loc["bpj-2015", "alliance_high"]).sum()
    widest = (by_doc["force_high"] - by_doc["force_low"]).idxmax()
    findings = Markdown(
        f"1. **The alliance contrast separates one article.** bpj-2015 frames the Russian–Iranian "
        f"alignment as a bargain ({a['bpj-2015']:+.2f} [{by_doc.loc['bpj-2015', 'alliance_low']:+.2f}, "
        f"{by_doc.loc['bpj-2015', 'alliance_high']:+.2f}]): 'a tactical marriage of convenience', 'a certain "
        "division of labor', Russia using the Islamic Republic 'as a bargaining chip'. The other four lie "
        f"between {others['alliance_index'].min():+.2f} and {others['alliance_index'].max():+.2f}; for "
        f"{apart} of them the interval lies wholly above bpj-2015's.\n\n"
        f"2. **The force contrast sets the two 2024 reports apart.** aljazeera-2024 is the credibility-framed "
        f"article ({f['aljazeera-2024']:+.2f}): Iran struck because 'their very credibility would be at "
        f"stake' and to 'show strength'. wsj-2024 is the deterrence-framed one ({f['wsj-2024']:+.2f} "
        f"[{by_doc.loc['wsj-2024', 'force_low']:+.2f}, {by_doc.loc['wsj-2024', 'force_high']:+.2f}]): "
        "retaliation avoided, plausible deniability, the balance of power. Their difference has "
        f"q = {q[('force_index', 'wsj-2024', 'aljazeera-2024')]:.3f} after Benjamini–Hochberg control"
        + (", below" if q[("force_index", "wsj-2024", "aljazeera-2024")] < 1 - config.CONFIDENCE else ", not below")
        + f" {1 - config.CONFIDENCE:.2f}. "
        f"The widest force interval is {widest}'s "
        f"([{by_doc.loc[widest, 'force_low']:+.2f}, {by_doc.loc[widest, 'force_high']:+.2f}]): a position "
        "carried by a few paragraphs is uncertain however strong they are.\n\n"
        f"3. **Evidence is thin.** {n_sig} of {len(differences)} pairwise article differences have "
        f"q < {1 - config.CONFIDENCE:.2f}. With {by_doc['n_units'].min()} to {by_doc['n_units'].max()} "
        "paragraphs per article and most paragraphs silent on a given contrast, the map shows leanings, "
        "not verdicts.\n\n"
        "4. **Lobel is the measures' failure, not the article's.** The most openly ideological argument in "
        f"the corpus ranks {int(a.rank(ascending=False)['lobel-2022'])} of {len(a)} on the ideological side "
        "because it quotes the transactional reading in order to reject it (section 4). Rebuttal without an explicit negation is a known limit of word-based "
        "framing measures; the combined index does not hide it, and the paragraph-level evidence in "
        "notebook 03 shows where it comes from."
    )
else:
    findings = Markdown("The study's articles are not in this corpus; the study's findings are left out. The "
                        "tables and figures above hold this corpus' results.")
findings
