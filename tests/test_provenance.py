"""Provenance stamps: content hashes that change exactly when content changes."""
import hashlib
import json

from analysis import config
from analysis.provenance import code_hash, files_hash, manifest, spec_hash, stamp


def test_files_hash_depends_on_names_and_bytes(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"x")
    first = files_hash([tmp_path / "a.txt"], tmp_path)
    (tmp_path / "a.txt").write_bytes(b"y")
    assert files_hash([tmp_path / "a.txt"], tmp_path) != first
    (tmp_path / "a.txt").rename(tmp_path / "b.txt")
    (tmp_path / "b.txt").write_bytes(b"x")
    assert files_hash([tmp_path / "b.txt"], tmp_path) != first


def test_code_hash_covers_package_and_notebook_sources(tmp_path):
    (tmp_path / "analysis").mkdir()
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "analysis" / "m.py").write_text("x = 1\n")
    (tmp_path / "notebooks" / "01-a.py").write_text("# %%\n")
    before = code_hash(tmp_path)
    (tmp_path / "notebooks" / "01-a.py").write_text("# %%\n1\n")
    assert code_hash(tmp_path) != before


def test_spec_hash_is_order_independent():
    assert spec_hash({"a": 1, "b": [1, 2]}) == spec_hash({"b": [1, 2], "a": 1})
    assert spec_hash({"a": 1}) != spec_hash({"a": 2})


def test_stamp_of_study_names_codebook_and_seed():
    s = stamp()
    codebook = (config.CORPUS_DIR / "codebook.toml").read_bytes()
    assert s["codebook_sha256"] == hashlib.sha256(codebook).hexdigest()
    assert s["settings"]["seed"] == config.SEED
    assert set(s["packages"]) >= {"scikit-learn", "nltk", "numpy"}
    json.dumps(s)  # serialisable


def test_manifest_lists_every_result_file(tmp_path):
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "t.csv").write_bytes(b"a\n1\n")
    (tmp_path / "MANIFEST.json").write_text("{}")
    m = manifest(tmp_path, {"k": "v"})
    assert m["files"] == {"tables/t.csv": hashlib.sha256(b"a\n1\n").hexdigest()}
    assert m["stamp"] == {"k": "v"}
