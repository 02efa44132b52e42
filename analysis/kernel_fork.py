"""Kernels forked from a process that has already imported the scientific stack.

A kernel started from scratch spends about 2.5 s of processor time starting Python and
IPython and importing numpy, pandas, scipy, scikit-learn, matplotlib and nltk before a
notebook's first line runs, and the report starts seven. Here each worker process of the
report keeps one *zygote*: a process that imports those libraries once (:data:`PRELOAD`)
and then forks a new process for every kernel (:class:`ForkedProvisioner`, a
``jupyter_client`` kernel provisioner). A forked kernel starts with the libraries in
memory and nothing else: no notebook runs in the zygote, so every notebook still runs in
a kernel of its own, with its own process, session and namespace, as in JupyterLab.

What could make a forked kernel differ from one started from scratch is what Python and
the libraries read when they start or are imported. So the zygote is started with the
kernel's own environment (the hash seed, thread counts and matplotlib's folder and
backend of :func:`analysis.kernels.notebook_execute`), a kernel is forked only from a
zygote started with exactly its environment (any other is started from scratch), and
ipykernel, which reads its parent's process id when imported, is imported by each
kernel. The forked process is given what ``python -m ipykernel_launcher`` would have
had: environment, working folder, arguments, ``sys.path`` and a session of its own (so
that stopping its process group stops what it started). The zygote forks only while it
is a single thread. The study's outputs are the same to the byte either way (tested).

Forking needs Linux (``os.fork`` and ``os.pidfd_open``); elsewhere every kernel is
started from scratch. When the worker process ends, its zygote stops the kernels it
forked that still run, and exits.
"""
from __future__ import annotations

import importlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
from typing import Any

from jupyter_client.provisioning import LocalProvisioner

#: Modules the zygote imports before it forks a kernel: the libraries the notebooks import,
#: none of which reads a setting that differs between the kernels of one run when imported.
PRELOAD = ("numpy", "scipy.sparse", "scipy.stats", "pandas", "sklearn.base", "sklearn.linear_model",
           "sklearn.calibration", "sklearn.feature_extraction.text", "sklearn.decomposition",
           "sklearn.metrics", "matplotlib", "matplotlib.figure", "nltk", "IPython", "zmq", "tornado")

#: The backend ipykernel gives matplotlib when none is set; matplotlib reads it on import.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


# --- the zygote's side ------------------------------------------------------------------

def _kernel_main(argv: list[str], env: dict[str, str], cwd: str) -> None:
    """Become the kernel that ``argv`` (``python -m ipykernel_launcher -f FILE ...``) starts."""
    os.setsid()
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    # the folder ``python -m`` put first on the path: ipykernel_launcher drops its own
    del sys.path[0]
    import ipykernel_launcher
    from ipykernel import kernelapp

    sys.argv = [ipykernel_launcher.__file__, *argv[3:]]
    kernelapp.launch_new_instance()


def _reap(statuses: dict[int, int]) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        statuses[pid] = os.waitstatus_to_exitcode(status)


def _single_threaded() -> bool:
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def _fork(request: dict, channel: socket.socket) -> int:
    """Fork the kernel of ``request`` and return its process id (in the zygote)."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        os.close(channel.fileno())  # the zygote's end of the channel stays with the zygote
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _kernel_main(request["argv"], request["env"], request["cwd"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # the kernel's own failure: shown on stderr, as a kernel started from scratch shows it
        import traceback

        traceback.print_exc()
    finally:
        try:
            import atexit

            atexit._run_exitfuncs()  # what an interpreter runs at exit; os._exit skips it
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


class _KernelShell:
    """What ``get_ipython()`` returns in a kernel, as far as a library asks when it is imported."""

    kernel = True


def preload() -> None:
    """Import :data:`PRELOAD` as a kernel would import it.

    In a kernel, ``get_ipython()`` is a shell with a ``kernel`` and the standard streams
    are ipykernel's, which are no terminal and encode UTF-8; pandas asks both when it is
    imported (to choose how many columns a table shows, and its display encoding). So,
    while the modules are imported, ``get_ipython`` and the streams answer as they would
    in a kernel. These two are everything the preloaded modules read of the process
    when imported (a test records every access).
    """
    import builtins
    import io

    shell, streams = _KernelShell(), (sys.stdout, sys.stderr)
    builtins.get_ipython = lambda: shell
    sys.stdout = sys.stderr = io.TextIOWrapper(io.BytesIO(), encoding="UTF-8")
    try:
        for name in PRELOAD:
            importlib.import_module(name)
    finally:
        del builtins.get_ipython
        sys.stdout, sys.stderr = streams


def zygote_main(fd: int) -> None:
    """Serve fork and status requests on the socket ``fd`` until it closes; then stop the kernels left."""
    preload()
    statuses: dict[int, int] = {}
    children: set[int] = set()
    signal.signal(signal.SIGCHLD, lambda signum, frame: _reap(statuses))
    channel = socket.socket(fileno=fd)
    stream = channel.makefile("rwb")
    for line in stream:
        request = json.loads(line)
        _reap(statuses)
        if request["do"] == "fork":
            if _single_threaded():
                pid = _fork(request, channel)
                children.add(pid)
                reply = {"pid": pid}
            else:
                reply = {"pid": None}
        else:
            reply = {"code": statuses.get(request["pid"])}
        stream.write(json.dumps(reply).encode() + b"\n")
        stream.flush()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _reap(statuses)
    for pid in sorted(children - set(statuses)):
        for kill in (os.killpg, os.kill):  # its session, or itself if it has not made one yet
            try:
                kill(pid, signal.SIGKILL)
                break
            except OSError:
                pass


# --- the worker's side ------------------------------------------------------------------

class Zygote:
    """A zygote process started with environment ``env``, and the channel to it."""

    def __init__(self, env: dict[str, str]):
        self.env = dict(env)
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen([sys.executable, "-m", "analysis.kernel_fork", str(theirs.fileno())],
                                            env=self.env, pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL)
        self._channel = ours
        self._stream = ours.makefile("rwb")
        self._lock = threading.Lock()

    def _ask(self, **request) -> dict:
        with self._lock:
            self._stream.write(json.dumps(request).encode() + b"\n")
            self._stream.flush()
            line = self._stream.readline()
        if not line:
            raise OSError("the kernel zygote has ended")
        return json.loads(line)

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int | None:
        """The process id of a new kernel, or ``None`` when the zygote cannot fork safely."""
        return self._ask(do="fork", argv=list(argv), env=dict(env), cwd=str(cwd))["pid"]

    def exit_code(self, pid: int) -> int | None:
        return self._ask(do="status", pid=pid)["code"]

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """Close the channel, as the worker's end does when the worker ends; the zygote then
        kills the kernels it forked that still run, and exits."""
        self._stream.close()
        self._channel.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


_ZYGOTE: Zygote | None = None


def zygote_for(env: dict[str, str]) -> Zygote | None:
    """This process's zygote, started with ``env`` on first use; ``None`` when a kernel with
    environment ``env`` cannot be forked from it (another environment, no ``os.pidfd_open``)."""
    global _ZYGOTE
    if not (hasattr(os, "fork") and hasattr(os, "pidfd_open")):
        return None
    if _ZYGOTE is None or not _ZYGOTE.alive():
        _ZYGOTE = Zygote(env)
    return _ZYGOTE if _ZYGOTE.env == env else None


class ForkedKernel:
    """The parts of ``subprocess.Popen`` that ``jupyter_client`` uses, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, zygote: Zygote, pid: int):
        self._zygote = zygote
        self.pid = pid
        self._exited = os.pidfd_open(pid)  # readable once the process has ended
        self.returncode: int | None = None

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            ready, _, _ = select.select([self._exited], [], [], timeout)
            if not ready:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            code = self._exit_code()
            while code is None:  # ended, not yet reaped by the zygote
                select.select([], [], [], 0.005)
                code = self._exit_code()
            os.close(self._exited)
            self.returncode = code
        return self.returncode

    def _exit_code(self) -> int | None:
        try:
            return self._zygote.exit_code(self.pid)
        except (OSError, ValueError):  # the zygote has ended, killing the kernels it had left
            return -signal.SIGKILL

    def poll(self) -> int | None:
        try:
            return self.wait(0)
        except subprocess.TimeoutExpired:
            return None

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkedProvisioner(LocalProvisioner):
    """A local kernel provisioner whose kernels are forked from this process's zygote.

    A kernel that cannot be forked (see :func:`zygote_for`) is started as
    ``LocalProvisioner`` starts it.
    """

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        env = dict(kwargs["env"]) if kwargs.get("env") is not None else dict(os.environ)
        env.setdefault("JPY_PARENT_PID", str(os.getpid()))  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or os.getcwd())
        zygote = zygote_for(env)
        pid = zygote.fork(cmd, env, cwd) if zygote is not None else None
        if pid is None:
            return await super().launch_kernel(cmd, **kwargs)
        self.process = ForkedKernel(zygote, pid)
        self.pid = self.pgid = pid  # the kernel leads its own session (os.setsid)
        self.cwd = cwd
        return self.connection_info


if __name__ == "__main__":
    zygote_main(int(sys.argv[1]))
