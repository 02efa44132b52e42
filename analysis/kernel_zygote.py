"""The zygote: a process that imports the scientific stack once, then forks kernels.

Run as ``python -m analysis.kernel_zygote FD`` by :class:`analysis.kernel_fork.Zygote`,
in the kernels' environment and working folder, it imports :data:`PRELOAD` as a kernel
would (:func:`preload`) and answers requests on the socket ``FD``, one JSON line each:
``{"do": "fork", "argv"}`` forks a kernel and answers its process id, with a pidfd of
it passed alongside (the kernel's environment and folder are the zygote's own);
``{"do": "status", "pid"}`` answers the exit code of a kernel that has ended (its zombie
is reaped only then, so that its process id is not reused while the worker may still
signal it). When the socket closes (the worker has ended), the zygote kills the kernels
that still run, reaps them and exits; a kernel is also killed if the zygote dies. This
module imports only the standard library, so that what it preloads is imported as
:func:`preload` says. If the libraries cannot be preloaded as a kernel would import
them, the zygote says why on stderr and exits, and the worker starts kernels from scratch.
"""
from __future__ import annotations

import importlib
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


class _KernelStream:
    """A stand-in for ``sys.stdout`` or ``sys.stderr`` while the notebooks' libraries are imported.

    Until :meth:`fix`, it answers as ipykernel's streams do (UTF-8, no terminal) and
    keeps what is written to it (:attr:`written`). A kernel fixes it to its own stream
    once that exists; from then on it is that stream in every respect, so that a library
    that kept a reference to the stream it found when imported writes where it would
    have in a kernel started from scratch, which imports it with that stream in place.
    """

    def __init__(self):
        self._fixed = None
        self.written: list[str] = []

    def fix(self, stream) -> None:
        self._fixed = stream

    def __getattr__(self, name: str):
        if self._fixed is None:
            raise AttributeError(f"{name!r}: not known while the libraries are imported")
        return getattr(self._fixed, name)

    @property
    def encoding(self) -> str:
        return "UTF-8" if self._fixed is None else self._fixed.encoding

    def isatty(self) -> bool:
        return False if self._fixed is None else self._fixed.isatty()

    def write(self, text: str) -> int:
        if self._fixed is None:
            self.written.append(text)
            return len(text)
        return self._fixed.write(text)

    def flush(self) -> None:
        if self._fixed is not None:
            self._fixed.flush()


#: The stand-ins the notebooks' libraries were imported with (fixed to the kernel's streams).
_STREAMS = {"stdout": _KernelStream(), "stderr": _KernelStream()}


#: The warning filters before the preload, and those the preloaded modules put in front of them.
_FILTERS: dict[str, list] = {}


def preload() -> str:
    """Import :data:`PRELOAD` as a kernel would import it; return why kernels cannot be
    forked faithfully afterwards ("" when they can).

    A kernel imports :data:`PRELOAD`'s first :data:`KERNEL_STACK` modules as it starts,
    with no shell and the process's own streams; they are imported the same way here.
    The notebooks import the others once the kernel runs, when ``get_ipython()`` is a
    shell with a ``kernel`` and the standard streams are ipykernel's, which are no
    terminal and encode UTF-8; pandas asks both when it is imported (to choose how many
    columns a table shows, and its display encoding). So while those are imported,
    ``get_ipython`` and the streams answer as in a kernel (:class:`_KernelStream`), and
    each kernel fixes the stand-in streams to its own. A test records what the preloaded
    modules ask of ``get_ipython`` and the streams when imported, and fails when that
    grows. A library that writes anything while imported (a warning, say, that
    matplotlib could not use its folder) would write it in every notebook started from
    scratch: then no kernel is forked.

    numpy and scipy put warning filters in front of the list when imported; in a kernel
    they come before the kernel's own, which it sets up as it starts, before a notebook
    imports anything. The filters the notebooks' libraries add are kept, so that each
    kernel can start with the list as it was and then put them in front
    (:func:`_kernel_main`). That needs the modules a kernel imports as it starts to add no
    filter and the others to have only put filters in front; otherwise no kernel is forked.
    """
    import builtins

    base = list(warnings.filters)
    for name in PRELOAD[:KERNEL_STACK]:
        importlib.import_module(name)
    before = list(warnings.filters)
    shell, streams = _KernelShell(), (sys.stdout, sys.stderr)
    builtins.get_ipython = lambda: shell
    sys.stdout, sys.stderr = _STREAMS["stdout"], _STREAMS["stderr"]
    try:
        for name in PRELOAD[KERNEL_STACK:]:
            importlib.import_module(name)
    finally:
        del builtins.get_ipython
        sys.stdout, sys.stderr = streams
    added = len(warnings.filters) - len(before)
    _FILTERS.update(before=before, added=list(warnings.filters[:added]))
    written = "".join(_STREAMS["stdout"].written + _STREAMS["stderr"].written).strip()
    if written:
        return f"the libraries wrote while imported: {written.splitlines()[0]}"
    if before != base or added < 0 or warnings.filters[added:] != before:
        return "the libraries changed the warning filters otherwise than by putting filters in front"
    return ""


def _die_with_parent(zygote: int) -> None:
    """Ask Linux to kill this process when the zygote ``zygote`` ends (``PR_SET_PDEATHSIG``),
    and end now if it already has."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, ctypes.c_ulong(signal.SIGKILL))  # 1: PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass
    if os.getppid() != zygote:
        os._exit(1)


def _kernel_main(argv: list[str], zygote: int) -> None:
    """Become the kernel that ``argv`` (``python -m ipykernel_launcher -f FILE ...``) starts.

    The environment and working folder are already the kernel's: the zygote is started
    with them, and a kernel is forked only from a zygote started with its own.
    """
    os.setsid()
    _die_with_parent(zygote)
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
    for name, stand_in in _STREAMS.items():
        stand_in.fix(getattr(sys, name))
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
    zygote = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        os.close(channel.fileno())  # the zygote's end of the channel stays with the zygote
        _kernel_main(argv, zygote)
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
    """The exit code of child ``pid`` if it has ended (reaping it), else None.

    Raises ``ChildProcessError`` when ``pid`` is no child of the zygote that waits for it.
    """
    done, status = os.waitpid(pid, os.WNOHANG)
    return os.waitstatus_to_exitcode(status) if done else None


def _serve(channel: socket.socket, children: set[int]) -> None:
    stream = channel.makefile("rb")
    for line in stream:
        request = json.loads(line)
        if request["do"] == "fork" and _single_threaded():
            pid = _fork(request["argv"], channel)
            children.add(pid)
            pidfd = os.pidfd_open(pid)
            try:
                socket.send_fds(channel, [json.dumps({"pid": pid}).encode() + b"\n"], [pidfd])
            finally:
                os.close(pidfd)
            continue
        if request["do"] == "fork":
            reply = {"pid": None}  # not safe to fork: the worker starts this kernel from scratch
        else:
            try:
                code = _ended(request["pid"])
                reply = {"code": code}
            except ChildProcessError:
                code, reply = None, {"unknown": True}
            if code is not None or "unknown" in reply:
                children.discard(request["pid"])
        channel.sendall(json.dumps(reply).encode() + b"\n")


def zygote_main(fd: int) -> None:
    """Serve the worker on socket ``fd`` until it closes; then kill the kernels left and reap them all."""
    del sys.path[0]  # the folder ``python -m`` put first, which a kernel drops (ipykernel_launcher)
    unfaithful = preload()
    if unfaithful:
        print(f"analysis.kernel_zygote: {unfaithful}; every kernel starts from scratch", file=sys.stderr)
        sys.exit(3)
    channel = socket.socket(fileno=fd)
    children: set[int] = set()
    try:
        _serve(channel, children)
    finally:
        for pid in sorted(children):
            try:
                running = _ended(pid) is None
            except ChildProcessError:
                running = False
            if running:
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
