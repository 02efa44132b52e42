"""Test-wide guards: no NLTK data, no network, and a cache of the tests' own.

``NLTK_DATA`` points at an empty folder and nltk's search path is emptied, so any
code that needs downloaded NLTK data fails here. matplotlib keeps its font list in the
project's ``.cache/matplotlib``, as the report's kernels do
(:data:`analysis.kernels.MPL_CONFIG_DIR`), so a figure drawn by a test cannot depend on
a font list another installation left in the user's cache. Opening a socket to anything other
than the local machine raises, so any code that reaches for the network fails too.
Results the tests compute in this process are cached in a folder of the session
(:mod:`analysis.disk_cache`), a copy of the checkout's ``.cache/``, which they would
otherwise fill and prune.
"""
import os
import socket
import tempfile
from pathlib import Path

import pytest

_EMPTY_NLTK = tempfile.mkdtemp(prefix="empty-nltk-data-")
os.environ["NLTK_DATA"] = _EMPTY_NLTK
os.environ["MPLCONFIGDIR"] = str(Path(__file__).resolve().parents[1] / ".cache" / "matplotlib")

import matplotlib  # noqa: E402
import nltk  # noqa: E402  (imported after NLTK_DATA is set)

matplotlib.use("Agg")

nltk.data.path[:] = [_EMPTY_NLTK]

_real_connect = socket.socket.connect


def _guarded_connect(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(address, (str, bytes)) or host in ("127.0.0.1", "::1", "localhost"):
        return _real_connect(self, address)
    raise RuntimeError(f"network access attempted during tests: {address!r}")


socket.socket.connect = _guarded_connect


@pytest.fixture(scope="session")
def study_corpus():
    """The study corpus, loaded once per test session."""
    from analysis.corpus import load_corpus

    return load_corpus()


@pytest.fixture
def targeted(tmp_path):
    """The toy codebook with alliance targets 'ally' and 'pact' and a window of 2 words."""
    from analysis.codebook import load_codebook, with_target_window
    from toys import toy_codebook

    cb = toy_codebook(tmp_path)
    path = tmp_path / "codebook.toml"
    text = path.read_text(encoding="utf-8").replace(
        'negative = "transactional"', 'negative = "transactional"\ntargets = ["ally", "pact"]')
    path.write_text(text, encoding="utf-8")
    return with_target_window(load_codebook(path), "alliance", 2), cb


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory):
    """The disk cache of every result computed in the test process: a folder of the session,
    starting as a copy of the checkout's (results are filed under a key of their inputs, so
    reading one is as safe here as in the study; writing and pruning stay in the copy)."""
    import shutil

    from analysis import disk_cache

    root = tmp_path_factory.mktemp("cache")
    for kind in ("exemplar-cv", "scorers"):
        for stored in sorted((disk_cache.CACHE_ROOT / kind).glob("*")):
            if stored.suffix not in (".lock", ".tmp") and stored.is_file():
                (root / kind).mkdir(exist_ok=True)
                shutil.copy2(stored, root / kind / stored.name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(disk_cache, "CACHE_ROOT", root)
        yield root
