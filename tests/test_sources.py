"""Validation of corpus folders: every problem is found and named with its fix."""
import copy

import pytest

from analysis.errors import InputError
from analysis import sources
from analysis.sources import corpus_check, corpus_warnings, require_sound, text_decode, unescape
from corpus_factory import TOY_METADATA, TOY_TEXTS, make_corpus


def problems_of(root):
    return [str(p) for p in corpus_check(root)]


def with_row(**changes):
    rows = copy.deepcopy(TOY_METADATA)
    rows[0].update(changes)
    return rows


def test_toy_corpus_is_sound(tmp_path):
    assert corpus_check(make_corpus(tmp_path)) == []


@pytest.mark.parametrize("data, message", [
    (b"ab\n\xffcd", r"alpha-2020\.txt:2: not valid UTF-8 at byte offset 3"),
    (b"\xef\xbb\xbfText", r"alpha-2020\.txt:1: starts with a UTF-8 byte-order mark"),
    (b"Text\x00more", r"alpha-2020\.txt:1: contains a NUL byte at byte offset 4"),
    (b"", r"alpha-2020\.txt: is empty"),
    (b"  \n\t\n", r"alpha-2020\.txt: contains only whitespace"),
])
def test_bad_text_bytes(tmp_path, data, message):
    root = make_corpus(tmp_path, texts={**TOY_TEXTS, "alpha-2020": data})
    with pytest.raises(InputError, match=message):
        require_sound(root)


def test_crlf_is_accepted(tmp_path):
    root = make_corpus(tmp_path, texts={k: v.replace("\n", "\r\n") for k, v in TOY_TEXTS.items()})
    assert corpus_check(root) == []


@pytest.mark.parametrize("changes, message", [
    ({"date": "2021-02-30"}, r"metadata\.csv:2: impossible date '2021-02-30' in field 'date'"),
    ({"date": "May 2020"}, r"metadata\.csv:2: impossible date 'May 2020'"),
    ({"headline": ""}, r"metadata\.csv:2: missing required field 'headline'"),
    ({"doc_id": "beta-2021"}, r"metadata\.csv:3: duplicate doc_id 'beta-2021' \(first on line 2\)"),
    ({"file": "../outside.txt"}, r"metadata\.csv:2: file '\.\./outside\.txt' leaves the corpus folder"),
    ({"file": "/etc/passwd"}, r"metadata\.csv:2: file '/etc/passwd' leaves the corpus folder"),
    ({"file": "texts/missing.txt"}, r"metadata\.csv:2: file 'texts/missing\.txt' not found"),
    ({"genre_basis": "tone"}, r"metadata\.csv:2: field 'genre_basis' must start with 'stated:', 'inferred:' or 'absent:'"),
    ({"genre": "blog"}, r"metadata\.csv:2: unknown genre 'blog'"),
    ({"doc_id": "Alpha 2020"}, r"doc_id 'Alpha 2020' is not a short lowercase id"),
])
def test_bad_metadata_rows(tmp_path, changes, message):
    root = make_corpus(tmp_path, metadata=with_row(**changes))
    with pytest.raises(InputError, match=message):
        require_sound(root)


def test_text_without_metadata_row(tmp_path):
    root = make_corpus(tmp_path, texts={**TOY_TEXTS, "gamma-2022": "Some text.\n"})
    with pytest.raises(InputError, match=r"gamma-2022\.txt: text file has no row in metadata\.csv"):
        require_sound(root)


def test_missing_metadata_file(tmp_path):
    root = make_corpus(tmp_path)
    (root / "metadata.csv").unlink()
    with pytest.raises(InputError, match=r"metadata\.csv: file not found — create metadata\.csv"):
        require_sound(root)


@pytest.mark.parametrize("content, message", [
    ('doc_id,file,headline,date\n"alpha-2020,texts/alpha-2020.txt,H,2020-01-01\n',
     r"metadata\.csv:\d+: cannot be parsed as CSV"),
    ("doc_id,file,headline\n", r"metadata\.csv:1: header lacks column\(s\) date"),
    ("doc_id,file,headline,date\nalpha-2020,texts/alpha-2020.txt,H,2020-01-01,extra\n",
     r"metadata\.csv:2: has 5 fields where the header has 4"),
])
def test_unparseable_metadata(tmp_path, content, message):
    root = make_corpus(tmp_path)
    (root / "metadata.csv").write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        require_sound(root)


def test_missing_corpus_folder(tmp_path):
    with pytest.raises(InputError, match=r"corpus folder not found"):
        require_sound(tmp_path / "nope")


def test_changed_source_bytes_are_refused(tmp_path):
    root = make_corpus(tmp_path, metadata=with_row(sha256="0" * 64))
    with pytest.raises(InputError, match=r"no longer has the sha256 recorded for it — restore the source bytes"):
        require_sound(root)


@pytest.mark.parametrize("rules, message", [
    ("rule_id,doc_id,pattern,role,note\nx,nobody,Alpha Headline,headline,\n", r"furniture\.csv:2: unknown doc_id 'nobody'"),
    ("rule_id,doc_id,pattern,role,note\nx,*,Alpha Headline,banner,\n", r"furniture\.csv:2: unknown role 'banner'"),
    ("rule_id,doc_id,pattern,role,note\nx,*,(unclosed,headline,\n", r"furniture\.csv:2: pattern does not compile"),
    ("rule_id,doc_id,pattern,role,note\nx,alpha-2020,Nothing Like This,headline,\n",
     r"furniture\.csv: rule 'x' matches no line of alpha-2020"),
])
def test_bad_furniture_rules(tmp_path, rules, message):
    root = make_corpus(tmp_path, furniture=rules)
    with pytest.raises(InputError, match=message):
        require_sound(root)


HEADER = "correction_id,doc_id,line,find,replace,kind,note\n"


@pytest.mark.parametrize("rows, message", [
    ("c1,alpha-2020,3,elephant,x,typo,\n", r"corrections\.csv:2: 'elephant' occurs 0 times on line 3 of alpha-2020"),
    ("c1,alpha-2020,3,a,x,typo,\n", r"'a' occurs \d+ times on line 3"),
    ("c1,alpha-2020,99,pact,x,typo,\n", r"corrections\.csv:2: line 99 is outside alpha-2020"),
    ("c1,nobody,3,pact,x,typo,\n", r"corrections\.csv:2: unknown doc_id 'nobody'"),
    ("c1,alpha-2020,three,pact,x,typo,\n", r"field 'line' is 'three', not a line number"),
    ("c1,alpha-2020,3,pact,x,typo,\nc1,alpha-2020,3,convenience,x,typo,\n", r"corrections\.csv:3: duplicate correction_id 'c1'"),
])
def test_bad_corrections(tmp_path, rows, message):
    root = make_corpus(tmp_path, corrections=HEADER + rows)
    with pytest.raises(InputError, match=message):
        require_sound(root)


def test_every_problem_is_reported_at_once(tmp_path):
    rows = with_row(date="2020-13-01")
    rows[1]["headline"] = ""
    problems = problems_of(make_corpus(tmp_path, metadata=rows))
    assert len(problems) == 2


def test_text_decode_reports_line_of_bad_byte():
    text, problems = text_decode(b"one\ntwo\nthr\xe9e\n", "f.txt")
    assert text is None and str(problems[0]).startswith("f.txt:3: not valid UTF-8 at byte offset 11")


def test_unescape_only_touches_u_escapes():
    assert unescape(r"a\u00a0b\d") == "a\xa0b\\d"


def test_study_corpus_is_sound():
    from analysis import config

    assert corpus_check(config.CORPUS_DIR) == []


def test_a_large_text_draws_a_warning_with_its_size_and_the_threshold(tmp_path):
    root = make_corpus(tmp_path / "c")
    with open(root / "texts" / "beta-2021.txt", "r+b") as f:
        f.truncate(20_500_000)  # sparse: the size is on disk without the bytes
    assert [str(w) for w in corpus_warnings(root)] == [
        f"{root / 'texts' / 'beta-2021.txt'}: is 20.5 MB, above the 20 MB beyond which one article may exhaust "
        "memory (it is loaded, scored and bootstrapped whole) — if a run fails for want of memory, split it into "
        "several articles, each a file with its own metadata row"]


def test_texts_at_the_threshold_draw_no_warning(tmp_path, monkeypatch):
    root = make_corpus(tmp_path / "c")
    (root / "texts" / "alpha-2020.txt").write_text("A deal, " * 100 + "\n", encoding="utf-8")  # 801 bytes
    monkeypatch.setattr(sources, "LARGE_TEXT_BYTES", 801)
    assert corpus_warnings(root) == []
    monkeypatch.setattr(sources, "LARGE_TEXT_BYTES", 800)
    assert [w.path.name for w in corpus_warnings(root)] == ["alpha-2020.txt"]


def test_no_warning_without_a_corpus(tmp_path):
    assert corpus_warnings(tmp_path / "nowhere") == []
