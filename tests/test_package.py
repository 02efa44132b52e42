"""The package's public surface (analysis/__init__.py) and the README's Python quick-start."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

import analysis
from analysis import config


def test_every_public_name_resolves_to_its_definition():
    for name in analysis.__all__:
        value = getattr(analysis, name)
        home = analysis._HOME[name]
        assert value is getattr(__import__(f"analysis.{home}", fromlist=[name]), name), name
    assert set(analysis.__all__) <= set(dir(analysis))


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        analysis.nope  # noqa: B018


def test_importing_the_package_loads_no_measure():
    # the command line and every submodule import the package first: it must stay light
    code = "import sys, analysis; print(sorted(m for m in sys.modules if m.startswith(('analysis.', 'sklearn'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=config.ROOT, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.study
def test_readme_quick_start_runs(tmp_path, monkeypatch):
    readme = (config.ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.S)
    assert blocks, "the README has no Python quick-start"
    monkeypatch.chdir(config.ROOT)
    namespace: dict = {}
    exec(compile(blocks[0], "README quick-start", "exec"), namespace)
    assert {"units", "docs"} <= set(namespace)
    assert len(namespace["docs"]) == 5
