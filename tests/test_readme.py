"""The numbers the README reports are the numbers in the committed tables."""
import re

import pandas as pd
import pytest

from analysis import config

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
    assert f"AUC {v['force', 'polarity', 'combined']:.2f}" in README
    assert (f"(dictionary {v['force', 'polarity', 'dict']:.2f}, TF-IDF prototypes {v['force', 'polarity', 'tfidf']:.2f}, "
            f"latent semantic scaling {v['force', 'polarity', 'lss']:.2f})") in README
    assert f"AUC {v['alliance', 'polarity', 'combined']:.2f} for the" in README
    assert f"(AUC {v['alliance', 'polarity', 'topic']:.2f})" in README
    row = table("validation").query("contrast == 'alliance' and measure == 'dict' and `class` == 'transactional'").iloc[0]
    assert f"the dictionary finds {int(row.tp)} of {int(row.n_class)})" in " ".join(README.split())


def test_article_rank_correlations():
    pos = table("validation_positions")
    rho = {c: part["hand_index"].corr(part["measured_index"], method="spearman") for c, part in pos.groupby("contrast")}
    assert f"ρ = {rho['force']:.2f} over five articles" in README
    assert f"(ρ = {rho['alliance']:.2f})".replace("-", "−") in README


def test_target_window_sentence():
    pos = table("validation_target_window")
    rho = pos["hand_index"].corr(pos["window_index"], method="spearman")
    top = pos.loc[pos["window_index"].idxmax()]
    lobel = pos.set_index("doc_id").loc["lobel-2022", "window_index"]
    text = " ".join(README.split())
    assert f"ρ = {rho:.2f}".replace("-", "−") in text
    assert f"Al Jazeera 2024 ({top.window_index:+.2f}) now the most ideological" in text and top.doc_id == "aljazeera-2024"
    assert f"Lobel 2022 at {lobel:+.2f}" in text
    seeds = table("validation_target_window_matches").set_index(["doc_id", "pole"])
    times, bpj = seeds.loc[("times-2025", "ideological")], seeds.loc[("bpj-2015", "transactional")]
    words = {3: "three", 7: "seven", 10: "ten"}
    assert times.kept == 0 and f"drops The Times' {words[times.seeds]} off-topic words" in text
    assert (f"also {words[bpj.seeds - bpj.kept]} of BPJ 2015's {words[bpj.seeds]} transactional matches"
            in text)
