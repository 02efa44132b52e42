"""The zygote: a process that imports the scientific stack once, then forks kernels.

Run as ``python -m analysis.kernel_zygote FD`` by :class:`analysis.kernel_fork.Zygote`,
in the kernels' environment and working folder, it imports :data:`PRELOAD` as a kernel
would (:func:`preload`) and answers requests on the socket ``FD``, one JSON line each:
``{"do": "fork", "argv", "env", "cwd"}`` forks a kernel and answers its process id,
with a pidfd of it passed alongside; ``{"do": "status", "pid"}`` answers the exit code
of a kernel that has ended (its zombie is reaped only then, so that no process id is
reused while the worker may still signal it). When the socket closes (the worker has
ended), the zygote kills the kernels that still run and exits. This module imports only
the standard library, so that everything it preloads is imported under the stand-ins of
:func:`preload`.
"""
from __future__ import annotations

import importlib
import io
import json
import os
import signal
import socket
import sys
import threading
import warnings

#: Modules the zygote imports before it forks a kernel: the libraries the notebooks import
#: and those ipykernel starts with (ipykernel itself reads its parent's process id when
#: imported, so each kernel imports it).
PRELOAD = ("IPython", "zmq", "tornado", "traitlets", "jupyter_client",  # what a kernel imports as it starts
           "numpy", "scipy.sparse", "scipy.stats", "pandas", "sklearn.base", "sklearn.linear_model",
           "sklearn.calibration", "sklearn.feature_extraction.text", "sklearn.decomposition",
           "sklearn.metrics", "matplotlib", "matplotlib.figure", "nltk")  # what the notebooks import
#: How many of :data:`PRELOAD` a kernel imports as it starts, before any notebook runs.
KERNEL_STACK = 5


class _KernelShell:
    """What ``get_ipython()`` returns in a kernel, as far as a library asks when it is imported."""

    kernel = True


class _KernelStream(io.TextIOBase):
    """A stand-in for ``sys.stdout`` or ``sys.stderr`` while the preloaded modules are imported.

    It answers as ipykernel's streams do (UTF-8, no terminal) and writes to whatever the
    stream of that name is when it writes: the zygote's own while preloading, the
    kernel's (which shows text in the notebook) in a kernel, so that a module that keeps
    a reference to the stream it found when imported writes where it would in a kernel.
    """

    def __init__(self, name: str):
        self._name = name
        self._own = getattr(sys, name)

    @property
    def encoding(self) -> str:
        return "UTF-8"

    def _target(self):
        current = getattr(sys, self._name)
        return self._own if current is self else current

    def write(self, text: str) -> int:
        return self._target().write(text)

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return False


#: The warning filters before the preload, and those the preloaded modules put in front of them.
_FILTERS: dict[str, list] = {}


def preload() -> bool:
    """Import :data:`PRELOAD` as a kernel would import it; return whether kernels forked
    afterwards can be given the warning filters a kernel would have.

    In a kernel, ``get_ipython()`` is a shell with a ``kernel``, and the standard streams
    are ipykernel's, which are no terminal and encode UTF-8; pandas asks both when it is
    imported (to choose how many columns a table shows, and its display encoding). So
    while the modules are imported ``get_ipython`` and the streams answer as in a kernel
    (:class:`_KernelStream`). A test records what the preloaded modules ask of
    ``get_ipython`` and the streams when imported, and fails when that grows.

    numpy and scipy put warning filters in front of the list when imported; in a kernel
    they come before the kernel's own, which it sets up as it starts, before a notebook
    imports anything. The filters the notebooks' libraries add are kept, so that each
    kernel can start with the list as it was and then put them in front
    (:func:`_kernel_main`). That needs the modules a kernel imports as it starts to add no
    filter and the others to have only put filters in front; otherwise no kernel is forked.
    """
    import builtins

    base = list(warnings.filters)
    shell, streams = _KernelShell(), (sys.stdout, sys.stderr)
    builtins.get_ipython = lambda: shell
    sys.stdout, sys.stderr = _KernelStream("stdout"), _KernelStream("stderr")
    try:
        for name in PRELOAD[:KERNEL_STACK]:
            importlib.import_module(name)
        before = list(warnings.filters)
        for name in PRELOAD[KERNEL_STACK:]:
            importlib.import_module(name)
    finally:
        del builtins.get_ipython
        sys.stdout, sys.stderr = streams
    added = len(warnings.filters) - len(before)
    _FILTERS.update(before=before, added=list(warnings.filters[:added]))
    return before == base and added >= 0 and warnings.filters[added:] == before


def _die_with_parent() -> None:
    """Ask Linux to kill this process when the zygote ends (``PR_SET_PDEATHSIG``)."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass


def _kernel_main(argv: list[str]) -> None:
    """Become the kernel that ``argv`` (``python -m ipykernel_launcher -f FILE ...``) starts.

    The environment and working folder are already the kernel's: the zygote is started
    with them, and a kernel is forked only from a zygote started with its own.
    """
    os.setsid()
    _die_with_parent()
    import numpy

    numpy.random.seed()  # numpy's global generator, seeded once in the zygote: seeded anew, as on import
    warnings.filters[:] = _FILTERS["before"]  # as when the kernel starts; the libraries' come later
    warnings._filters_mutated()
    import ipykernel_launcher
    from ipykernel import kernelapp

    sys.argv = [ipykernel_launcher.__file__, *argv[3:]]
    # kernelapp.launch_new_instance(), with the preloaded modules' warning filters put in
    # front once the kernel has set up its own, as if they were imported by the notebook
    app = kernelapp.IPKernelApp.instance()
    app.initialize()
    warnings.filters[:0] = _FILTERS["added"]
    warnings._filters_mutated()
    app.start()


def _exit(code: int) -> None:
    """Leave as an interpreter does (non-daemon threads joined, then ``atexit``), with ``code``."""
    try:
        threading._shutdown()
        import atexit

        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


def _fork(argv: list[str], channel: socket.socket) -> int:
    """Fork the kernel of ``argv``; return its process id (in the zygote)."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        os.close(channel.fileno())  # the zygote's end of the channel stays with the zygote
        _kernel_main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # the kernel's own failure, shown on stderr as a kernel started from scratch shows it
        import traceback

        traceback.print_exc()
    finally:
        _exit(code)


def _single_threaded() -> bool:
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return threading.active_count() == 1


def _ended(pid: int) -> int | None:
    """The exit code of child ``pid`` if it has ended (reaping it), else None."""
    try:
        done, status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return None
    return os.waitstatus_to_exitcode(status) if done else None


def _serve(channel: socket.socket, children: set[int], faithful: bool) -> None:
    stream = channel.makefile("rb")
    for line in stream:
        request = json.loads(line)
        if request["do"] == "fork" and faithful and _single_threaded():
            pid = _fork(request["argv"], channel)
            children.add(pid)
            pidfd = os.pidfd_open(pid)
            try:
                socket.send_fds(channel, [json.dumps({"pid": pid}).encode() + b"\n"], [pidfd])
            finally:
                os.close(pidfd)
            continue
        if request["do"] == "fork":
            reply = {"pid": None}  # no faithful or safe fork: the worker starts this kernel from scratch
        else:
            code = _ended(request["pid"])
            if code is not None:
                children.discard(request["pid"])
            reply = {"code": code}
        channel.sendall(json.dumps(reply).encode() + b"\n")


def zygote_main(fd: int) -> None:
    """Serve the worker on socket ``fd`` until it closes; then kill the kernels left and reap them all."""
    del sys.path[0]  # the folder ``python -m`` put first, which a kernel drops (ipykernel_launcher)
    faithful = preload()
    channel = socket.socket(fileno=fd)
    children: set[int] = set()
    try:
        _serve(channel, children, faithful)
    finally:
        for pid in sorted(children):
            if _ended(pid) is None:
                for kill in (os.killpg, os.kill):  # its session, or itself if it has not made one yet
                    try:
                        kill(pid, signal.SIGKILL)
                        break
                    except OSError:
                        pass
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass


if __name__ == "__main__":
    zygote_main(int(sys.argv[1]))
