"""Tests for analysis.parameters: -p values, their errors, and the names a notebook declares."""
from __future__ import annotations

import pytest

from analysis.errors import InputError
from analysis.kernels import notebook_sources
from analysis.parameters import notebook_parameters, parameter_parse, parameters_declared, parameters_parse


@pytest.mark.parametrize("text, expected", [
    ("topic_k=6", ("topic_k", 6)),
    ("x=0.5", ("x", 0.5)),
    ("progress=True", ("progress", True)),
    ("progress=None", ("progress", None)),
    ("claims=[{'kind': 'leans', 'a': 'x'}]", ("claims", [{"kind": "leans", "a": "x"}])),
    ("name='quoted'", ("name", "quoted")),
    ("name=plain words", ("name", "plain words")),
    ("name=", ("name", "")),
    ("when=2020-01-01", ("when", "2020-01-01")),
    ("expr=1+os.getpid()", ("expr", "1+os.getpid()")),
    ("eq=a=b", ("eq", "a=b")),
    (" spaced = 3", ("spaced", 3)),
])
def test_parameter_value_is_a_literal_else_a_string(text, expected):
    assert parameter_parse(text) == expected


@pytest.mark.parametrize("text", ["topic_k", "=6", "1k=6", "a b=1"])
def test_parameter_without_a_name_is_refused(text):
    with pytest.raises(InputError, match=r"^-p: .* is not name=value — write -p name=value"):
        parameter_parse(text)


def test_parameters_given_twice_are_refused():
    with pytest.raises(InputError, match="-p: topic_k is given twice — give each parameter once"):
        parameters_parse(["topic_k=6", "topic_k=7"])


def test_parameters_parse_lists_every_bad_one():
    with pytest.raises(InputError) as caught:
        parameters_parse(["a", "b", "c=1"])
    assert len(caught.value.problems) == 2


@pytest.mark.parametrize("text, names", [
    ('# %% tags=["parameters"]\na = 1\nb: int = 2\nc, d = 3, 4\n# %%\ne = 5\n', ["a", "b"]),
    ("# %% [markdown]\n# a = 1\n# %%\nb = 2\n", []),
    ('# %%\nz = 0\n# %% tags=["x", "parameters"]\nk = 8\n', ["k"]),
])
def test_parameters_declared_reads_the_parameters_cell_only(text, names):
    assert parameters_declared(text) == names


def test_every_study_notebook_declares_corpus_and_out():
    for source in notebook_sources():
        assert {"corpus_dir", "out_dir"} <= set(notebook_parameters(source)), source
