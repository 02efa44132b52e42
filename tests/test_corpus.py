"""Corpus units: repairs applied exactly once, offsets that round-trip to the source bytes."""
import re

import pytest

from analysis.corpus import Edit, block_spans, line_spans, load_corpus, offset_to_source, repair_span
from analysis.sources import Correction
from corpus_factory import TOY_TEXTS, make_corpus

EXPECTED_ARTEFACTS = ["Is rael's", "de fied", "de mands", "accord-ing", "allies. stoke", "US, troops",
                      "Hamas. members", "is\u00a0is", "and and", "regional - condemnation", "incursions. in",
                      "eliminated ?", "favor ?"]


def test_units_are_sorted_and_ids_unique(study_corpus):
    assert study_corpus.paragraphs["unit_id"].is_unique
    assert study_corpus.sentences["unit_id"].is_unique
    assert set(study_corpus.sentences["paragraph_id"]) == set(study_corpus.paragraphs["unit_id"])


@pytest.mark.parametrize("artefact", EXPECTED_ARTEFACTS)
def test_each_listed_artefact_is_repaired(study_corpus, artefact):
    pattern = re.compile(r"\b" + re.escape(artefact))
    in_source = sum(len(pattern.findall(text)) for text in study_corpus.texts.values())
    assert in_source >= 1, f"{artefact!r} should occur in the sources"
    repaired = "\n".join(list(study_corpus.paragraphs["text"]) + list(study_corpus.furniture["text"]))
    assert not pattern.search(repaired)


def test_each_repair_found_and_applied_exactly_once(study_corpus):
    reps = study_corpus.repairs
    assert reps["correction_id"].is_unique
    assert (reps["unit_id"] != "").all(), "every repair lies inside a unit"
    for rep in reps.itertuples():
        source = study_corpus.source(rep.doc_id)
        assert source[rep.start:rep.end] == rep.find
        units = study_corpus.paragraphs if ".p" in rep.unit_id else study_corpus.furniture
        unit = units.set_index("unit_id").loc[rep.unit_id]
        raw = source[unit.start:unit.end]
        assert raw.count(rep.find) == 1
        # Applying the same edit a second time would fail: the repaired text no longer has it
        # (unless the replacement itself contains the pattern, which no repair here does).
        assert rep.replace in unit.text
        assert unit.text.count(rep.find) < raw.count(rep.find) or rep.find in rep.replace


def test_no_space_before_question_mark_in_body(study_corpus):
    assert not study_corpus.paragraphs["text"].str.contains(r"\w \?", regex=True).any()


@pytest.mark.parametrize("table", ["paragraphs", "sentences", "furniture"])
def test_units_round_trip_to_source_bytes(study_corpus, table):
    units = getattr(study_corpus, table)
    edits_by_doc = {}
    for rep in study_corpus.repairs.itertuples():
        corr = Correction(rep.correction_id, rep.doc_id, rep.line, rep.find, rep.replace, rep.kind, rep.note)
        edits_by_doc.setdefault(rep.doc_id, []).append(Edit(rep.start, rep.end, rep.replace, corr))
    for unit in units.itertuples():
        source = study_corpus.source(unit.doc_id)
        assert repair_span(source, unit.start, unit.end, edits_by_doc.get(unit.doc_id, [])) == unit.text
        data = source.encode("utf-8")
        byte_start = len(source[:unit.start].encode("utf-8"))
        byte_end = byte_start + len(source[unit.start:unit.end].encode("utf-8"))
        assert data[byte_start:byte_end].decode("utf-8") == source[unit.start:unit.end]


def test_sources_are_byte_identical_to_what_metadata_records(study_corpus):
    import hashlib

    for doc in study_corpus.documents.itertuples():
        data = (study_corpus.root / doc.file).read_bytes()
        assert hashlib.sha256(data).hexdigest() == doc.sha256


@pytest.mark.parametrize("abbreviation", ["U.S.", "Oct.", "Calif."])
def test_sentence_splitting_keeps_abbreviations(study_corpus, abbreviation):
    sentences = study_corpus.sentences["text"]
    assert sentences.str.contains(re.escape(abbreviation)).any()
    # No sentence ends at the abbreviation, and none starts right after it.
    assert not sentences.str.endswith(abbreviation).any()
    starts = sentences.str.split().str[0].tolist()
    follow = {m.group(1) for t in study_corpus.paragraphs["text"]
              for m in re.finditer(re.escape(abbreviation) + r"\s+(\S+)", t)}
    assert not (follow & set(starts))


def test_sentences_do_not_end_at_abbreviation_followed_by_lowercase_or_digit(study_corpus):
    for par in study_corpus.paragraphs.itertuples():
        for m in re.finditer(r"\b(?:U\.S|Oct|Calif|Gen)\.\s+[a-z0-9]", par.text):
            sents = study_corpus.sentences[study_corpus.sentences["paragraph_id"] == par.unit_id]
            assert any(m.group(0) in s for s in sents["text"]), m.group(0)


def test_gen_abbreviation_on_toy_corpus(tmp_path):
    corpus = load_corpus(make_corpus(tmp_path))
    beta = corpus.sentences[corpus.sentences["doc_id"] == "beta-2021"]["text"].tolist()
    assert beta == ["The bloc shares an ideology.", "Gen. Smith said so on Oct. 7."]


def test_toy_corpus_units_and_furniture(tmp_path):
    corpus = load_corpus(make_corpus(tmp_path))
    assert corpus.paragraphs["unit_id"].tolist() == ["alpha-2020.p01", "alpha-2020.p02", "beta-2021.p01"]
    assert corpus.furniture["role"].tolist() == ["headline", "headline"]


def test_toy_corrections_are_applied_with_offsets(tmp_path):
    corrections = ("correction_id,doc_id,line,find,replace,kind,note\n"
                   "c1,alpha-2020,3,marriage of convenience,marriage of convenience (sic),annotation,\n"
                   "c2,alpha-2020,5,may not,might not,wording,\n")
    corpus = load_corpus(make_corpus(tmp_path, corrections=corrections))
    texts = corpus.paragraphs["text"].tolist()
    assert texts[0] == "The pact is a marriage of convenience (sic)."
    assert texts[1] == "It might not last."
    rep = corpus.repairs.set_index("correction_id")
    assert rep.loc["c1", "unit_id"] == "alpha-2020.p01"
    assert (rep.loc["c1", "start"], rep.loc["c1", "end"]) == (30, 53)  # "Alpha Headline\n\n" = 16 chars, +14


def test_crlf_units_exclude_carriage_returns(tmp_path):
    texts = {k: v.replace("\n", "\r\n") for k, v in TOY_TEXTS.items()}
    corpus = load_corpus(make_corpus(tmp_path, texts=texts))
    assert not corpus.paragraphs["text"].str.contains("\r").any()
    assert corpus.paragraphs["text"].iloc[0] == "The pact is a marriage of convenience."


def test_line_and_block_spans():
    text = "a\r\nb\n\n  c  \n"
    assert line_spans(text) == [(1, 0, 1), (2, 3, 4), (3, 5, 5), (4, 6, 11), (5, 12, 12)]
    assert block_spans(text, "line") == [(1, 0, 1), (2, 3, 4), (4, 8, 9)]
    assert block_spans(text, "block") == [(1, 0, 4), (4, 8, 9)]
    with pytest.raises(ValueError, match="paragraph mode must be one of"):
        block_spans(text, "page")


def test_offset_to_source_maps_around_edits():
    text = "Is rael's war. Then peace."
    corr = Correction("c", "d", 1, "Is rael", "Israel", "split word", "")
    edits = [Edit(0, 7, "Israel", corr)]
    repaired = repair_span(text, 0, len(text), edits)
    assert repaired == "Israel's war. Then peace."
    # "Then" starts at 14 in the repaired text and 15 in the source (the edit removed one char).
    assert offset_to_source(14, 0, edits, "start") == 15
    assert offset_to_source(0, 0, edits, "start") == 0
    assert offset_to_source(6, 0, edits, "end") == 7
