"""Kernels forked from a zygote are the kernels a fresh start gives (analysis.kernel_fork)."""
from __future__ import annotations

import json
import os
import signal
import sys
import textwrap
import time

import nbformat
import pytest

from analysis import config, kernel_fork, kernels

pytestmark = pytest.mark.skipif(not (hasattr(os, "fork") and hasattr(os, "pidfd_open")),
                                reason="kernels are forked on Linux only")

# What a notebook could see of its process, compared between the two kernels.
STATE = textwrap.dedent("""
    import json, os, signal, sys, threading, warnings
    import matplotlib, nltk, pandas as pd, sklearn.linear_model
    import matplotlib.pyplot as plt
    state = dict(
        path=sys.path, argv=sys.argv[:1] + sys.argv[3:], cwd=os.getcwd(), env=sorted(os.environ.items()),
        main=sys.modules["__main__"].__name__, hash=hash("abc"), flags=str(sys.flags),
        signals=[str(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD, signal.SIGPIPE)],
        session=os.getsid(0) == os.getpid(), group=os.getpgid(0) == os.getpid(),
        stdout=[sys.stdout.encoding, sys.stdout.isatty(), type(sys.stdout).__name__, type(sys.stderr).__name__],
        pandas=[str(pd.get_option(o)) for o in ("display.max_columns", "display.width", "display.encoding")],
        backend=matplotlib.get_backend(), rc=sorted((k, str(v)) for k, v in matplotlib.rcParams.items()),
        threads=sorted(t.name for t in threading.enumerate()), warnings=[str(f) for f in warnings.filters],
        nltk=nltk.data.path, fds=len(os.listdir("/proc/self/fd")),
    )
    print(json.dumps(state))
""")
DRAW = "import numpy as np\nprint(np.random.random())"  # Python's random reseeds itself after a fork; numpy does not
WIDE = "import pandas as pd\npd.DataFrame({f'column {i}': ['a long cell value ' * 3] for i in range(30)})"


def _run(cells, tmp_path, workdir=config.NOTEBOOKS_DIR):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.cells.append(nbformat.v4.new_code_cell("import os; print(os.getppid())"))
    kernels.notebook_execute(nb, workdir, staging=tmp_path)
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
    work = tmp_path / "work"
    work.mkdir()
    (work / "matplotlibrc").write_text("lines.linewidth: 7\n")  # read from the working folder on import
    forked, parent = _run([STATE, WIDE, DRAW], tmp_path, work)
    assert parent == kernel_fork._ZYGOTE.process.pid  # forked indeed
    again, parent_again = _run([STATE, WIDE, DRAW], tmp_path, work)
    assert parent_again == parent  # one zygote serves every kernel with this environment and folder
    monkeypatch.setattr(kernel_fork, "zygote_for", lambda env, cwd: None)
    fresh, fresh_parent = _run([STATE, WIDE, DRAW], tmp_path, work)
    assert fresh_parent == os.getpid()
    state, fresh_state = json.loads(forked[0][0]["text"]), json.loads(fresh[0][0]["text"])
    for key in fresh_state:
        assert state[key] == fresh_state[key], key
    assert ["lines.linewidth", "7.0"] in fresh_state["rc"]
    assert "KMP_INIT_AT_FORK" in dict(fresh_state["env"])  # set by scikit-learn on import
    assert forked[:2] == fresh[:2] == again[:2]
    assert "[1 rows x 30 columns]" in fresh[1][0]["data"]["text/plain"]  # pandas shows a kernel's 20 columns
    assert forked[2][0]["text"] != again[2][0]["text"]  # unseeded draws differ between kernels, as between fresh ones


@pytest.mark.slow
def test_a_kernel_of_another_environment_or_folder_starts_from_scratch(zygote, tmp_path):
    _, first = _run(["1"], tmp_path / "a")
    _, other_environment = _run(["1"], tmp_path / "b")  # another staging folder: another environment
    _, other_folder = _run(["1"], tmp_path / "a", workdir=tmp_path)
    assert first == kernel_fork._ZYGOTE.process.pid
    assert other_environment == other_folder == os.getpid()


def _kernel_started(tmp_path):
    """A kernel started by the provisioner, as notebook_execute starts one."""
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name="python3", transport="ipc", connection_file=str(tmp_path / "k.json"))
    manager.kernel_id = "k"
    manager.provisioner = kernel_fork.ForkedProvisioner(kernel_id="k", kernel_spec=manager.kernel_spec, parent=manager)
    old = dict(os.environ)
    os.environ.update(config.DETERMINISTIC_ENV)
    try:
        manager.start_kernel(cwd=str(tmp_path))
    finally:
        os.environ.clear()
        os.environ.update(old)
    return manager


def _dead(pid):
    """Whether process ``pid`` has ended (gone, or a zombie no one has reaped yet)."""
    try:
        status = open(f"/proc/{pid}/status").read()
    except FileNotFoundError:
        return True
    return "State:\tZ" in status


def _gone(pid):
    """Whether process ``pid`` has ended and been reaped."""
    return not os.path.exists(f"/proc/{pid}")


def _until(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


@pytest.mark.slow
def test_the_zygote_stops_its_kernels_when_its_worker_goes(zygote, tmp_path):
    kernel = _kernel_started(tmp_path).provisioner.process
    assert isinstance(kernel, kernel_fork.ForkedKernel) and kernel.poll() is None
    kernel_fork._ZYGOTE.close()  # as when the worker process ends: its end of the channel closes
    assert kernel_fork._ZYGOTE.process.returncode == 0
    assert _gone(kernel.pid)  # killed and reaped by the zygote before it exited
    kernel.wait(timeout=10)


@pytest.mark.slow
def test_a_kernel_dies_with_its_zygote_and_the_next_starts_from_scratch(zygote, tmp_path):
    kernel = _kernel_started(tmp_path).provisioner.process
    assert isinstance(kernel, kernel_fork.ForkedKernel)
    os.kill(kernel_fork._ZYGOTE.process.pid, signal.SIGKILL)  # no chance to clean up
    assert _until(lambda: _dead(kernel.pid))  # PR_SET_PDEATHSIG
    assert kernel.wait(timeout=10) == -signal.SIGKILL  # the zygote cannot tell any more
    _, parent = _run(["1"], tmp_path)
    assert parent == os.getpid()  # started from scratch, and no other zygote was started
    assert kernel_fork.zygote_for({**os.environ}, str(tmp_path)) is None


@pytest.mark.slow
def test_a_forked_kernel_is_interrupted_stopped_and_reaped(zygote, tmp_path):
    manager = _kernel_started(tmp_path)
    kernel = manager.provisioner.process
    assert isinstance(kernel, kernel_fork.ForkedKernel)
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=60)
    manager.interrupt_kernel()  # SIGINT to its process group: an idle kernel carries on
    assert client.execute_interactive("x = 1", timeout=30)["content"]["status"] == "ok"
    client.stop_channels()
    manager.shutdown_kernel(now=False)
    assert kernel.returncode == 0 and _gone(kernel.pid)  # reaped by the zygote once asked
    kernel.kill()  # ended: nothing is sent


@pytest.mark.slow
def test_a_forked_kernel_reports_how_it_ended(zygote, tmp_path):
    env = {**os.environ, **config.DETERMINISTIC_ENV}
    zygote = kernel_fork.zygote_for(env, str(tmp_path))
    # not a kernel: an option ipykernel's application refuses, which ends the process with a failure
    pid, pidfd = zygote.fork([sys.executable, "-m", "ipykernel_launcher", "--no-such-option"])
    kernel = kernel_fork.ForkedKernel(zygote, pid, pidfd)
    code = kernel.wait(timeout=30)
    assert code not in (0, None, -signal.SIGKILL) and kernel.poll() == code and _gone(pid)
