"""Tests for analysis.summaries: paragraphs that describe a table, checked on toy tables."""
from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.summaries import fightin_words_text, keyness_caveat, positions_text, verdicts_text


def test_keyness_caveat_states_the_range_of_tests_and_the_smallest_p():
    summary = pd.DataFrame({"group": ["a", "b", "c"], "terms_tested": [10, 10, 10], "key": [0, 2, 5],
                            "key_after_bh": [0, 0, 1]})
    text = keyness_caveat(summary, pd.Series({"a": 3, "b": 7, "c": 5}), 99)
    assert text.startswith("Each contrast tests 10 terms. By the per-term rule, between 0 and 5 terms are key")
    assert "after Benjamini–Hochberg correction, 1 are, all of them in c. " in text
    assert "smallest attainable p is 1/100 = 0.01000" in text
    assert "a single article offers 3 to 7 paragraphs" in text
    none = keyness_caveat(summary.assign(key_after_bh=0), pd.Series({"a": 3}), 99)
    assert "correction, 0 are. With 99 permutations" in none


def _keyness():
    # two contrasts; counts chosen so that totals of 3 and 5 occur
    return pd.DataFrame({
        "group": ["a", "a", "a", "b", "b"], "reference": ["rest"] * 5, "term": ["oil", "gas", "war", "oil", "tea"],
        "fw_z": [2.5, -0.4, 1.0, 1.5, -2.2], "count_target": [3, 1, 4, 2, 0], "count_reference": [0, 2, 1, 1, 5],
        "p_perm": [0.01, 0.8, 0.2, 0.3, 0.04], "q_bh": [0.05, 0.9, 0.4, 0.5, 0.1],
        "log_ratio": [1.0, -0.5, 0.5, 0.6, -1.5],
    })


def test_fightin_words_text_counts_terms_beyond_the_guides_by_hand():
    text = fightin_words_text(_keyness())
    # totals: oil 3 (z 2.5) and 3 (z 1.5), gas 3, war 5, tea 5 → at most 2.50 at 3, 1.00 at 5
    assert text.startswith("In these contrasts a term seen 3 times reaches at most z = 2.50 and a term seen 5 "
                           "times reaches at most z = 1.00. ")
    assert "Terms with |z| ≥ 1.96 per contrast: a vs rest: 1; b vs rest: 1. " in text
    assert "a — *oil* (z = 2.50, 3 vs 0); b — *oil* (z = 1.50, 2 vs 1)" in text
    assert "Of the 2 terms beyond the guide lines, 2 also have a paragraph permutation p below 0.05; of the 1 key " \
           "terms by the paragraph rule, only 1 reach z ≥ 1.96." in text


def test_positions_text_orders_articles_and_names_clear_intervals():
    docs = pd.DataFrame({"doc_id": ["x", "y", "z"], "alliance_index": [0.4, np.nan, -0.3],
                         "alliance_low": [-0.1, np.nan, -0.5], "alliance_high": [0.8, np.nan, -0.05]})
    text = positions_text(docs, ["alliance"], {"alliance": ("transactional", "ideological")})
    assert text == ("On **alliance**, from the transactional end to the ideological end: "
                    "z (-0.30 [-0.50, -0.05]), x (+0.40 [-0.10, +0.80]). 1 of 2 intervals exclude zero: z.")


def _verdicts(**over):
    row = dict(claim="x leans to p", verdict="robust", share=0.9, loo_held=3, loo_evaluated=4, loo_breaking="y",
               loo_undefined="", weakest_measure="lss", weakest_measure_share=0.5, setting="stem", flips=2,
               matched=6, setting_low="False", setting_low_share=0.4, setting_high="True", setting_high_share=0.95)
    row.update(over)
    return pd.DataFrame([row])


def test_verdicts_text_says_what_each_verdict_rests_on():
    text = verdicts_text(_verdicts(), ["x leans to p"], "combined", {"lss": "LSS"})
    assert text == ("- **x leans to p: robust.** It holds in 90% of the specifications; the combined index refitted "
                    "without each other article holds it in 3 of 4 refits (reversed without y). It holds least often "
                    "under the LSS measure (50%); changing stem alone flips it in 2 of 6 matched groups of "
                    "specifications (False: 40%, True: 95%).")
    steady = verdicts_text(_verdicts(flips=0, share_valid_measures=0.75), ["x leans to p"], "combined", {})
    assert "; among the measures valid on its contrast, 75%;" in steady
    assert steady.endswith("under the lss measure (50%); no single preprocessing change flips it.")
    assert verdicts_text(_verdicts(), ["another claim"], "combined", {}) == \
        "No claim names articles of this corpus; there is nothing to judge."


def test_coding_text_reports_alpha_per_contrast():
    from analysis.summaries import coding_text

    r = pd.DataFrame({"contrast": ["alliance", "force"], "units": [50, 50], "agreement": [0.9, 1.0],
                      "alpha": [0.812, 1.0], "alpha_framed": [0.7, 1.0], "disagreements": [5, 0]})
    text = coding_text(r, 50, 80)
    assert text.startswith("50 of the corpus' 80 paragraphs are coded. ")
    assert ("**alliance 0.812** (90% identical codes, 5 disagreements in 50 paragraphs; α on 'speaks to the "
            "contrast or not' 0.700); **force 1.000**") in text


def test_window_text_compares_the_measures_with_and_without_the_window():
    from analysis.summaries import window_text

    positions = pd.DataFrame({"contrast": "alliance", "doc_id": ["a", "b", "c"], "hand_index": [-1.0, 0.0, 1.0],
                              "measured_index": [-0.5, 0.1, 0.4], "window_index": [-0.2, 0.3, 0.1]})
    matches = pd.DataFrame({"contrast": "alliance", "doc_id": ["a", "b"], "pole": "ideological", "seeds": [4, 2],
                            "kept": [1, 2]})
    aucs = pd.DataFrame({"contrast": "alliance", "measure": ["combined", "dict"], "auc_all": [0.7, 0.8],
                         "auc_window": [0.65, 0.9]})
    text = window_text(positions, matches, aucs, {"alliance": "ideological"}, 10)
    assert text == ("**alliance**, seeds within 10 words of a target: article-level Spearman's ρ = 1.00 over 3 "
                    "articles with the hand coding → ρ = 0.50 over 3 articles; paragraph-level polarity AUC of the "
                    "combined index 0.70 → 0.65 (dictionary 0.80 → 0.90). The most ideological article becomes b "
                    "(+0.30). Seed matches kept (of those not negated): a 1 of 4 ideological.")


def test_agreement_text_names_the_least_and_most_agreeing_pairs():
    from analysis.summaries import agreement_text

    agreement = pd.DataFrame({"contrast": "force", "measure_a": ["dict", "dict", "lss", "lss", "sup", "sup"],
                              "measure_b": ["lss", "sup", "dict", "sup", "dict", "lss"],
                              "share": [0.5, 0.8, 0.5, 0.6, 0.8, 0.6], "share_sided": [0.7, 0.9, 0.7, 0.75, 0.9, 0.75]})
    text = agreement_text(agreement, {"force": 0.41}, {"force": 12}, "by hand", {"force": ("sup",)},
                          {"sup": "supervised"})
    assert text == ("Framed paragraphs (by hand): force 12. On force, pairwise agreement ranges from 50% (dict–lss) "
                    "to 80% (dict–sup); where both take a side, from 70% to 90%; α over the 3 measures 0.41. The "
                    "combined index is built from supervised on force, so its agreement with those is partly by "
                    "construction; the informative pairs are those between independent measures.")


def test_k_choice_text_lists_admissible_and_chosen_k():
    from analysis.summaries import k_choice_text

    summary = pd.DataFrame({"model": ["lda", "lda", "nmf", "nmf"], "k": [2, 3, 2, 3],
                            "stability_mean": [0.9, 0.5, 0.8, 0.85], "npmi_mean": [0.01, 0.02, -0.01, 0.05]})
    chosen = pd.DataFrame({"model": ["lda", "nmf"], "k": [2, 3], "stability": [0.9, 0.85], "npmi": [0.01, 0.05]})
    text = k_choice_text(summary, chosen, 0.6)
    assert text.startswith("Stability threshold 0.6. Admissible K — LDA: [2]; NMF: [2, 3]. The rule chooses "
                           "**K = 2 for LDA** (stability 0.90, NPMI 0.010) and **K = 3 for NMF** (stability 0.85, "
                           "NPMI 0.050). Across K, LDA's mean NPMI lies between 0.010 and 0.020, NMF's between "
                           "-0.010 and 0.050")


def test_communities_text_names_each_community_and_its_closest_pole():
    from analysis.summaries import communities_text

    alignment = pd.DataFrame({"community": [1, 1, 2, 2], "pole": ["ideological", "deterrence"] * 2,
                              "cosine": [0.2, 0.3, 0.25, 0.1]})
    text = communities_text([[1, 3], [2]], {1: "oil, gas", 2: "axis", 3: "drones"}, alignment, 50, 3)
    assert text.startswith("Louvain finds 2 communities among 3 topics: community 1 = T1 (oil, gas), T3 (drones); "
                           "community 2 = T2 (axis). Closest pole per community: 1: deterrence (0.30); "
                           "2: ideological (0.25). With 50 paragraphs and 3 topics,")


def test_stance_pairs_text_skips_measures_and_contrasts_without_pairs():
    from analysis.summaries import stance_pairs_text

    t = pd.DataFrame({"contrast": ["alliance", "force", "alliance", "force"], "measure": ["sup", "sup", "lss", "sup"],
                      "task": ["polarity", "polarity", "polarity", "presence"],
                      "edit": ["stance", "stance", "stance", "stance"], "pairs": [4, 6, 4, 3],
                      "consistency": [1.0, 0.5, 0.25, 0.9]})
    text = stance_pairs_text(t, ["alliance", "force"], {"dict": "dictionary", "lss": "LSS", "sup": "supervised"})
    assert text == ("Share of the stance twins (the same frame words under another stance; 4 pairs on alliance, "
                    "6 pairs on force) whose polarity each measure orders the right way: LSS 25% (alliance); "
                    "supervised 100% (alliance), 50% (force).")
