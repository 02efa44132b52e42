"""The numbers the README reports are the numbers in the committed tables."""
import re

import pandas as pd
import pytest

from analysis import config
from analysis.combination import rule_choice

pytestmark = pytest.mark.study
TABLES = config.ROOT / "results" / "tables"
README = (config.ROOT / "README.md").read_text(encoding="utf-8")
NAMES = {"WSJ 2024": "wsj-2024", "Al Jazeera 2024": "aljazeera-2024", "Lobel 2022": "lobel-2022",
         "BPJ 2015": "bpj-2015"}


def table(name):
    return pd.read_csv(TABLES / f"{name}.csv")


def test_alpha_values():
    alpha = table("annotations").set_index("contrast")["alpha"]
    assert f"α = {alpha['alliance']:.2f} on the alliance contrast, {alpha['force']:.2f} on force" in README


def test_verdict_table_matches_multiverse():
    claims = table("multiverse_claims").set_index("claim")
    rows = re.findall(r"^\| (.+?) \| (\d+)% \| (robust|fragile|not supported) \|$", README, flags=re.MULTILINE)
    assert len(rows) == len(claims)
    for text, share, verdict in rows:
        for name, doc_id in NAMES.items():
            text = text.replace(name, doc_id)
        matches = [c for c in claims.index if _same_claim(text, c)]
        assert len(matches) == 1, text
        assert round(100 * claims.loc[matches[0], "share"]) == int(share)
        assert claims.loc[matches[0], "verdict"] == verdict


def _same_claim(readme_text, claim):
    ids = re.findall(r"[a-z]+-\d{4}", readme_text)
    pole = next(p for p in ("ideological", "transactional", "credibility", "deterrence") if p in readme_text)
    most = "most" in readme_text
    return (re.findall(r"[a-z]+-\d{4}", claim) == ids and pole in claim
            and (("furthest" in claim) == most))


def test_auc_values():
    v = table("validation").drop_duplicates(["contrast", "measure", "task"]).set_index(["contrast", "task", "measure"])["auc"]
    ci = table("validation_intervals").set_index(["contrast", "task", "measure"])
    text = " ".join(README.split())
    for c in ("alliance", "force"):
        low, high = ci.loc[(c, "polarity", "combined"), ["auc_low", "auc_high"]]
        n = int(ci.loc[(c, "polarity", "combined"), "n"])
        assert f"{v[c, 'polarity', 'combined']:.2f} [{low:.2f}, {high:.2f}] on {c} ({n}" in text
    assert (f"framed from unframed paragraphs with AUC {v['alliance', 'salience', 'combined']:.2f} and "
            f"{v['force', 'salience', 'combined']:.2f}") in text
    assert f"the dictionary alone ({v['alliance', 'polarity', 'dict']:.2f} and " \
           f"{v['force', 'polarity', 'dict']:.2f})" in text
    assert f"learns from the exemplars ({v['alliance', 'polarity', 'lss']:.2f})" in text
    assert f"prototypes and LSS reach {v['force', 'polarity', 'tfidf']:.2f} and {v['force', 'polarity', 'lss']:.2f}" \
        in text
    assert f"(dictionary AUC {v['force', 'polarity', 'dict']:.2f})" in text


def test_exemplar_figures():
    cv = table("exemplar_cv_summary").set_index(["contrast", "measures"])["polarity_auc"]
    diluted = table("exemplar_cv_diluted").set_index(["contrast", "measures"])["polarity_auc"]
    text = " ".join(README.split())
    assert (f"mean AUC {cv['alliance', 'sup']:.3f} (alliance) and {cv['force', 'sup']:.3f} (force)") in text
    assert f"supervised model at {diluted['alliance', 'sup']:.3f} and {diluted['force', 'sup']:.3f}" in text
    assert rule_choice(table("exemplar_cv_summary")) == {"alliance": ("sup",), "force": ("sup",)}
    assert "the combined index is the supervised model alone on both contrasts" in text
    ex = table("exemplar_cv").groupby("writer")["n"].first()
    assert f"wrote {ex.sum():,} coded paragraphs in three rounds" in text and len(ex) == 18 and "Eighteen writers" in text
    by_round = table("exemplar_cv_by_round").query("round == 3").set_index(["contrast", "measures"])["polarity_auc"]
    assert f"minimal pairs' writers alone it reaches {by_round['alliance', 'sup']:.3f} and " \
           f"{by_round['force', 'sup']:.3f}" in text
    recoded = table("exemplar_recoding_agreement").set_index("contrast")["alpha"]
    assert f"(Krippendorff's α = {recoded['alliance']:.2f} on alliance, {recoded['force']:.2f} on force;" in text
    pairs = table("exemplar_pair_consistency").query("measure == 'sup' and task == 'polarity' and edit == 'stance'")
    share = pairs.set_index("contrast")["consistency"]
    assert f"it orders {100 * share['alliance']:.1f}% (alliance) and {100 * share['force']:.1f}% (force) the right way" \
        in text


def test_round_comparison():
    r = table("validation_by_round").query("measure == 'combined' and task == 'polarity'").set_index("contrast")
    text = " ".join(README.split())
    assert (f"round 1 alone, the combined index reaches {r.loc['alliance', 'round 1 only']:.2f} on alliance and "
            f"{r.loc['force', 'round 1 only']:.2f} on force; on every round, {r.loc['alliance', 'all rounds']:.2f} "
            f"and {r.loc['force', 'all rounds']:.2f}; on rounds 1–2, {r.loc['alliance', 'rounds 1–2']:.2f} and "
            f"{r.loc['force', 'rounds 1–2']:.2f}") in text


def test_article_rank_correlations():
    pos = table("validation_positions").dropna(subset=["hand_index"])
    words = {4: "four", 5: "five"}
    text = " ".join(README.split())
    for c, part in pos.groupby("contrast"):
        rho = part["hand_index"].corr(part["measured_index"], method="spearman")
        assert f"ρ = {rho:.2f} over {words[len(part)]} articles".replace("-", "−") in text


def test_article_positions_quoted():
    docs = table("doc_scores").set_index("doc_id")
    text = " ".join(README.split())
    assert f"leans transactional ({docs.loc['bpj-2015', 'alliance_index']:+.2f}".replace("-", "−") in text
    assert f"as the most *transactional* article ({docs.loc['lobel-2022', 'alliance_index']:+.2f})".replace("-", "−") \
        in text
    assert docs["alliance_index"].idxmin() == "lobel-2022"
    assert f"most ideological ({docs.loc['times-2025', 'alliance_index']:+.2f})" in text
    assert docs["alliance_index"].idxmax() == "times-2025" and docs["force_index"].idxmax() == "aljazeera-2024"


def test_specification_counts():
    m = table("multiverse")
    fitted = m.groupby("claim")["fitted"].sum()
    text = " ".join(README.split())
    alliance = {int(fitted[c]) for c in fitted.index if "transactional" in c or "ideological" in c}
    force = {int(fitted[c]) for c in fitted.index if "credibility" in c or "deterrence" in c}
    assert len(alliance) == len(force) == 1
    n_specs = m["spec_id"].nunique()
    assert f"{alliance.pop()} of {n_specs} for the alliance claims, {force.pop()} for force" in text
    combined = m[m["measure"] == "combined"].set_index("claim")["holds"]
    assert not combined.loc["lobel-2022 leans further to ideological than bpj-2015"].astype(bool).any()
    assert f"a {n_specs}-specification multiverse" in text
    claims = table("multiverse_claims").set_index("claim")
    share = claims.loc["lobel-2022 leans further to ideological than bpj-2015", "share_valid_measures"]
    assert f"holds in {100 * share:.0f}% of the specifications of the measures that beat chance" in text


def test_learning_curve_values():
    curve = table("validation_learning_curve")
    text = " ".join(README.split())
    first = curve[curve["share"] == curve["share"].min()].set_index("contrast")
    last = curve[curve["share"] == curve["share"].max()].set_index("contrast")
    assert (f"polarity AUC went from {first.loc['alliance', 'polarity_auc']:.2f} to "
            f"{last.loc['alliance', 'polarity_auc']:.2f} on alliance and from {first.loc['force', 'polarity_auc']:.2f} "
            f"to {last.loc['force', 'polarity_auc']:.2f} on force") in text
    presence = curve["presence_auc"]
    assert presence.between(0.76, 0.80).all()  # "presence stayed near 0.78"
