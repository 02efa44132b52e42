"""Paragraphs that summarise a computed table, one function per paragraph a notebook shows.

Each function takes the table the paragraph describes and returns Markdown; it names no
article, so the same notebook reads any corpus (the study's readings, checked against
expectations, are :mod:`analysis.narrative`).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from .display import signed_text
from .keyness import is_key

#: |z| beyond which a Fightin' Words term is drawn outside the guide lines (a 95% normal bound).
Z_GUIDE = 1.96


def keyness_caveat(summary: pd.DataFrame, n_par: pd.Series, n_perm: int) -> str:
    """What the per-term keyness tests can and cannot show (notebook 02).

    ``summary`` has per contrast ``group``, ``terms_tested``, ``key`` (terms key by the
    per-term rule) and ``key_after_bh``; ``n_par`` the paragraphs of each article.

    Examples
    --------
    >>> s = pd.DataFrame({"group": ["a", "b"], "terms_tested": [10, 12], "key": [1, 3], "key_after_bh": [0, 2]})
    >>> keyness_caveat(s, pd.Series({"a": 4, "b": 9}), 999)[:90]
    'Each contrast tests 10 to 12 terms. By the per-term rule, between 1 and 3 terms are key pe'
    """
    tested = summary["terms_tested"]
    return (
        f"Each contrast tests {tested.min()}"
        + (f" to {tested.max()}" if tested.nunique() > 1 else "")
        + " terms. By the per-term rule, between "
        f"{summary['key'].min()} and {summary['key'].max()} terms are key per contrast; after "
        f"Benjamini–Hochberg correction, {int(summary['key_after_bh'].sum())} are"
        + (f", all of them in {', '.join(summary.loc[summary['key_after_bh'] > 0, 'group'])}. "
           if summary["key_after_bh"].sum() else ". ")
        + f"With {n_perm:,} permutations the smallest attainable p is "
        f"1/{n_perm + 1:,} = {1 / (n_perm + 1):.5f}, and a single article offers "
        f"{n_par.min()} to {n_par.max()} paragraphs: one-article contrasts cannot give multiplicity-proof evidence "
        "about individual words. The per-term results below are therefore descriptions of "
        "each article's vocabulary, screened for chance, not confirmed findings."
    )


def fightin_words_text(keyness: pd.DataFrame) -> str:
    """How Fightin' Words z-scores and the paragraph permutation rule agree (notebook 02).

    ``keyness`` is :func:`analysis.keyness.keyness_table`'s output (``group``,
    ``reference``, ``term``, ``fw_z``, ``count_target``, ``count_reference``, ``p_perm``
    and the columns :func:`analysis.keyness.is_key` reads).
    """
    beyond = (keyness.assign(beyond=keyness["fw_z"].abs() >= Z_GUIDE)
              .groupby(["group", "reference"], sort=False)["beyond"].sum())
    top_z = keyness.loc[keyness.groupby(["group", "reference"], sort=False)["fw_z"].idxmax()]
    total = keyness["count_target"] + keyness["count_reference"]
    outside = keyness["fw_z"].abs() >= Z_GUIDE
    keyed = is_key(keyness)
    # how far a rare term can get: the largest z of the terms seen exactly 3 and 5 times (when any is)
    rare = {n: keyness.loc[total == n, "fw_z"].max() for n in (3, 5) if (total == n).any()}
    return (
        ("In these contrasts " + " and ".join(f"a term seen {n} times reaches at most z = {z:.2f}"
                                              for n, z in rare.items()) + ". " if rare else "")
        + "Terms with |z| ≥ 1.96 per contrast: "
        + "; ".join(f"{g} vs {r}: {n}" for (g, r), n in beyond.items()) + ". "
        "The strongest term of each contrast: "
        + "; ".join(f"{row.group} — *{row.term}* (z = {row.fw_z:.2f}, {row.count_target} vs "
                    f"{row.count_reference})" for row in top_z.itertuples()) + ". "
        f"Of the {int(outside.sum())} terms beyond the guide lines, "
        f"{int((outside & (keyness['p_perm'] < 0.05)).sum())} also have a paragraph permutation "
        f"p below 0.05; of the {int(keyed.sum())} key terms by the paragraph rule, only "
        f"{int((keyed & outside).sum())} reach z ≥ 1.96. The two agree on the strongest words and "
        "part ways on the rare ones, where the z is deliberately cautious."
    )


def positions_text(docs: pd.DataFrame, contrasts: Sequence[str], poles: Mapping[str, tuple[str, str]]) -> str:
    """Each contrast's articles from one end to the other, with intervals (notebook 05).

    ``docs`` has ``doc_id`` and per contrast ``<c>_index``, ``<c>_low`` and ``<c>_high``.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["x", "y"], "force_index": [0.5, -0.2], "force_low": [0.1, -0.6],
    ...                   "force_high": [0.9, 0.3]})
    >>> print(positions_text(d, ["force"], {"force": ("deterrence", "credibility")}))
    On **force**, from the deterrence end to the credibility end: y (-0.20 [-0.60, +0.30]), x (+0.50 [+0.10, +0.90]). 1 of 2 intervals exclude zero: x.
    """
    lines = []
    for c in contrasts:
        ranked = docs.dropna(subset=[f"{c}_index"]).sort_values(f"{c}_index")
        clear = ranked[(ranked[f"{c}_high"] < 0) | (ranked[f"{c}_low"] > 0)]
        lines.append(
            f"On **{c}**, from the {poles[c][0]} end to the {poles[c][1]} end: "
            + ", ".join(f"{r.doc_id} ({signed_text(getattr(r, c + '_index'))} [{signed_text(getattr(r, c + '_low'))}, "
                        f"{signed_text(getattr(r, c + '_high'))}])" for r in ranked.itertuples())
            + f". {len(clear)} of {len(ranked)} intervals exclude zero"
            + (": " + ", ".join(clear["doc_id"]) if len(clear) else "") + "."
        )
    return "\n\n".join(lines)


def verdicts_text(verdicts: pd.DataFrame, claims: Sequence[str], reference_measure: str,
                  measure_labels: Mapping[str, str]) -> str:
    """One line per claim: its verdict and what it rests on (notebook 07).

    ``verdicts`` is :func:`analysis.robustness.robustness_verdicts`' table, with the
    leave-one-article-out columns of :func:`analysis.robustness.loo_summary` and, when
    the measures were validated, ``share_valid_measures``; ``claims`` the labels to report.
    """
    lines = []
    for r in verdicts[verdicts["claim"].isin(list(claims))].itertuples():
        valid_part = (f"; among the measures valid on its contrast, {r.share_valid_measures:.0%}"
                      if "share_valid_measures" in verdicts.columns and r.share_valid_measures == r.share_valid_measures
                      else "")
        loo_part = (f"the {reference_measure} index refitted without each other article holds it in {r.loo_held} of "
                    f"{r.loo_evaluated} refits"
                    + (f" (reversed without {r.loo_breaking})" if r.loo_breaking else "")
                    + (f" (cannot be refitted without {r.loo_undefined})" if r.loo_undefined else ""))
        lines.append(f"- **{r.claim}: {r.verdict}.** It holds in {r.share:.0%} of the specifications{valid_part}; "
                     f"{loo_part}. It holds least often under the "
                     f"{measure_labels.get(r.weakest_measure, r.weakest_measure)} "
                     f"measure ({r.weakest_measure_share:.0%}); "
                     + (f"changing {r.setting} alone flips it in {r.flips} of {r.matched} matched groups of "
                        f"specifications ({r.setting_low}: {r.setting_low_share:.0%}, {r.setting_high}: "
                        f"{r.setting_high_share:.0%})." if r.flips else "no single preprocessing change flips it."))
    return "\n".join(lines) if lines else "No claim names articles of this corpus; there is nothing to judge."


def coding_text(reliability: pd.DataFrame, n_coded: int, n_paragraphs: int) -> str:
    """How far the two coding passes agree (notebook 06).

    ``reliability`` is :func:`analysis.annotations.annotation_reliability`'s table.

    Examples
    --------
    >>> r = pd.DataFrame({"contrast": ["force"], "units": [20], "agreement": [0.95], "alpha": [0.9],
    ...                   "alpha_framed": [1.0], "disagreements": [1]})
    >>> coding_text(r, 20, 30)[:109]
    "20 of the corpus' 30 paragraphs are coded. Krippendorff's α (nominal) between the two passes: **force 0.900**"
    """
    return (
        f"{n_coded} of the corpus' {n_paragraphs} paragraphs are coded. "
        "Krippendorff's α (nominal) between the two passes: "
        + "; ".join(f"**{r.contrast} {r.alpha:.3f}** ({r.agreement:.0%} identical codes, {r.disagreements} "
                    f"disagreements in {r.units} paragraphs; α on 'speaks to the contrast or not' "
                    f"{r.alpha_framed:.3f})" for r in reliability.itertuples())
        + ". By Krippendorff's (2004) rule of thumb, α ≥ 0.8 supports conclusions and 0.667 ≤ α < 0.8 "
        "tentative ones — but read these values as upper bounds, for the reason given above."
    )


def window_text(positions: pd.DataFrame, matches: pd.DataFrame, aucs: pd.DataFrame,
                positive: Mapping[str, str], window: int) -> str:
    """What counting seeds only near a target word changes, per contrast (notebook 06).

    The three tables are :func:`analysis.target_window.target_window_effect`'s
    (article positions, seed matches kept, paragraph AUCs); ``positive`` names each
    contrast's positive pole.
    """
    from .metrics import rank_correlation, rho_text

    lines = []
    for c, part in positions.groupby("contrast", sort=False):
        rho_all = rho_text(*rank_correlation(part["hand_index"], part["measured_index"]))
        rho_win = rho_text(*rank_correlation(part["hand_index"], part["window_index"]))
        top = part.loc[part["window_index"].idxmax()]
        counts = matches[matches["contrast"] == c]
        dropped = ", ".join(f"{r.doc_id} {r.kept} of {r.seeds} {r.pole}" for r in counts.itertuples()
                            if r.kept < r.seeds)
        auc_of = aucs[aucs["contrast"] == c].set_index("measure")
        lines.append(
            f"**{c}**, seeds within {window} words of a target: article-level Spearman's {rho_all} with "
            f"the hand coding → {rho_win}; paragraph-level polarity AUC of the combined index "
            f"{auc_of.loc['combined', 'auc_all']:.2f} → {auc_of.loc['combined', 'auc_window']:.2f} (dictionary "
            f"{auc_of.loc['dict', 'auc_all']:.2f} → {auc_of.loc['dict', 'auc_window']:.2f}). The most {positive[c]} "
            f"article becomes {top.doc_id} ({top.window_index:+.2f}). Seed matches kept (of those not negated): "
            f"{dropped}."
        )
    return "\n\n".join(lines)


def agreement_text(agreement: pd.DataFrame, alphas: Mapping[str, float], framed: Mapping[str, int], framed_by: str,
                   index_measures: Mapping[str, Sequence[str]], measure_labels: Mapping[str, str]) -> str:
    """How far the measures agree with one another (notebook 06).

    ``agreement`` is :func:`analysis.agreement.agreement_table`'s table; ``alphas`` the
    measures' Krippendorff α per contrast (:func:`analysis.agreement.measures_alpha`),
    ``framed`` the framed paragraphs per contrast and ``framed_by`` how they were told.
    """
    pairs = agreement[agreement["measure_a"] < agreement["measure_b"]]
    n_measures = len(set(agreement["measure_a"]) | set(agreement["measure_b"]))
    return (
        f"Framed paragraphs ({framed_by}): "
        + "; ".join(f"{c} {n}" for c, n in framed.items()) + ". "
        + " ".join(f"On {c}, pairwise agreement ranges from {p['share'].min():.0%} "
                   f"({p.loc[p['share'].idxmin(), 'measure_a']}–{p.loc[p['share'].idxmin(), 'measure_b']}) to "
                   f"{p['share'].max():.0%} ({p.loc[p['share'].idxmax(), 'measure_a']}–"
                   f"{p.loc[p['share'].idxmax(), 'measure_b']}); where both take a side, from "
                   f"{p['share_sided'].min():.0%} to {p['share_sided'].max():.0%}; α over the {n_measures} measures "
                   f"{alphas[c]:.2f}."
                   for c, p in pairs.groupby("contrast", sort=False))
        + " The combined index is built from "
        + "; ".join(f"{' + '.join(measure_labels[m] for m in ms)} on {c}" for c, ms in index_measures.items())
        + ", so its agreement with those is partly by construction; the informative pairs are those between "
        "independent measures."
    )


def k_choice_text(summary: pd.DataFrame, chosen: pd.DataFrame, threshold: float) -> str:
    """Which K the stability rule admits and chooses for each topic model (notebook 04).

    ``summary`` is :func:`analysis.topics.sweep_summary`'s table (``model``, ``k``,
    ``stability_mean``, ``npmi_mean``) and ``chosen`` the rule's choice per model
    (``model``, ``k``, ``stability``, ``npmi``).
    """
    admissible = summary[summary["stability_mean"] >= threshold].groupby("model")["k"].apply(list)
    pick = chosen.set_index("model")
    npmi = summary.groupby("model")["npmi_mean"].agg(["min", "max"])
    return (
        f"Stability threshold {threshold}. Admissible K — LDA: {admissible.get('lda', [])}; "
        f"NMF: {admissible.get('nmf', [])}. "
        f"The rule chooses **K = {pick.loc['lda', 'k']} for LDA** (stability {pick.loc['lda', 'stability']:.2f}, "
        f"NPMI {pick.loc['lda', 'npmi']:.3f}) and **K = {pick.loc['nmf', 'k']} for NMF** "
        f"(stability {pick.loc['nmf', 'stability']:.2f}, NPMI {pick.loc['nmf', 'npmi']:.3f}). "
        f"Across K, LDA's mean NPMI lies between {npmi.loc['lda', 'min']:.3f} and {npmi.loc['lda', 'max']:.3f}, "
        f"NMF's between {npmi.loc['nmf', 'min']:.3f} and {npmi.loc['nmf', 'max']:.3f}; an NPMI near 0 "
        "means a topic's top words share paragraphs about as often as independent words would."
    )


def communities_text(communities: Sequence[Sequence[int]], labels: Mapping[int, str], by_community: pd.DataFrame,
                     n_units: int, n_topics: int) -> str:
    """The topic network's communities and the pole closest to each (notebook 04).

    ``communities`` lists each community's topics, ``labels`` names each topic, and
    ``by_community`` is :func:`analysis.topics.community_alignment`'s table
    (``community``, ``pole``, ``cosine``).

    Examples
    --------
    >>> a = pd.DataFrame({"community": [1, 1], "pole": ["ideological", "deterrence"], "cosine": [0.2, 0.3]})
    >>> communities_text([[1, 2]], {1: "oil", 2: "gas"}, a, 40, 2)[:95]
    'Louvain finds 1 community among 2 topics: community 1 = T1 (oil), T2 (gas). Closest pole per co'
    """
    top_pole = by_community.sort_values("cosine", ascending=False).groupby("community").head(1).sort_values("community")
    return (
        f"Louvain finds {len(communities)} {'community' if len(communities) == 1 else 'communities'} "
        f"among {n_topics} topics: "
        + "; ".join(f"community {c + 1} = " + ", ".join(f"T{t} ({labels[t]})" for t in members)
                    for c, members in enumerate(communities))
        + ". Closest pole per community: "
        + "; ".join(f"{r.community}: {r.pole} ({r.cosine:.2f})" for r in top_pole.itertuples())
        + f". With {n_units} paragraphs and {n_topics} topics, these communities "
        "are a way to read the topics together, not evidence of frames on their own; the codebook "
        "measures in the other notebooks are the test."
    )


def stance_pairs_text(consistency: pd.DataFrame, contrasts: Sequence[str], labels: Mapping[str, str]) -> str:
    """How often each measure orders the stance twins of an unseen writer the right way.

    ``consistency`` is :func:`analysis.combination.pair_consistency`'s table; its
    ``stance`` rows of the polarity task are read, measures in ``labels``' order.

    Examples
    --------
    >>> t = pd.DataFrame({"contrast": ["force", "force"], "measure": ["dict", "sup"], "task": ["polarity"] * 2,
    ...                   "edit": ["stance"] * 2, "pairs": [10, 10], "consistency": [0.7, 0.95]})
    >>> stance_pairs_text(t, ["force"], {"dict": "dictionary", "sup": "supervised"})
    'Share of the stance twins (the same frame words under another stance; 10 pairs on force) whose polarity each measure orders the right way: dictionary 70% (force); supervised 95% (force).'
    """
    stance = consistency[(consistency["edit"] == "stance") & (consistency["task"] == "polarity")]
    shares = stance.set_index(["measure", "contrast"])["consistency"]
    n_pairs = stance.groupby("contrast", sort=False)["pairs"].first()
    parts = [f"{label} " + ", ".join(f"{shares[m, c]:.0%} ({c})" for c in contrasts if (m, c) in shares)
             for m, label in labels.items() if any((m, c) in shares for c in contrasts)]
    return ("Share of the stance twins (the same frame words under another stance; "
            + ", ".join(f"{n} pairs on {c}" for c, n in n_pairs.items())
            + ") whose polarity each measure orders the right way: " + "; ".join(parts) + ".")
