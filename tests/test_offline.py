"""The guards in conftest.py work: no NLTK data, no network."""
import socket

import nltk
import pytest


def test_nltk_has_no_data():
    with pytest.raises(LookupError):
        nltk.data.find("tokenizers/punkt")


def test_network_is_refused():
    with pytest.raises(RuntimeError, match="network access attempted"):
        socket.create_connection(("pypi.org", 443), timeout=1)
