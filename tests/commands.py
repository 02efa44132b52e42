"""``python -m analysis ARGS``, run in the test process or as a real process.

Most command-line tests run :func:`analysis.cli.main` in the test process
(:func:`cli_run`): the same argument parsing, exit status, standard output and standard
error, without paying a fresh interpreter's imports (about 2 s) per test. A few tests
keep a real process (:func:`cli_process`), so that ``python -m analysis`` itself, its
exit status and the absence of a traceback at process level stay tested.
"""
from __future__ import annotations

import io
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from types import SimpleNamespace

from analysis import config
from analysis.cli import main


def cli_run(*args, cwd=None) -> SimpleNamespace:
    """Run the command line here: ``returncode``, ``stdout`` and ``stderr`` as a process gives them."""
    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    os.chdir(cwd or config.ROOT)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse's usage errors and --help
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        os.chdir(before)
    return SimpleNamespace(returncode=code, stdout=out.getvalue(), stderr=err.getvalue())


def cli_process(*args, cwd=None, timeout=900) -> subprocess.CompletedProcess:
    """Run ``python -m analysis ARGS`` as a process of its own."""
    return subprocess.run([sys.executable, "-m", "analysis", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or config.ROOT, timeout=timeout)
