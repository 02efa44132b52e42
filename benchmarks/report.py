"""``python -m benchmarks.report``: how long the whole study takes to run.

Runs ``python -m analysis report --out TMP`` (what ``make report`` runs once ``.venv``
exists) in a fresh process, ``--repeat`` times, into a temporary folder so that the
committed outputs are not touched. Prints one JSON line per notebook and run,
``{"stage": "report", "run", "notebook", "seconds"}`` with the seconds the report logs (on
stderr) for that notebook (kernel start, execution and HTML; two notebooks run at once), then one
line per run with ``"notebook": "all"`` and the wall-clock seconds of the whole command,
interpreter start included. The machine is described on stderr.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis import config
from analysis.report import NOTEBOOK_DONE, notebook_done

from . import machine, workdir_problem



def report_times(run: int = 1, workdir: str | Path | None = None) -> list[dict]:
    """Time one ``python -m analysis report`` into a temporary folder; return its records."""
    with tempfile.TemporaryDirectory(prefix="benchmark-report-", dir=workdir) as out:
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "analysis", "report", "--out", out],
                                capture_output=True, text=True, cwd=config.ROOT)
        wall = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"the report failed (exit {result.returncode}):\n{result.stderr[-2000:]}")
    # the report logs its progress on stderr, one line per finished notebook
    records = [dict(stage="report", run=run, notebook=name, seconds=float(seconds))
               for name, seconds in sorted(NOTEBOOK_DONE.findall(result.stderr))]
    if not records:
        raise RuntimeError("the report's log names no finished notebook (a line like "
                           f"{notebook_done('01-corpus', 2.7)!r}); its last lines:\n{result.stderr[-2000:]}")
    records.append(dict(stage="report", run=run, notebook="all", seconds=round(wall, 1)))
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.report", description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of the whole report (default 3)")
    parser.add_argument("--workdir", default=None, help="where the temporary outputs are written")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        print("--repeat must be a positive integer", file=sys.stderr)
        return 2
    problem = workdir_problem(args.workdir)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    print(json.dumps({"machine": machine()}), file=sys.stderr, flush=True)
    for run in range(1, args.repeat + 1):
        for record in report_times(run, args.workdir):
            print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
