"""Tests for analysis.recoding: the sample, the loader's errors and the agreement table."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import config
from analysis.codebook import load_codebook
from analysis.errors import InputError
from analysis.exemplars import corpus_exemplars
from analysis.recoding import RECODING_DIR, load_recoding, recoding_agreement, recoding_sample

CB = load_codebook()
EX = pd.DataFrame({"exemplar_id": ["a", "b", "c"], "alliance": ["transactional", "ideological", "none"],
                   "force": ["none", "deterrence", "credibility"]})


def write(folder, text, name="r.csv"):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_no_folder_means_no_recoding(tmp_path):
    assert load_recoding(tmp_path / "nothing", EX, CB) is None


def test_a_good_file_loads(tmp_path):
    folder = write(tmp_path / "rc", "exemplar_id,alliance,force\na,transactional,none\nc,none,mixed\n")
    assert load_recoding(folder, EX, CB)["exemplar_id"].tolist() == ["a", "c"]


@pytest.mark.parametrize("text, message", [
    ("exemplar_id,alliance,force\nz,none,none\n", r"r\.csv:2: exemplar_id 'z' is not an exemplar"),
    ("exemplar_id,alliance,force\na,none,none\na,none,none\n", r"r\.csv:3: exemplar_id 'a' also at r\.csv:2"),
    ("exemplar_id,alliance,force\na,friendly,none\n", r"r\.csv:2: alliance 'friendly' is not a code of the codebook"),
    ("exemplar_id,alliance\na,none\n", r"r\.csv: has no column force"),
])
def test_bad_rows_are_named(tmp_path, text, message):
    folder = write(tmp_path / "rc", text)
    with pytest.raises(InputError, match=message):
        load_recoding(folder, EX, CB)


def test_agreement_by_hand():
    # alliance: writer T, I, none; recoder T, T, mixed -> 1 of 3 equal; framed: T,T,F vs T,T,T -> 2 of 3;
    # both polar on a and b -> 1 of 2 the same pole.
    # Krippendorff's alpha from the coincidence matrix: pairs (T,T) x2, (I,T), (T,I), (none,mixed), (mixed,none);
    # n = 6, n_T = 3, n_I = 1, n_none = 1, n_mixed = 1; observed disagreement 4; expected 36 - (9 + 1 + 1 + 1) = 24;
    # alpha = 1 - 5 * 4 / 24 = 1/6.
    rc = EX.assign(alliance=["transactional", "transactional", "mixed"])
    t = recoding_agreement(EX, rc, CB).set_index("contrast")
    assert t.loc["alliance", "agreement"] == pytest.approx(1 / 3)
    assert t.loc["alliance", "framed_agreement"] == pytest.approx(2 / 3)
    assert t.loc["alliance", "polar_agreement"] == 0.5 and t.loc["alliance", "n_polar"] == 2
    assert t.loc["alliance", "alpha"] == pytest.approx(1 / 6)
    assert t.loc["force", "agreement"] == 1.0 and t.loc["force", "alpha"] == 1.0


def test_sample_is_per_writer_and_reproducible():
    ex = pd.DataFrame({"exemplar_id": [f"x{i:02d}" for i in range(40)], "writer": ["p"] * 20 + ["q"] * 20,
                       "round": [3] * 30 + [2] * 10})
    one, two = recoding_sample(ex, per_writer=5), recoding_sample(ex, per_writer=5)
    assert one["exemplar_id"].tolist() == two["exemplar_id"].tolist()
    assert one["writer"].value_counts().to_dict() == {"p": 5, "q": 5}
    assert (one["round"] == 3).all()
    with pytest.raises(ValueError, match="fewer than 20"):
        recoding_sample(ex)


def test_committed_recoding_is_the_documented_sample():
    ex = corpus_exemplars()
    recoding = load_recoding(config.CORPUS_DIR / "exemplars" / RECODING_DIR, ex, CB)
    assert recoding is not None
    assert recoding["exemplar_id"].tolist() == recoding_sample(ex)["exemplar_id"].tolist()


def test_a_corpus_with_its_own_exemplars_reads_its_own_recoding(tmp_path):
    from analysis.recoding import corpus_recoding

    # without exemplars/ of its own a corpus is measured with the study's exemplars, and their re-coding
    assert len(corpus_recoding(tmp_path, corpus_exemplars(), CB)) == 120
    write(tmp_path / "exemplars", "", name="w.csv")
    write(tmp_path / "exemplars" / RECODING_DIR, "exemplar_id,alliance,force\nb,ideological,deterrence\n")
    assert corpus_recoding(tmp_path, EX, CB)["exemplar_id"].tolist() == ["b"]
