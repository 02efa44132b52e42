"""The package as installed by ``make``: pyproject.toml, the editable install, its package data.

Everything here runs offline: the installed distribution is read from its metadata, and the
wheel is built with the setuptools that requirements.txt pins, from no index.
"""
from __future__ import annotations

import importlib.metadata as metadata
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from analysis import config

PYPROJECT = tomllib.loads((config.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DIST = PYPROJECT["project"]["name"]
REINSTALL = "run make (it installs this checkout with pip install -e . --no-deps --no-build-isolation)"


def requirement_lines() -> list[str]:
    lines = (config.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_the_distribution_is_installed_from_this_checkout():
    try:
        dist = metadata.distribution(DIST)
    except metadata.PackageNotFoundError:
        pytest.fail(f"{DIST} is not installed in {sys.prefix} — {REINSTALL}")
    assert DIST in metadata.packages_distributions()["analysis"]
    origin = json.loads(dist.read_text("direct_url.json"))
    assert origin["dir_info"] == {"editable": True}, f"{DIST} is installed as a copy, not editable — {REINSTALL}"
    assert origin["url"] == config.ROOT.resolve().as_uri(), f"{DIST} is installed from {origin['url']} — {REINSTALL}"


def test_the_installed_metadata_is_the_pyproject_and_the_pins():
    dist = metadata.distribution(DIST)
    assert dist.version == PYPROJECT["project"]["version"]
    assert dist.metadata["Requires-Python"] == ">=3.11"
    # requirements.txt is the one list of dependencies: pyproject.toml reads it
    assert sorted(dist.requires) == sorted(requirement_lines())


def test_analysis_imports_from_any_folder_without_pythonpath(tmp_path):
    # what `make lab` and every Jupyter kernel rely on: no PYTHONPATH, started outside the repository
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    code = ("import analysis, importlib.resources as r; print(analysis.__file__); "
            "print(r.files('analysis').joinpath('data', 'stance.toml').is_file())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env,
                         timeout=120)
    assert out.returncode == 0, f"{out.stderr.strip().splitlines()[-1:]} — {REINSTALL}"
    where, data = out.stdout.split()
    assert Path(where) == config.ROOT / "analysis" / "__init__.py"
    assert data == "True"


def test_a_wheel_carries_every_module_and_the_package_data(tmp_path):
    # built from a copy, so that the build leaves nothing in the repository
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "requirements.txt"):
        shutil.copy(config.ROOT / name, src / name)
    shutil.copytree(config.ROOT / "analysis", src / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                          "--no-build-isolation", "--no-index", "-w", str(tmp_path / "dist"), str(src)],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {p.relative_to(config.ROOT).as_posix() for p in (config.ROOT / "analysis").rglob("*")
                if p.suffix in (".py", ".toml") and "__pycache__" not in p.parts}
    assert "analysis/data/stance.toml" in expected
    assert expected <= names, sorted(expected - names)
    assert not {n for n in names if n.startswith(("tests/", "benchmarks/", "notebooks/", "corpus/"))}
