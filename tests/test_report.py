"""Tests for analysis.report: inputs checked first, all or nothing, interrupts, progress, parameters.

Notebook execution is replaced by a stand-in that writes a few files (a thread pool
instead of worker processes, so the stand-in is seen); two tests run real kernels: one
notebook on a toy corpus end to end, and runs interrupted by SIGINT and SIGTERM.
"""
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from analysis import config, report
from analysis.errors import InputError
from analysis.kernels import ReportError, notebook_schedule, notebook_sources
from analysis.report import report_problems, report_run
from corpus_factory import TOY_METADATA, make_corpus

STEMS = [s.stem for s in notebook_sources()]


def snapshot(root):
    """Every path under ``root``, with the bytes and modification time of each file."""
    return sorted((p.relative_to(root).as_posix(), p.read_bytes(), p.stat().st_mtime_ns) if p.is_file()
                  else (p.relative_to(root).as_posix(), None, None) for p in root.rglob("*"))


def staging_left(root):
    return sorted(p.name for p in root.rglob(".report-staging-*"))


@pytest.fixture
def fake_run(monkeypatch):
    """Notebooks replaced by a stand-in; returns the calls made, and the stems that must fail."""
    calls, failing = [], set()

    def notebook_run(source, parameters, paths):
        calls.append((source.stem, parameters, paths.root))
        (paths.tables).mkdir(parents=True, exist_ok=True)
        (paths.tables / f"{source.stem}.csv").write_text(f"new {source.stem}\n")
        paths.notebooks.mkdir(parents=True, exist_ok=True)
        (paths.notebooks / f"{source.stem}.ipynb").write_text("{}\n")
        if source.stem in failing:
            raise ReportError(f"notebooks/{source.stem}.py: cell 3 raised ValueError: bad")
        return source.stem, f"Title {source.stem}", 0.25

    monkeypatch.setattr(report, "notebook_run", notebook_run)
    monkeypatch.setattr(report, "notebook_pool", lambda workers: ThreadPoolExecutor(workers))
    monkeypatch.setattr(report, "corpus_problems", lambda corpus: [])
    return calls, failing


def previous_outputs(root):
    """An output folder as a previous run left it."""
    (root / "results" / "tables").mkdir(parents=True)
    for stem in STEMS:
        (root / "results" / "tables" / f"{stem}.csv").write_text(f"old {stem}\n")
    (root / "reports").mkdir()
    (root / "reports" / "index.html").write_text("old index\n")
    (root / "results" / "MANIFEST.json").write_text("{}\n")
    return root


# -p parameters -------------------------------------------------------------------------


def test_notebook_without_parameters_cell_is_refused(monkeypatch, tmp_path):
    (tmp_path / "01-a.py").write_text('# %% tags=["parameters"]\ncorpus_dir = None\nout_dir = None\n')
    (tmp_path / "02-b.py").write_text("# %%\ncorpus_dir = None\n")
    monkeypatch.setattr(report, "corpus_problems", lambda corpus: [])
    [problem] = report_problems(None, None, None, {}, notebook_sources(tmp_path))
    assert str(problem).endswith("02-b.py: has no cell tagged 'parameters' assigning corpus_dir and out_dir — "
                                 "tag the cell holding corpus_dir = None and out_dir = None 'parameters'")


# checks before running -------------------------------------------------------------------

def problems(monkeypatch, corpus=None, out=None, only=None, parameters=None):
    monkeypatch.setattr(report, "corpus_problems", lambda corpus: [])
    return [str(p) for p in report_problems(corpus, out, only, parameters or {}, notebook_sources())]


def test_out_that_is_a_file_is_refused(monkeypatch, tmp_path):
    (tmp_path / "f").write_text("x")
    assert problems(monkeypatch, out=tmp_path / "f") == [f"{tmp_path / 'f'}: --out is a file — give a folder "
                                                         "(new or existing) for --out"]
    [line] = problems(monkeypatch, out=tmp_path / "f" / "sub")
    assert f"--out lies under {tmp_path / 'f'}, which is a file" in line


def test_new_or_existing_out_folder_is_accepted(monkeypatch, tmp_path):
    assert problems(monkeypatch, out=tmp_path) == []
    assert problems(monkeypatch, out=tmp_path / "new" / "deeper") == []


def test_other_corpus_without_out_is_refused(monkeypatch, tmp_path):
    [line] = problems(monkeypatch, corpus=tmp_path)
    assert line.startswith("--corpus: ") and "would overwrite the study's committed results" in line
    assert "pass --out DIR" in line
    assert problems(monkeypatch, corpus=tmp_path, out=tmp_path / "out") == []


def test_study_corpus_without_out_is_allowed(monkeypatch):
    relative = os.path.relpath(config.CORPUS_DIR)
    assert problems(monkeypatch, corpus=relative) == []
    assert problems(monkeypatch, corpus=config.CORPUS_DIR / ".." / "corpus") == []


def test_unknown_parameter_lists_the_known_ones(monkeypatch):
    [line] = problems(monkeypatch, parameters={"topic_kk": 6})
    assert line == ("-p: no notebook run declares a parameter 'topic_kk' — use one of "
                    "claims, progress, target_window, topic_k")


def test_parameter_of_a_notebook_not_run_is_refused(monkeypatch):
    [line] = problems(monkeypatch, only=["01-corpus"], parameters={"topic_k": 6})
    assert "no notebook run declares a parameter 'topic_k' — these notebooks take no other parameter" in line
    assert problems(monkeypatch, only=["06-validation"], parameters={"topic_k": 6}) == []


@pytest.mark.parametrize("name, option", [("corpus_dir", "--corpus"), ("out_dir", "--out")])
def test_routed_parameters_are_refused(monkeypatch, name, option):
    [line] = problems(monkeypatch, parameters={name: "x"})
    assert line == f"-p: {name} is set by {option} — use {option} instead of -p {name}=…"


def test_every_problem_is_listed_at_once(monkeypatch, tmp_path):
    lines = problems(monkeypatch, corpus=tmp_path, only=["99-x"], parameters={"nope": 1})
    assert [line.split(":")[0] for line in lines] == ["--only", "--corpus", "-p"]


def test_bad_corpus_stops_the_run_before_anything_starts(monkeypatch, tmp_path):
    root = make_corpus(tmp_path / "c", texts={"alpha-2020": b"", "beta-2021": "Beta Headline\nText.\n"})
    monkeypatch.setattr(report, "notebook_pool", lambda workers: pytest.fail("a worker was started"))
    with pytest.raises(InputError, match=r"alpha-2020\.txt: is empty"):
        report_run(corpus=root, out=tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c"]


# all or nothing ---------------------------------------------------------------------------

def test_failed_notebook_leaves_previous_outputs_and_no_staging(fake_run, tmp_path):
    calls, failing = fake_run
    out = previous_outputs(tmp_path / "out")
    failing.add("03-frames")
    before = snapshot(tmp_path)
    with pytest.raises(ReportError, match="03-frames.py: cell 3 raised ValueError"):
        report_run(out=out, workers=2, log=lambda line: None)
    assert calls and all(root.name.startswith(".report-staging-") for _, _, root in calls)
    assert snapshot(tmp_path) == before
    assert staging_left(tmp_path) == []


def test_failed_run_into_a_new_folder_leaves_no_folder(fake_run, tmp_path):
    _, failing = fake_run
    failing.add("01-corpus")
    with pytest.raises(ReportError):
        report_run(out=tmp_path / "new" / "out", workers=1, log=lambda line: None)
    assert list(tmp_path.iterdir()) == []


def test_interrupt_leaves_previous_outputs_and_no_staging(fake_run, monkeypatch, tmp_path):
    out = previous_outputs(tmp_path / "out")
    before = snapshot(tmp_path)
    original = report.notebook_run  # the stand-in of fake_run

    def interrupted(source, parameters, paths):
        original(source, parameters, paths)
        if source.stem == "02-vocabulary":
            raise report.Interrupted(signal.SIGTERM)
        return source.stem, source.stem, 0.0

    monkeypatch.setattr(report, "notebook_run", interrupted)
    with pytest.raises(report.Interrupted):
        report_run(out=out, workers=1, log=lambda line: None)
    assert snapshot(tmp_path) == before
    assert staging_left(tmp_path) == []


def test_successful_run_moves_every_output_into_place(fake_run, tmp_path):
    out = previous_outputs(tmp_path / "out")
    (out / "results" / "tables" / "kept.csv").write_text("not this run's\n")
    report_run(out=out, workers=2, log=lambda line: None)
    for stem in STEMS:
        assert (out / "results" / "tables" / f"{stem}.csv").read_text() == f"new {stem}\n"
        assert (out / "notebooks" / f"{stem}.ipynb").exists()
    assert (out / "results" / "tables" / "kept.csv").read_text() == "not this run's\n"
    assert "Title 06-validation" in (out / "reports" / "index.html").read_text()
    assert '"06-validation.csv"' not in (out / "results" / "MANIFEST.json").read_text()
    assert '"tables/06-validation.csv"' in (out / "results" / "MANIFEST.json").read_text()
    assert staging_left(tmp_path) == []


def test_only_replaces_the_outputs_of_its_notebooks(fake_run, tmp_path):
    out = previous_outputs(tmp_path / "out")
    index, sidecar = (out / "reports" / "index.html").stat().st_mtime_ns, (out / "results" / "MANIFEST.json").read_text()
    report_run(out=out, only=["02-vocabulary"], log=lambda line: None)
    tables = {p.stem: p.read_text() for p in (out / "results" / "tables").iterdir()}
    assert tables == {stem: f"{'new' if stem == '02-vocabulary' else 'old'} {stem}\n" for stem in STEMS}
    assert (out / "reports" / "index.html").stat().st_mtime_ns == index
    assert (out / "results" / "MANIFEST.json").read_text() == sidecar


def test_parameters_reach_the_notebooks_that_declare_them(fake_run, tmp_path):
    calls, _ = fake_run
    report_run(out=tmp_path / "out", parameters={"topic_k": 6}, log=lambda line: None)
    given = {stem: parameters for stem, parameters, _ in calls}
    assert given["06-validation"] == {"out_dir": str(tmp_path / "out"), "topic_k": 6}
    assert given["01-corpus"] == {"out_dir": str(tmp_path / "out")}


def test_progress_has_a_start_and_an_end_line_per_notebook(fake_run, tmp_path):
    lines = []
    report_run(out=tmp_path / "out", workers=1, log=lines.append)
    order = [s.stem for s in notebook_schedule(notebook_sources())]
    n = len(order)
    expected = [pattern for i, stem in enumerate(order, 1) for pattern in (
        rf"{stem}: started \({i}/{n}; \d+ s in; running: {stem}\)",
        rf"{stem}: done in 0\.2 s \({i}/{n}; \d+ s in; running: none\)")]
    assert len(lines) == len(expected) + 1
    assert all(re.fullmatch(p, line) for p, line in zip(expected, lines)), lines
    assert lines[-1] == "results/MANIFEST.json: provenance stamp and sha256 of every table and figure"


def test_progress_names_the_notebooks_running_side_by_side(fake_run, tmp_path):
    lines = []
    report_run(out=tmp_path / "out", workers=2, log=lines.append)
    first, second = [s.stem for s in notebook_schedule(notebook_sources())][:2]
    assert re.fullmatch(rf"{first}: started \(1/\d+; \d+ s in; running: {first}\)", lines[0])
    assert re.fullmatch(rf"{second}: started \(2/\d+; \d+ s in; running: {', '.join(sorted([first, second]))}\)",
                        lines[1])


def test_staging_sits_next_to_the_destination(tmp_path):
    assert report.staging_create(tmp_path).parent == tmp_path
    assert report.staging_create(tmp_path / "a" / "b").parent == tmp_path


# real kernels -----------------------------------------------------------------------------

def run_cli(*args, **kwargs):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True,
                          cwd=config.ROOT, timeout=600, **kwargs)


@pytest.mark.slow
def test_one_notebook_end_to_end(tmp_path):
    # Notebook 01 lists outlets and authors: the toy corpus states them.
    metadata = [{**row, "outlet": "Toy Review", "outlet_basis": "inferred: toy", "authors": "A. Writer",
                 "authors_basis": "inferred: toy"} for row in TOY_METADATA]
    corpus = make_corpus(tmp_path / "c", metadata=metadata)
    result = run_cli("report", "--corpus", str(corpus), "--out", str(tmp_path / "out"), "--only", "01-corpus")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"report written to {tmp_path / 'out' / 'reports'}\n"
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"01-corpus: started \(1/1; \d+ s in; running: 01-corpus\)", lines[0])
    assert re.fullmatch(r"01-corpus: done in \d+\.\d s \(1/1; \d+ s in; running: none\)", lines[1])
    assert len(lines) == 2, result.stderr  # nothing else: no kernel shutdown warning
    assert (tmp_path / "out" / "notebooks" / "01-corpus.ipynb").exists()
    assert (tmp_path / "out" / "results" / "tables" / "corpus_counts.csv").exists()
    assert staging_left(tmp_path) == []


def marked_processes(mark):
    """Pids of live processes whose environment holds ``mark`` (the run, its workers, their kernels)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and mark.encode() in (entry / "environ").read_bytes():
                state = next(l for l in (entry / "status").read_text().splitlines() if l.startswith("State:"))
                if "zombie" not in state:
                    found.append(int(entry.name))
        except OSError:
            continue
    return found


def kernels(pids):
    """The kernels among ``pids``: started from scratch (``ipykernel_launcher``), or forked by a zygote."""
    def command(pid):
        try:
            return Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return b""

    def parent(pid):
        try:
            return int(next(l for l in Path(f"/proc/{pid}/status").read_text().splitlines()
                            if l.startswith("PPid:")).split()[1])
        except (OSError, StopIteration):
            return 0

    zygote = b"analysis.kernel_zygote"
    return [pid for pid in pids
            if b"ipykernel" in command(pid) or (zygote in command(pid) and zygote in command(parent(pid)))]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc to find the kernels")
@pytest.mark.parametrize("signum, status, group", [(signal.SIGINT, 130, True), (signal.SIGTERM, 143, False)],
                         ids=["SIGINT", "SIGTERM"])
def test_interrupt_stops_workers_and_kernels_and_changes_nothing(tmp_path, signum, status, group):
    corpus = make_corpus(tmp_path / "c")
    out = previous_outputs(tmp_path / "out")
    before = snapshot(out)
    mark = f"REPORT_TEST_MARK={tmp_path}"
    env = {**os.environ, "REPORT_TEST_MARK": str(tmp_path)}
    # SIGINT as Ctrl-C sends it (to the whole process group); SIGTERM as `kill` does (to one process).
    # 06-validation runs for about a minute on the toy corpus before it needs more text than there is.
    process = subprocess.Popen([sys.executable, "-m", "analysis", "report", "--corpus", str(corpus), "--out", str(out),
                                "--only", "06-validation"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=config.ROOT, env=env,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not kernels(marked_processes(mark)) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        assert kernels(marked_processes(mark)), "no kernel started"
        time.sleep(1)
        os.killpg(process.pid, signum) if group else process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == status, stderr
    assert stderr.splitlines()[-1] == "interrupted — previous outputs left unchanged"
    assert "Traceback" not in stderr and stdout == ""
    assert snapshot(out) == before
    assert staging_left(tmp_path) == []
    assert marked_processes(mark) == []


def test_signal_while_moving_into_place_waits_for_the_move(fake_run, monkeypatch, tmp_path):
    original = report.staging_commit

    def commit(staging, root):
        os.kill(os.getpid(), signal.SIGINT)
        return original(staging, root)

    monkeypatch.setattr(report, "staging_commit", commit)
    lines = []
    report_run(out=tmp_path / "out", log=lines.append)
    assert "SIGINT received while the outputs were moved into place; the run is complete" in lines
    assert sorted(p.stem for p in (tmp_path / "out" / "results" / "tables").iterdir()) == STEMS
    assert staging_left(tmp_path) == []


@pytest.mark.slow
def test_ctrl_c_while_workers_start_is_one_line(tmp_path):
    corpus = make_corpus(tmp_path / "c")
    process = subprocess.Popen([sys.executable, "-m", "analysis", "report", "--corpus", str(corpus), "--out",
                                str(tmp_path / "out"), "--only", "06-validation"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=config.ROOT, start_new_session=True)
    try:
        assert process.stderr.readline().startswith("06-validation: started (1/1;")
        time.sleep(0.3)  # the worker process is importing its modules
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130
    assert stderr == "interrupted — previous outputs left unchanged\n"
    assert list(tmp_path.iterdir()) == [tmp_path / "c"]


def test_study_paths_follow_the_staging_folder(monkeypatch, tmp_path):
    monkeypatch.setenv(config.STAGING_ENV, str(tmp_path))
    assert config.study_paths(tmp_path / "elsewhere").root == tmp_path
    assert config.study_paths().root == tmp_path


# -- rendering: cells tagged hide-input show their output and not their code --------------


