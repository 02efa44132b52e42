"""Results shared between the processes of one study run, kept in ``.cache/`` (ignored by git).

The notebooks run side by side in separate kernels and several of them need the same
costly, deterministic results: the leave-one-writer-out tables of the combination rule
(:func:`analysis.combination.index_cv`); ``score`` keeps its fitted scorer from one run to
the next (:func:`scorer_fitted`). The first process to need one computes it under an exclusive
lock while the others wait, then read it. A result is filed under a key of everything
it depends on (:func:`inputs_hash`): the package's files, code and data alike (hashed
when this module is first imported, so that a kernel whose code was edited after it
started does not file old results under the new code's key), the Python and library
versions, the machine, and the inputs the caller names; a change to any of them computes
the result afresh. A folder that cannot be written or read, and a stored result that
cannot be read back (damaged, or from a pickle this interpreter cannot load), are no
error: the result is then computed again.

Results are computed with one BLAS thread, as the study's kernels run
(:data:`analysis.config.DETERMINISTIC_ENV`): the last digits of an SVD depend on the
thread count, and a shared result must not depend on which process made it.
"""
from __future__ import annotations

import contextlib
import fcntl
import io
import hashlib
import pickle
import platform
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import config

#: The cache's folder.
CACHE_ROOT = config.ROOT / ".cache"
#: Results kept per kind (per folder of :data:`CACHE_ROOT`): writing one more removes the
#: oldest, so that a checkout whose code keeps changing does not fill its disk.
KEEP = 8


def _package_hash() -> str:
    """sha256 of every file of the package, the interpreter, the machine and the library versions."""
    import nltk
    import scipy
    import sklearn

    from .provenance import files_hash

    package = config.ROOT / "analysis"
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    versions = (f"{sys.version} {platform.machine()} {np.__version__} {scipy.__version__} {sklearn.__version__} "
                f"{pd.__version__} {nltk.__version__}")
    return hashlib.sha256(files_hash(files, config.ROOT).encode() + versions.encode()).hexdigest()


#: The package as this process imported it (see the module docstring).
PACKAGE_HASH = _package_hash()


def inputs_hash(*parts) -> str:
    """A key of the package, the library versions and ``parts``: strings, bytes, tables, or
    sequences of strings (hashed in order).

    Examples
    --------
    >>> inputs_hash("a", ["b"]) == inputs_hash("a", ["b"]) != inputs_hash("a", ["c"])
    True
    """
    h = hashlib.sha256(PACKAGE_HASH.encode())

    def add(data: bytes) -> None:  # length first: no two sequences of parts give the same bytes
        h.update(len(data).to_bytes(8, "little") + data)

    for part in parts:
        if isinstance(part, pd.DataFrame):
            add(pd.util.hash_pandas_object(part, index=False).to_numpy().tobytes())
            add(repr(list(part.columns)).encode())
            add(repr([str(t) for t in part.dtypes]).encode())  # True and 1, 1 and "1" hash alike
        elif isinstance(part, bytes):
            add(part)
        elif isinstance(part, str):
            add(part.encode("utf-8", "surrogatepass"))
        else:
            items = [str(item).encode("utf-8", "surrogatepass") for item in part]
            add(len(items).to_bytes(8, "little"))
            for item in items:
                add(item)
    return h.hexdigest()


class cache_lock:
    """An exclusive lock on ``<path>.lock`` while a result is looked up or computed; no lock
    (each process computes for itself) where the cache folder cannot be written."""

    def __init__(self, path: Path):
        self.path = Path(path).with_suffix(".lock")
        self.fh = None

    def __enter__(self):
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.fh = open(self.path, "a")
        except OSError:
            return self
        fcntl.flock(self.fh, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        if self.fh is not None:
            self.fh.close()  # closing releases the lock
        return False


def cached(path: Path, compute: Callable, read: Callable, write: Callable):
    """The result stored at ``path``, or ``compute()`` (with one BLAS thread) stored there.

    ``read(binary file)`` reads a stored result, ``write(result)`` gives the bytes to store
    (written whole or not at all, :func:`analysis.outputs.atomic_write`).
    """
    from .outputs import atomic_write

    with cache_lock(path):
        try:
            with open(path, "rb") as fh:
                return read(fh)
        except FileNotFoundError:
            pass
        except Exception:  # damaged, unreadable or from another interpreter: computed again
            with contextlib.suppress(OSError):
                path.unlink()
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            result = compute()
        data = write(result)
        try:
            atomic_write(path, data)
        except OSError:  # a folder that cannot be written: computed again next time
            pass
        else:
            prune(path.parent)
        # the result as a later process reads it, so that the first process continues from
        # exactly the state the others start from
        return read(io.BytesIO(data))


def prune(folder: Path, keep: int | None = None) -> None:
    """Remove all but the ``keep`` (default :data:`KEEP`) most recently written results of
    ``folder`` (their empty lock files stay, so that no waiting process loses its lock)."""
    keep = KEEP if keep is None else keep
    try:
        results = sorted((p for p in folder.iterdir() if p.suffix not in (".lock", ".tmp")),
                         key=lambda p: (p.stat().st_mtime_ns, p.name), reverse=True)
        for old in results[keep:]:
            old.unlink(missing_ok=True)
    except OSError:  # another process pruned first, or the folder cannot be written
        pass


def code_key(function: Callable) -> str:
    """The compiled code of ``function`` (a notebook's lambda, say) as text: its operations,
    constants and names, nested code included; not the values of the variables it reads.

    Examples
    --------
    >>> code_key(lambda: sum([1, 2])) == code_key(lambda: sum([1, 2])) != code_key(lambda: sum([1, 3]))
    True
    """
    def text(code) -> str:
        consts = [text(c) if hasattr(c, "co_code") else repr(c) for c in code.co_consts]
        return repr((code.co_code.hex(), consts, code.co_names, code.co_varnames, code.co_freevars))

    code = getattr(function, "__code__", None)
    return text(code) if code is not None else repr(function)


def stored(kind: str, compute: Callable, *parts):
    """``compute()``, computed once for every process and run with the same package and
    ``parts`` (see :func:`inputs_hash`) and kept with :mod:`pickle` in ``<kind>/`` of
    :data:`CACHE_ROOT`.

    For a notebook's costly, deterministic results (the topic sweep, the learning curve,
    the multiverse): ``parts`` must name every input ``compute`` reads, since a result is
    found again by them, the package's code and ``compute``'s own code (:func:`code_key`:
    a setting written into the call changes the key; a variable it reads does not, so the
    variable must be one of ``parts``).

    Examples
    --------
    >>> import tempfile
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as tmp, mock.patch(f"{__name__}.CACHE_ROOT", Path(tmp)):
    ...     calls = []
    ...     squares = lambda: calls.append(1) or [i * i for i in range(4)]
    ...     first, again = stored("squares", squares, "range(4)"), stored("squares", squares, "range(4)")
    ...     cubes = stored("squares", lambda: calls.append(1) or [i ** 3 for i in range(4)], "range(4)")
    >>> first, again, cubes, len(calls)
    ([0, 1, 4, 9], [0, 1, 4, 9], [0, 1, 8, 27], 2)
    """
    key = inputs_hash(kind, code_key(compute), *parts)
    return cached(CACHE_ROOT / kind / f"{key}.pkl", compute, pickle.load,
                  lambda result: pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))


def scorer_fitted(scorer, texts: Sequence[str]):
    """The fitted scorer ``scorer.fit(texts)`` gives, computed once for all the processes of a
    run (see the module docstring) and stored with :mod:`pickle`.

    Use the returned object: when it is read back, ``scorer`` itself stays unfitted. Only
    a scorer whose exemplars are a table or None is stored (a path could change under the
    same name); any other is fitted here.
    """
    texts = list(texts)
    params = scorer.get_params(deep=False)
    exemplars = params.pop("exemplars")
    if exemplars is not None and not isinstance(exemplars, pd.DataFrame):
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return scorer.fit(texts)
    from .codebook import as_codebook

    params["codebook"] = as_codebook(params["codebook"])  # its contents, wherever it was read from
    key = inputs_hash(type(scorer).__qualname__, repr(sorted((k, repr(v)) for k, v in params.items())),
                      exemplars if exemplars is not None else "no exemplars", texts)
    return cached(CACHE_ROOT / "scorers" / f"{key}.pkl", lambda: scorer.fit(texts), pickle.load,
                  lambda result: pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
