"""Kernels forked from a zygote are the kernels a fresh start gives (analysis.kernel_fork)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import nbformat
import pytest

from analysis import config, kernel_fork, kernels

pytestmark = pytest.mark.skipif(not (hasattr(os, "fork") and hasattr(os, "pidfd_open")),
                                reason="kernels are forked on Linux only")

# What a notebook could see of its process: each line is compared between the two kernels.
STATE = textwrap.dedent("""
    import json, os, signal, sys, threading
    import matplotlib, pandas as pd
    import matplotlib.pyplot as plt
    state = dict(
        path=sys.path, argv=sys.argv[:1] + sys.argv[3:], cwd=os.getcwd(), env=sorted(os.environ.items()),
        main=sys.modules["__main__"].__name__, hash=hash("abc"), flags=str(sys.flags),
        signals=[str(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE)],
        session=os.getsid(0) == os.getpid(), group=os.getpgid(0) == os.getpid(),
        stdout=[sys.stdout.encoding, sys.stdout.isatty(), type(sys.stdout).__name__],
        pandas=[pd.get_option(o) for o in ("display.max_columns", "display.width", "display.encoding")],
        backend=matplotlib.get_backend(), rc=sorted((k, str(v)) for k, v in matplotlib.rcParams.items()),
        threads=threading.active_count(),
    )
    print(json.dumps(state))
""")
WIDE = "import pandas as pd\npd.DataFrame({f'column {i}': ['a long cell value ' * 3] for i in range(30)})"


def _run(cells, tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.cells.append(nbformat.v4.new_code_cell("import os; print(os.getppid())"))
    kernels.notebook_execute(nb, config.NOTEBOOKS_DIR, staging=tmp_path)
    parent = int(nb.cells[-1].outputs[0]["text"])
    return [cell.outputs for cell in nb.cells[:-1]], parent


@pytest.fixture
def zygote(monkeypatch):
    """A zygote of the test's own (started by the first kernel), stopped after the test."""
    monkeypatch.setattr(kernel_fork, "_ZYGOTE", None)
    monkeypatch.setattr(kernels, "notebook_check", lambda nb: None)  # the state printed holds paths
    yield
    if kernel_fork._ZYGOTE is not None:
        kernel_fork._ZYGOTE.close()


def test_a_forked_kernel_is_the_kernel_a_fresh_start_gives(zygote, monkeypatch, tmp_path):
    forked, parent = _run([STATE, WIDE], tmp_path)
    assert parent == kernel_fork._ZYGOTE.process.pid  # forked indeed
    again, parent_again = _run([STATE, WIDE], tmp_path)
    assert parent_again == parent  # one zygote serves every kernel with this environment
    monkeypatch.setattr(kernel_fork, "zygote_for", lambda env: None)
    fresh, fresh_parent = _run([STATE, WIDE], tmp_path)
    assert fresh_parent == os.getpid()
    for a, b in zip(json.loads(forked[0][0]["text"]).items(), json.loads(fresh[0][0]["text"]).items()):
        assert a == b
    assert forked == fresh == again
    assert "[1 rows x 30 columns]" in fresh[1][0]["data"]["text/plain"]  # pandas shows a kernel's 20 columns


@pytest.mark.slow
def test_a_kernel_of_another_environment_starts_from_scratch(zygote, tmp_path):
    _, first = _run(["1"], tmp_path / "a")
    _, second = _run(["1"], tmp_path / "b")  # another staging folder: another environment
    assert first == kernel_fork._ZYGOTE.process.pid and second == os.getpid()


@pytest.mark.slow
def test_the_zygote_stops_its_kernels_when_its_worker_goes(zygote, tmp_path):
    from jupyter_client.manager import KernelManager

    environment = {**os.environ, **config.DETERMINISTIC_ENV}
    manager = KernelManager(kernel_name="python3", transport="ipc", connection_file=str(tmp_path / "k.json"))
    manager.kernel_id = "k"
    manager.provisioner = kernel_fork.ForkedProvisioner(kernel_id="k", kernel_spec=manager.kernel_spec, parent=manager)
    old = dict(os.environ)
    os.environ.update(environment)
    try:
        manager.start_kernel()
    finally:
        os.environ.clear()
        os.environ.update(old)
    kernel = manager.provisioner.process
    assert isinstance(kernel, kernel_fork.ForkedKernel) and kernel.poll() is None
    kernel_fork._ZYGOTE.close()  # as when the worker process ends: its end of the channel closes
    assert kernel.wait(timeout=10) == -signal.SIGKILL
    assert kernel_fork._ZYGOTE.process.returncode == 0


@pytest.mark.slow
def test_a_forked_kernel_reports_how_it_ended(zygote):
    env = {**os.environ, **config.DETERMINISTIC_ENV}
    zygote = kernel_fork.zygote_for(env)
    # not a kernel: argv that makes ipykernel's application refuse to start, which it reports as exit status 2
    pid = zygote.fork([sys.executable, "-m", "ipykernel_launcher", "--no-such-option"], env, str(config.ROOT))
    kernel = kernel_fork.ForkedKernel(zygote, pid)
    assert kernel.wait(timeout=30) != 0 and kernel.poll() == kernel.returncode
    kernel.kill()  # ended: no signal is sent to a process id that may be reused


def test_preloading_reads_only_what_a_kernel_shell_answers():
    # Every access the preloaded modules make, when imported, to get_ipython and the standard
    # streams: what kernel_fork.preload stands in for. A library that starts reading something
    # else when imported fails this test, and the zygote must then answer that too.
    probe = textwrap.dedent("""
        import builtins, importlib, json, sys, traceback
        from analysis.kernel_fork import PRELOAD
        seen = []
        def where():
            frame = traceback.extract_stack(limit=3)[0]
            return frame.filename.split("site-packages/")[-1]
        class Shell:
            kernel = True
        def get_ipython():
            seen.append(["get_ipython", where()])
            return Shell()
        class Stream:
            def __init__(self, real):
                self._real = real
            def __getattr__(self, name):
                if name not in ("write", "flush"):
                    seen.append([name, where()])
                return getattr(self._real, name)
        builtins.get_ipython = get_ipython
        sys.stdout, sys.stderr = Stream(sys.stdout), Stream(sys.stderr)
        for name in PRELOAD:
            importlib.import_module(name)
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        print(json.dumps(sorted(seen)))
    """)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=config.ROOT,
                            env={**os.environ, **config.DETERMINISTIC_ENV})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [["encoding", "pandas/_config/display.py"],
                                         ["get_ipython", "pandas/core/config_init.py"]]
