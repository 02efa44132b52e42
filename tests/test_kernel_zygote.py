"""The zygote imports the libraries as a kernel would (analysis.kernel_zygote).

That a forked kernel is the kernel a fresh start gives is tested in test_kernel_fork.py.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from analysis import config


def test_preloading_reads_only_what_a_kernel_shell_answers():
    # Every access the preloaded modules make, when imported, to get_ipython and the standard
    # streams: what kernel_zygote.preload stands in for. A library that starts reading something
    # else when imported fails this test, and the zygote must then answer that too.
    probe = textwrap.dedent("""
        import builtins, importlib, json, sys, traceback
        from analysis.kernel_zygote import KERNEL_STACK, PRELOAD
        for name in PRELOAD[:KERNEL_STACK]:  # imported as a kernel starts, with the process's own streams
            importlib.import_module(name)
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
        for name in PRELOAD[KERNEL_STACK:]:
            importlib.import_module(name)
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        print(json.dumps(sorted(seen)))
    """)
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=config.ROOT,
                            env={**os.environ, **config.DETERMINISTIC_ENV})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [["encoding", "pandas/_config/display.py"],
                                         ["get_ipython", "pandas/core/config_init.py"]]


@pytest.mark.parametrize("module, reason", [
    ("print('building a cache')", "the libraries wrote while imported: building a cache"),
    ("import warnings\nwarnings.filterwarnings('ignore', 'x', append=True)",
     "the libraries changed the warning filters otherwise than by putting filters in front"),
    ("import warnings\nwarnings.filterwarnings('ignore', 'x')", ""),
])
def test_a_library_that_cannot_be_preloaded_as_in_a_kernel_is_refused(tmp_path, module, reason):
    (tmp_path / "library.py").write_text(module + "\n")
    code = ("from analysis import kernel_zygote as z\n"
            "z.PRELOAD, z.KERNEL_STACK = ('library',), 0\n"
            "print(repr(z.preload()))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=config.ROOT,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(config.ROOT)])})
    assert result.returncode == 0, result.stderr
    assert result.stdout == repr(reason) + "\n"
