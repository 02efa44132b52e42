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
# # 07 — Robustness: does each claim survive other reasonable choices?
#
# Notebook 06 checks the measures against hand coding, exemplars and each other. This
# notebook takes the claims about article positions — those of the corpus'
# `readings.toml` (for the study: its headline claims and the expectations of notebook
# 05), or, without one, that each article at an end of the framing map is the most
# framed towards that pole — and re-evaluates each under every specification of a grid
# of reasonable choices — preprocessing, unit of analysis, measure and measure
# parameters — and with each article left out of fitting in turn. This is a multiverse
# analysis (Steegen et al. 2016) drawn as a specification curve (Simonsohn, Simmons &
# Nelson 2020), with the preprocessing choices that Denny & Spirling (2018) show can
# change text-as-data results.
#
# Formulas and verdict rules are stated in the docstrings of `analysis/spec_grid.py` (the
# grid), `analysis/multiverse.py` (the runner) and `analysis/robustness.py` (the verdicts);
# every number below is computed in a cell.

# %% tags=["parameters"]
corpus_dir = None  # folder with metadata.csv and the texts; None = the study's corpus/
out_dir = None  # folder for results/; None = the repository
# The claims to test, as data: "more" (a lies further towards pole than b), "most" (a lies
# further towards pole than every other article), "leans" (a lies on pole's side of zero).
# None: the [[claim]] tables of the corpus' readings.toml, or the map's ends without one.
claims = None
topic_k = 8  # topics of the topic-based measure (NMF): the K notebook 04's rule chooses on the study corpus
progress = None  # progress bar of the sweep on stderr: None = only in a terminal, True = always

# %% tags=["hide-input"]
import pandas as pd
from IPython.display import Markdown, display

from analysis import config
from analysis.annotations import load_annotations
from analysis.claims import claims_split, parse_claims
from analysis.describe import corpus_size_notes, size_warning
from analysis.disk_cache import scorer_fitted, stored
from analysis.display import table_show
from analysis.frame_tables import doc_scores, unit_scores
from analysis.frames import FrameScorer
from analysis.inputs import study_inputs
from analysis.multiverse import leave_one_out, multiverse_run
from analysis.narrative import claims_default
from analysis.outputs import save_figure, save_table
from analysis.plots.validation import plot_specification_curves
from analysis.provenance import spec_hash, stamp, stamp_table
from analysis.readings import load_readings
from analysis.robustness import (REFERENCE_MEASURE, ROBUST_SHARE, SUPPORT_SHARE, claim_shares, loo_summary,
                                 robustness_verdicts, setting_effects, setting_shares)
from analysis.spec_grid import BASELINE, SETTINGS, VALUES, grid_summary, spec_grid
from analysis.spec_units import prepare
from analysis.summaries import verdicts_text
from analysis.topic_frames import TopicFrameScorer
from analysis.validation import MEASURE_LABELS, MEASURES, valid_measures, validation_table

pd.set_option("display.max_colwidth", None)
paths, corpus, codebook, exemplars, contrasts, poles = study_inputs(corpus_dir, out_dir)
annotations = load_annotations(corpus_dir, codebook, corpus.paragraphs["unit_id"])
has_codes = annotations is not None
readings = load_readings(corpus_dir, corpus.documents["doc_id"], codebook)

# The measures as notebook 06 fits them: with hand coding, the verdicts show the share of
# specifications among the measures that beat chance on it; without readings, the map's
# ends are the claims.
texts = corpus.paragraphs["text"].tolist()
if has_codes or (claims is None and not readings.claims):
    scorer = scorer_fitted(FrameScorer(codebook, exemplars=exemplars), texts)  # fitted once per run, in .cache/
    units = unit_scores(corpus.paragraphs, scorer)
if has_codes:
    units = pd.concat([units, TopicFrameScorer(codebook, n_components=topic_k).fit(texts).transform_frame(texts)],
                      axis=1)
    valid = valid_measures(validation_table(units, annotations.reconciled, codebook))
if claims is None:
    claims = claims_default(readings, None if readings.claims else doc_scores(units, contrasts), poles)
claim_list = parse_claims(claims, codebook)
kept, skipped = claims_split(claim_list, corpus.documents["doc_id"])
specs = spec_grid(baseline={"topic_k": topic_k})

# %% tags=["hide-input"]
# a plain warning where the corpus is too small for what follows (analysis.describe)
size_notes = corpus_size_notes(corpus.paragraphs, max_k=None)
if size_notes:  # nothing is shown for a corpus large enough
    display(Markdown(size_warning(size_notes, "the claims about articles and the leave-one-article-out refits "
                                              "below")))

# %% [markdown]
# ## Provenance
#
# The stamp of this run: hashes of the code, the corpus, the codebook and the study-wide
# settings, the seeds and the package versions. The report runner writes the same stamp,
# with the sha256 of every table and figure, to `results/MANIFEST.json`. The last line is
# the hash of this notebook's own settings (grid, baseline, claims, K).

# %%
table_show(pd.concat([stamp_table(stamp(corpus_dir)),
                      pd.DataFrame([{"item": "notebook_07_spec_sha256",
                                     "value": spec_hash({"values": VALUES, "baseline": BASELINE, "claims": claims,
                                                         "topic_k": topic_k})}])], ignore_index=True))

# %% [markdown]
# ## 1. The multiverse: does each claim survive other reasonable choices?
#
# A specification is one measure with one value of each setting that applies to it. The
# grid varies lowercasing, Snowball stemming, the stopword list (scikit-learn's English
# list or none), `min_df`, the n-gram range, the unit the measure is fitted on and
# aggregates (paragraph or sentence), and each measure's own parameters: the dictionary's
# smoothing, the LSS context and number of dimensions, the topic model's K. A setting that
# cannot change a measure is left empty for it rather than counted twice (e.g. the
# dictionary has no vocabulary, so `min_df` does not touch it; the Snowball stemmer
# lowercases, so "no lowercasing" is only varied without stemming for the bag-of-words
# measures). The study's own settings are the *baseline* of each measure; at the baseline
# the multiverse reproduces notebook 03's measures exactly (tested).
#
# A claim's **margin** is how far it holds, in standard deviations of the specification's
# paragraph (or sentence) positions; it holds when the margin is positive. Article
# positions are evidence-weighted means of their units, as in notebook 05.

# %%
table_show(grid_summary(specs))
Markdown(
    f"{len(specs)} specifications. Claims tested: {len(kept)} of {len(claim_list)}"
    + (". Skipped, because they name an article that is not in this corpus: "
       + "; ".join(c.label for c in skipped) if skipped else "")
    + "."
)

# %%
prepared = prepare(corpus.paragraphs, corpus.sentences, codebook, exemplars)
# computed once for this code and these inputs, and kept in .cache/ for the next run
results = stored("multiverse",
                 lambda: multiverse_run(prepared, specs, kept, random_state=config.SEED, progress=progress),
                 corpus.paragraphs, corpus.sentences, repr(codebook), exemplars, specs, repr(kept), repr(config.SEED))
save_table(results, paths, "multiverse")
settings_table = setting_shares(results)
shares = claim_shares(results, kept)
table_show(shares)

# %% [markdown]
# Share of specifications in which each claim holds, overall and per measure. A
# specification that cannot be fitted on this corpus (for example, LSS without stemming
# and with `min_df` = 2 when no seed word of a pole occurs twice in its listed form) does
# not count either way:

# %% tags=["hide-input"]
unfitted = results[~results["fitted"]].drop_duplicates(["spec_id", "claim"])
by_claim = unfitted.groupby("claim", sort=False)["spec_id"].nunique()
Markdown(("Specifications that cannot be fitted for a claim's contrast: "
          + ("; ".join(f"{claim}: {n} of {len(specs)}" for claim, n in by_claim.items()) or "none")
          + (" (" + "; ".join(f"{m}: {n}" for m, n in
                              unfitted.drop_duplicates("spec_id").groupby("measure", sort=False).size().items())
             + " specifications)" if len(unfitted) else "") + ".")
         if kept else "The sweep is not run: no claim can be tested on this corpus.")

# %%
if kept:
    axes = plot_specification_curves(results, [c.label for c in kept], ["measure", *SETTINGS])
    fig = axes[0, 0].figure
    save_figure(fig, paths, "multiverse_curve")

# %% [markdown]
# *Figure 1. Specification curves. Left, one strip per claim (C1, C2, … in the order of the
# claims table): every specification's margin, sorted (blue: the claim holds; red: it fails;
# ringed: the baseline of each measure). Right: for all specifications, and for each setting
# value, the percentage of the specifications using it in which each claim holds.*
#
# What does one preprocessing choice do on its own? Specifications are matched when they
# share the measure and every other setting and differ only in the one setting; `flips`
# counts the matched groups in which changing that setting alone changes whether the claim
# holds, and the shares compare its values over the matched specifications only (so that
# neither value is helped by the mix of measures it happens to appear with).

# %%
effects = setting_effects(results)
table_show(effects)

# %% [markdown]
# ## 2. Leave one article out
#
# Each measure's baseline specification is refitted without one article at a time —
# every article the claim does not name — and the refitted model scores all articles, so
# a "most" claim still compares every article. A refit that cannot be made (a pole's only
# seed terms in the vocabulary occur in the article left out) is reported as undefined.

# %%
# computed once for this code and these inputs, and kept in .cache/ for the next run
loo = stored("multiverse-loao",
             lambda: leave_one_out(prepared, specs[specs["baseline"]], kept, random_state=config.SEED, progress=progress),
             corpus.paragraphs, corpus.sentences, repr(codebook), exemplars, specs, repr(kept), repr(config.SEED))
save_table(loo, paths, "multiverse_loao")
table_show(loo_summary(loo))

# %% [markdown]
# ## 3. Verdicts: which claims are robust, which fragile, and why
#
# The rule, fixed before the sweep (`analysis/robustness.py`): a claim is **robust** when it
# holds in at least the share `ROBUST_SHARE` of the specifications that can be fitted and no
# leave-one-article-out refit of the study's own measure (`REFERENCE_MEASURE`, the combined
# index) reverses it; **fragile** when it holds in at least `SUPPORT_SHARE` but is not
# robust; **not supported** when it holds in fewer. With hand coding, the share among the
# measures whose polarity AUC on the claim's contrast is above chance is shown beside it:
# it says how much of the fragility comes from measures that the hand coding already
# shows to be invalid on that contrast. It informs the reading; the verdict uses every
# specification.

# %%
verdicts = robustness_verdicts(shares, loo, settings_table, effects, skipped=skipped)
if has_codes and kept:
    verdicts = verdicts.merge(claim_shares(results, kept, measures=valid)[["claim", "share"]]
                              .rename(columns={"share": "share_valid_measures"}), on="claim", how="left")
save_table(verdicts, paths, "multiverse_claims")
Markdown(f"Thresholds: robust ≥ {ROBUST_SHARE:.0%} of specifications and no reversal when an article is left "
         f"out of the {REFERENCE_MEASURE} index; fragile ≥ {SUPPORT_SHARE:.0%}.")

# %%
table_show(verdicts)

# %% tags=["hide-input"]
Markdown(verdicts_text(verdicts, [c.label for c in kept], REFERENCE_MEASURE, MEASURE_LABELS))

# %% [markdown]
# ## 4. What this means for the study
#
# Read the verdicts with the validation beside them. A claim that holds under every
# specification of the measures the hand coding supports, and fails only under a measure
# that the hand coding shows to be invalid on that contrast, is held back by that measure,
# not by the texts; a claim that fails under valid measures and reasonable preprocessing
# is fragile in the full sense. The leave-one-article-out refits ask a different question
# — whether a position depends on which other articles taught the model its vocabulary —
# and an undefined refit is itself a finding: a pole whose only seed words in the corpus
# come from one article is measured, for LSS, from that article alone.

# %% tags=["hide-input"]
if kept:
    by_verdict = verdicts[verdicts["claim"].isin([c.label for c in kept])].groupby("verdict", sort=False)["claim"]
    summary_lines = [f"- {v} ({len(cs)}): " + "; ".join(cs) for v, cs in by_verdict.apply(list).items()]
    tested = verdicts[verdicts["claim"].isin([c.label for c in kept])]
    weakest = tested["weakest_measure"].value_counts()
    invalid = {c: [m for m in MEASURES if m not in valid[c]] for c in contrasts} if has_codes else {}
    closing = Markdown(
        "\n".join(summary_lines)
        + f"\n\nThe measure under which a claim holds least often is, claim by claim: "
        + ", ".join(f"{MEASURE_LABELS.get(m, m)} for {n}" for m, n in weakest.items()) + "."
        + (" Measures the hand coding finds no better than chance on polarity: "
           + "; ".join(f"{c}: {', '.join(MEASURE_LABELS[m] for m in ms)}" for c, ms in invalid.items() if ms)
           + ". A claim that fails only under such a measure rests on the others, which the hand coding "
           "supports; a claim that also fails under the dictionary, the prototypes or LSS does not."
           if any(invalid.values()) else "")
        + (" Among the measures valid on their contrast, the claims that hold in at least "
           f"{ROBUST_SHARE:.0%} of specifications are: "
           + ("; ".join(tested.loc[tested["share_valid_measures"] >= ROBUST_SHARE, "claim"]) or "none")
           + "; those that hold in fewer than half: "
           + ("; ".join(tested.loc[tested["share_valid_measures"] < SUPPORT_SHARE, "claim"]) or "none") + "."
           if "share_valid_measures" in tested.columns else "")
    )
else:
    closing = Markdown("No claim could be tested on this corpus.")
closing
