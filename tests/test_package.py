"""The package's public surface (analysis/__init__.py), the README's Python quick-start, and the
shape of the package: no module longer than 600 lines, no private name used across modules."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

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


# -- the shape of the package: short modules, no private name used across modules ----------

ANALYSIS = config.ROOT / "analysis"
#: Longest a module of analysis/ may be, in lines.
MAX_LINES = 600


def module_of(path: Path) -> str:
    """``analysis/measures/lss.py`` → ``analysis.measures.lss`` (a package is its ``__init__``)."""
    parts = path.relative_to(ANALYSIS.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_module(path: Path, node: ast.ImportFrom) -> str:
    """The absolute name of the module a ``from … import`` in ``path`` reads from."""
    if node.level == 0:
        return node.module or ""
    package = module_of(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(path: Path, source: str) -> list[str]:
    """Where ``source`` (the text of ``path``) reaches for another module's private name.

    Two forms are found: ``from analysis.x import _name`` (relative or absolute), and
    ``obj._name`` where ``_name`` is defined nowhere in the module itself (not as a
    function, class, variable, argument or attribute it assigns) and ``obj`` is neither
    ``self``/``cls`` nor a module from outside the package (``os._exit``).
    """
    tree = ast.parse(source)
    defined, outside = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            defined.add(node.name)
        elif isinstance(node, ast.arg):
            defined.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            defined.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            defined.add(node.attr)
        elif isinstance(node, ast.Import):
            outside |= {a.asname or a.name.split(".")[0] for a in node.names if a.name.split(".")[0] != "analysis"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            home = imported_module(path, node)
            if home.split(".")[0] == "analysis":
                found += [f"{path.name}:{node.lineno}: imports {a.name} from {home}"
                          for a in node.names if is_private(a.name)]
        elif isinstance(node, ast.Attribute) and is_private(node.attr) and node.attr not in defined:
            base = node.value.id if isinstance(node.value, ast.Name) else None
            if base not in ("self", "cls") and base not in outside:
                found.append(f"{path.name}:{node.lineno}: uses .{node.attr}, defined in another module")
    return found


@pytest.mark.parametrize("source, expected", [
    ("from .frames import _quiet\n", ["x.py:1: imports _quiet from analysis.frames"]),
    ("from analysis.sources import csv_read, _read\n", ["x.py:1: imports _read from analysis.sources"]),
    ("from . import frames\nframes._quiet()\n", ["x.py:2: uses ._quiet, defined in another module"]),
    ("def f(s):\n    return s.dictionary_._from_counts(1)\n",
     ["x.py:2: uses ._from_counts, defined in another module"]),
    # a module's own private names, dunders, self and modules from outside the package are fine
    ("class A:\n    def _f(self):\n        return self._g\n\ndef h(a):\n    return a._f()\n", []),
    ("import os\nos._exit(1)\nfrom ._x import y\nfrom sklearn.base import _private\n", []),
    ("def f(x):\n    return x.__class__\n", []),
])
def test_private_uses_finds_each_form(source, expected):
    assert private_uses(ANALYSIS / "x.py", source) == expected


def test_no_module_uses_another_modules_private_names():
    found = [use for path in sorted(ANALYSIS.rglob("*.py")) for use in private_uses(path, path.read_text("utf-8"))]
    assert found == []


@pytest.mark.parametrize("path", sorted(ANALYSIS.rglob("*.py")), ids=lambda p: p.relative_to(ANALYSIS).as_posix())
def test_no_module_is_longer_than_600_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES
