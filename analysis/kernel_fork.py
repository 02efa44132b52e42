"""Kernels forked from a process that has already imported the scientific stack.

A kernel started from scratch spends about 2.5 s of processor time starting Python and
IPython and importing numpy, pandas, scipy, scikit-learn, matplotlib and nltk before a
notebook's first line runs, and the report starts seven. Here each worker process of the
report keeps one *zygote* (:mod:`analysis.kernel_zygote`): a process that imports those
libraries once and then forks a new process for every kernel. :class:`ForkedProvisioner`,
a ``jupyter_client`` kernel provisioner, starts kernels that way, and ``jupyter_client``
talks to them, interrupts and stops them as it does any local kernel. A forked kernel
starts with the libraries in memory and nothing else: no notebook runs in the zygote, so
every notebook still runs in a kernel of its own, with its own process, session and
namespace, as in JupyterLab.

What could make a forked kernel differ from one started from scratch is what Python and
the libraries read when they start or are imported. So the zygote is started with the
kernel's own environment and working folder (the hash seed, thread counts and
matplotlib's folder and backend of :func:`analysis.kernels.notebook_execute`; a
``matplotlibrc`` beside the notebooks), a kernel is forked only from a zygote started
with exactly its environment and folder and only for the interpreter this process runs
(any other kernel is started from scratch), the libraries are imported as in a kernel
(:func:`analysis.kernel_zygote.preload`), numpy's global random generator is seeded
anew in each kernel, and ipykernel, which reads its parent's process id when imported,
is imported by each kernel. The study's outputs are the same to the byte either way
(tested, with what a notebook can see of its process).

Forking needs Linux (``os.fork``, pidfds); elsewhere every kernel is started from
scratch, as it is when the zygote cannot serve (it could not preload the libraries as
a kernel would, has ended, stopped answering or is not a single thread). The zygote
leads its own session; when the worker's end of its channel closes (the worker has
ended) it kills the kernels it forked that still run, and a kernel dies with its zygote.
"""
from __future__ import annotations

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

#: The backend ipykernel gives matplotlib when none is set; matplotlib reads it on import.
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


def _supported() -> bool:
    return all(hasattr(m, n) for m, n in [(os, "fork"), (os, "pidfd_open"), (signal, "pidfd_send_signal"),
                                          (socket, "recv_fds")])


class Zygote:
    """A zygote process started with environment ``env`` in folder ``cwd``, and the channel to it."""

    def __init__(self, env: dict[str, str], cwd: str):
        self.key = (dict(env), str(cwd))
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen([sys.executable, "-m", "analysis.kernel_zygote", str(theirs.fileno())],
                                            env=dict(env), cwd=cwd, pass_fds=(theirs.fileno(),),
                                            stdin=subprocess.DEVNULL, start_new_session=True)
        self._channel = ours
        self._channel.settimeout(TIMEOUT)
        self._lock = threading.Lock()
        self.broken = False

    def _ask(self, **request) -> tuple[dict, list[int]]:
        with self._lock:
            if self.broken:
                raise OSError("the kernel zygote cannot serve")
            fds: list[int] = []
            try:
                self._channel.sendall(json.dumps(request).encode() + b"\n")
                data = b""
                while not data.endswith(b"\n"):
                    chunk, received, _, _ = socket.recv_fds(self._channel, 65536, 1, socket.MSG_CMSG_CLOEXEC)
                    fds += received
                    if not chunk:
                        raise OSError("the kernel zygote has ended")
                    data += chunk
                return json.loads(data), fds
            except BaseException:
                self.broken = True  # a request without its answer: the channel is out of step
                for fd in fds:
                    os.close(fd)
                raise

    def fork(self, argv: list[str]) -> tuple[int, int] | None:
        """The process id and a pidfd of a new kernel, or None when the zygote cannot fork safely."""
        reply, fds = self._ask(do="fork", argv=list(argv))
        if reply["pid"] is None or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            if reply["pid"] is not None:  # forked, but the pidfd did not arrive: stop using this zygote
                self.close()
                raise OSError("the kernel zygote sent no pidfd")
            return None
        return reply["pid"], fds[0]

    def exit_code(self, pid: int) -> int | None:
        """The exit code of kernel ``pid`` if it has ended (the zygote then reaps it), else None.

        Raises ``OSError`` when the zygote cannot tell (see :meth:`ForkedKernel.wait`).
        """
        reply, fds = self._ask(do="status", pid=pid)
        for fd in fds:
            os.close(fd)
        if reply.get("unknown"):
            raise OSError(f"process {pid} is no child of the kernel zygote")
        return reply["code"]

    def usable(self) -> bool:
        return not self.broken and self.process.poll() is None

    def close(self) -> None:
        """Close the channel, as the worker's end does when the worker ends; the zygote then
        kills the kernels it forked that still run, and exits."""
        self.broken = True
        self._channel.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


#: Seconds the worker waits for an answer of the zygote (it answers a fork once it has
#: imported the libraries, about 2 s) before it starts kernels from scratch.
TIMEOUT = 120

_ZYGOTE: Zygote | None = None


def zygote_for(env: dict[str, str], cwd: str) -> Zygote | None:
    """This process's zygote, started with ``env`` in ``cwd`` on first use; ``None`` when a
    kernel of that environment and folder cannot be forked from it, and for good once a
    zygote of this process has failed (ended or stopped answering): every kernel then
    starts from scratch, rather than each paying for a zygote that fails again."""
    global _ZYGOTE
    if not _supported():
        return None
    if _ZYGOTE is None:
        _ZYGOTE = Zygote(env, cwd)
    if not _ZYGOTE.usable():
        return None
    return _ZYGOTE if _ZYGOTE.key == (dict(env), str(cwd)) else None


class ForkedKernel:
    """The parts of ``subprocess.Popen`` that ``jupyter_client`` uses, for a forked kernel.

    It is followed through a pidfd, and the zygote reaps it only when asked for its exit
    code after it has ended, so until then neither its process id nor its process group
    can be another process's. (After that, as with ``Popen``, a process group is only a
    number: ``jupyter_client`` stops signalling a kernel it has seen end.)
    """

    stdin = stdout = stderr = None

    def __init__(self, zygote: Zygote, pid: int, pidfd: int):
        self._zygote = zygote
        self.pid = pid
        self._pidfd = pidfd  # readable once the process has ended
        self._lock = threading.Lock()
        self.returncode: int | None = None

    def wait(self, timeout: float | None = None) -> int:
        with self._lock:
            if self.returncode is None:
                if not select.select([self._pidfd], [], [], timeout)[0]:
                    raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
                code = self._exit_code()
                while code is None:  # ended a moment ago: not yet a zombie the zygote can reap
                    select.select([], [], [], 0.005)
                    code = self._exit_code()
                self.returncode = code
                os.close(self._pidfd)
            return self.returncode

    def _exit_code(self) -> int | None:
        """The kernel's exit code; -SIGKILL when the zygote cannot tell (it has ended, or its
        channel has failed): a zygote that ends kills the kernels it leaves, and a kernel
        dies with its zygote."""
        try:
            return self._zygote.exit_code(self.pid)
        except (OSError, ValueError):
            return -signal.SIGKILL

    def poll(self) -> int | None:
        try:
            return self.wait(0)
        except subprocess.TimeoutExpired:
            return None

    def send_signal(self, signum: int) -> None:
        with self._lock:
            if self.returncode is None:
                try:
                    signal.pidfd_send_signal(self._pidfd, signum)
                except ProcessLookupError:  # ended, not yet reaped
                    pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkedProvisioner(LocalProvisioner):
    """A local kernel provisioner whose kernels are forked from this process's zygote.

    A kernel that cannot be forked (another interpreter, another environment or folder
    than the zygote's, or a zygote that cannot serve) is started as ``LocalProvisioner``
    starts it.
    """

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        env = dict(kwargs["env"]) if kwargs.get("env") is not None else dict(os.environ)
        env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launcher sets it
        cwd = str(kwargs.get("cwd") or os.getcwd())
        forked = None
        if list(cmd[:3]) == [sys.executable, "-m", "ipykernel_launcher"]:
            zygote = None
            try:
                zygote = zygote_for(env, cwd)
                forked = zygote.fork(cmd) if zygote is not None else None
            except (OSError, ValueError):
                if zygote is not None:
                    zygote.close()  # it cannot serve: this kernel and the next start from scratch
        if forked is None:
            return await super().launch_kernel(cmd, **kwargs)
        pid, pidfd = forked
        self.process = ForkedKernel(zygote, pid, pidfd)
        self.pid = self.pgid = pid  # the kernel leads its own session (os.setsid)
        self.cwd = cwd
        return self.connection_info
