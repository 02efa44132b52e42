"""Score any folder of plain-text files with the measures fitted on the study corpus.

``python -m analysis score TEXT_DIR --out OUT_DIR`` calls :func:`score_folder`. Every
``*.txt`` directly inside ``TEXT_DIR`` is one document (``doc_id`` = file name without
``.txt``); its paragraphs are its non-empty lines (``paragraphs="line"``) or its
blocks of lines separated by blank lines (``"block"``). No metadata is needed.

Every file is checked before anything is computed or written: a folder without
``.txt`` files, or any file that cannot be read, is empty or whitespace-only, starts
with a byte-order mark, contains NUL bytes or is not UTF-8 (with the byte offset),
stops the run with an :class:`~analysis.errors.InputError` listing every problem.
The two tables are written only once both are complete, each atomically.

Any number of files: after the check, files are read and scored a batch at a time
(about :data:`BATCH_BYTES` of text) by :class:`~analysis.streaming.CompiledScorer`,
optionally in worker processes, and each batch's rows are appended to temporary files
that are moved into place at the end. Memory depends on the batch, not on the folder.
The tables are the ones :func:`~analysis.frames.score_corpus` gives for the whole
folder at once, byte for byte: unit scores do not depend on their neighbours, and each
article's bootstrap draws from its own random stream. A progress bar on stderr counts
the files.
"""
from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from . import config
from .corpus import PARAGRAPH_MODES, block_spans
from .errors import InputError, Problem
from .frames import FrameScorer, score_corpus
from .outputs import file_mode, table_to_csv
from .sources import text_decode
from .streaming import CompiledScorer, stream_map

OUTPUT_FILES = ("unit_scores.csv", "doc_scores.csv")
#: Bytes of text per batch of files (about 5,000 paragraphs of news prose).
BATCH_BYTES = 4_000_000
#: Files per batch at most (many tiny files: the per-article bootstrap dominates).
BATCH_FILES = 500


def folder_read(text_dir: str | Path) -> dict[str, str]:
    """Decode every ``*.txt`` in ``text_dir`` (sorted by name) or raise listing every problem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("One.\\n")
    >>> folder_read(d)
    {'a': 'One.\\n'}
    """
    texts, problems = {}, []
    for path in folder_files(text_dir):
        text, found = file_read(path)
        problems.extend(found)
        if text is not None:
            texts[path.stem] = text
    if problems:
        raise InputError(problems)
    return texts


def folder_files(text_dir: str | Path) -> list[Path]:
    """The ``*.txt`` files directly in ``text_dir``, sorted by name, or raise naming the problem."""
    text_dir = Path(text_dir)
    if not text_dir.is_dir():
        raise InputError(Problem(text_dir, "is not a folder", "pass the folder that holds the .txt files"))
    files = sorted(text_dir.glob("*.txt"))
    if not files:
        raise InputError(Problem(text_dir, "contains no .txt file", "put the texts to score in it as UTF-8 .txt files"))
    return files


def file_read(path: Path) -> tuple[str | None, list[Problem]]:
    """A file's text, or ``None`` and every reason it cannot be scored.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"; _ = p.write_bytes(b"")
    >>> print(file_read(p)[1][0])  # doctest: +ELLIPSIS
    /.../a.txt: is empty — add text to the file or remove it from the folder
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [Problem(path, f"cannot be read ({exc.strerror or exc})", "check that it is a readable file")]
    text, found = text_decode(data, path)
    return (None, _reword(found)) if found else (text, [])


def _reword(problems: list[Problem]) -> list[Problem]:
    """The corpus decoder's fixes mention metadata rows, which a plain folder does not have."""
    return [Problem(p.path, p.problem, "add text to the file or remove it from the folder", p.line)
            if p.problem in ("is empty", "contains only whitespace") else p for p in problems]


def folder_paragraphs(texts: dict[str, str], paragraphs: str = "line") -> pd.DataFrame:
    """``doc_id, unit_id, text, line`` of every paragraph; ``unit_id`` = ``<doc_id>.p<NN>``.

    Examples
    --------
    >>> folder_paragraphs({"a": "One.\\n\\nTwo\\nthree.\\n"}, "block")[["unit_id", "text"]].values.tolist()
    [['a.p01', 'One.'], ['a.p02', 'Two three.']]
    """
    if paragraphs not in PARAGRAPH_MODES:
        raise ValueError(f"paragraphs must be one of {PARAGRAPH_MODES}, not {paragraphs!r}")
    rows = []
    for doc_id, text in texts.items():
        spans = block_spans(text, paragraphs)
        width = max(2, len(str(len(spans))))
        for i, (line, start, end) in enumerate(spans, start=1):
            rows.append(dict(doc_id=doc_id, unit_id=f"{doc_id}.p{i:0{width}d}",
                             text=" ".join(text[start:end].split()), line=line))
    return pd.DataFrame(rows, columns=["doc_id", "unit_id", "text", "line"])


def study_scorer(corpus_dir: str | Path | None = None, codebook=None, measures: str = "all") -> FrameScorer:
    """A :class:`~analysis.frames.FrameScorer` fitted on a corpus' paragraphs and trained on
    its exemplars (:func:`analysis.exemplars.corpus_exemplars`), with the combined index
    chosen by the exemplar cross-validation rule (:mod:`analysis.combination`).

    ``measures="index"`` fits only the measures the index and salience need (what
    ``score`` uses); ``"all"`` fits every measure."""
    from .codebook import corpus_codebook
    from .corpus import load_corpus
    from .exemplars import corpus_exemplars

    corpus = load_corpus(corpus_dir)
    codebook = codebook if codebook is not None else corpus_codebook(corpus_dir)
    return FrameScorer(codebook, exemplars=corpus_exemplars(corpus_dir, codebook), measures=measures).fit(
        corpus.paragraphs["text"].tolist())


def folder_batches(files: list[Path], sizes: list[int], batch_bytes: int = BATCH_BYTES,
                   batch_files: int = BATCH_FILES) -> Iterator[list[Path]]:
    """Consecutive runs of files holding about ``batch_bytes`` of text (at most ``batch_files`` files).

    Examples
    --------
    >>> [len(b) for b in folder_batches([Path(c) for c in "abcde"], [3, 3, 3, 9, 1], batch_bytes=5)]
    [2, 2, 1]
    """
    batch, size = [], 0
    for path, n in zip(files, sizes):
        batch.append(path)
        size += n
        if size >= batch_bytes or len(batch) >= batch_files:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _score_batch(state, paths: list[Path]) -> tuple[str, str, int, list[Problem]]:
    """Unit and article tables (CSV text, with header) of a batch of files."""
    compiled, paragraphs, n_boot, seed = state
    texts, problems = {}, []
    for path in paths:
        text, found = file_read(path)  # read again: the file may have changed since it was checked
        problems.extend(found)
        if text is not None:
            texts[path.stem] = text
    if problems:
        return "", "", len(paths), problems
    units, docs = score_corpus(folder_paragraphs(texts, paragraphs), scorer=compiled, n_boot=n_boot, seed=seed)
    return table_to_csv(units), table_to_csv(docs), len(paths), []


def score_folder(text_dir: str | Path, out_dir: str | Path, paragraphs: str = "line", *,
                 scorer: FrameScorer | None = None, corpus_dir: str | Path | None = None,
                 n_boot: int = config.N_BOOT, seed: int = config.SEED, n_jobs: int = 1,
                 batch_bytes: int = BATCH_BYTES, progress: bool = True, measures: str = "index") -> list[Path]:
    """Score every ``*.txt`` in ``text_dir``; write ``unit_scores.csv`` and ``doc_scores.csv``.

    Parameters
    ----------
    text_dir : folder of ``.txt`` files (UTF-8, no BOM)
    out_dir : folder that receives the two tables (created if needed)
    paragraphs : {"line", "block"}
        A paragraph is a non-empty line, or a block of lines between blank lines.
    scorer : FrameScorer, optional
        Fitted measures; default: fitted on the study corpus (``corpus_dir``).
    measures : {"index", "all"}
        With the default scorer: score with the measures of the index (and salience)
        only, or with every measure (a column per measure; slower).
    n_boot, seed
        Paragraph bootstrap of the article intervals.
    n_jobs : int
        Worker processes; the tables do not depend on it.
    batch_bytes : int
        Text per batch of files; memory grows with it.
    progress : bool
        Show a progress bar (files scored) on stderr.

    Returns
    -------
    list of Path
        The two files written.

    Raises
    ------
    InputError
        Before anything is written, listing every unusable file.
    """
    if paragraphs not in PARAGRAPH_MODES:
        raise InputError(Problem("--paragraphs", f"unknown paragraph mode {paragraphs!r}",
                                 f"use one of {', '.join(PARAGRAPH_MODES)}"))
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(Problem(out_dir, "exists and is not a folder", "pass a folder for --out"))
    files = folder_files(text_dir)
    sizes, problems = [], []
    for path in tqdm(files, desc="checking", unit="file", file=sys.stderr, disable=not progress):
        text, found = file_read(path)
        problems.extend(found)
        sizes.append(len(text) if text is not None else 0)
    if problems:
        raise InputError(problems)
    compiled = CompiledScorer(scorer if scorer is not None else study_scorer(corpus_dir, measures=measures))
    state = (compiled, paragraphs, n_boot, seed)
    targets = [out_dir / name for name in OUTPUT_FILES]
    out_dir.mkdir(parents=True, exist_ok=True)
    staged = [tempfile.mkstemp(dir=out_dir, prefix=f".{t.name}.", suffix=".tmp") for t in targets]
    try:
        with os.fdopen(staged[0][0], "w", encoding="utf-8", newline="") as unit_out, \
                os.fdopen(staged[1][0], "w", encoding="utf-8", newline="") as doc_out, \
                tqdm(total=len(files), desc="scoring", unit="file", file=sys.stderr, disable=not progress) as bar:
            batches = folder_batches(files, sizes, batch_bytes)
            for k, (units, docs, n, found) in enumerate(stream_map(_score_batch, batches, state, n_jobs=n_jobs)):
                if found:
                    raise InputError(found)
                unit_out.write(units if k == 0 else units.split("\n", 1)[1])
                doc_out.write(docs if k == 0 else docs.split("\n", 1)[1])
                bar.update(n)
        for (_, tmp), target in zip(staged, targets):
            os.chmod(tmp, file_mode())
            os.replace(tmp, target)
    finally:
        for _, tmp in staged:
            Path(tmp).unlink(missing_ok=True)
    return targets
