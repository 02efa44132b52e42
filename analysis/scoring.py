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
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

from . import config
from .corpus import PARAGRAPH_MODES, block_spans
from .errors import InputError, Problem
from .frames import FrameScorer, score_corpus
from .outputs import table_to_csv
from .sources import text_decode

OUTPUT_FILES = ("unit_scores.csv", "doc_scores.csv")


def folder_read(text_dir: str | Path) -> dict[str, str]:
    """Decode every ``*.txt`` in ``text_dir`` (sorted by name) or raise listing every problem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("One.\\n")
    >>> folder_read(d)
    {'a': 'One.\\n'}
    """
    text_dir = Path(text_dir)
    if not text_dir.is_dir():
        raise InputError(Problem(text_dir, "is not a folder", "pass the folder that holds the .txt files"))
    files = sorted(text_dir.glob("*.txt"))
    if not files:
        raise InputError(Problem(text_dir, "contains no .txt file", "put the texts to score in it as UTF-8 .txt files"))
    texts, problems = {}, []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(path, f"cannot be read ({exc.strerror or exc})",
                                    "check that it is a readable file"))
            continue
        text, found = text_decode(data, path)
        if found:
            problems.extend(_reword(found))
        elif text is not None:
            texts[path.stem] = text
    if problems:
        raise InputError(problems)
    return texts


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


def study_scorer(corpus_dir: str | Path | None = None, codebook=None) -> FrameScorer:
    """A :class:`~analysis.frames.FrameScorer` fitted on the study corpus' paragraphs."""
    from .corpus import load_corpus

    corpus = load_corpus(corpus_dir)
    return FrameScorer(codebook).fit(corpus.paragraphs["text"].tolist())


def _write_all(tables: dict[Path, pd.DataFrame]) -> list[Path]:
    """Write every table to a temporary file first, then move them all into place."""
    staged = []
    try:
        for path, table in tables.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(table_to_csv(table).encode("utf-8"))
            staged.append((tmp, path))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
    return list(tables)


def score_folder(text_dir: str | Path, out_dir: str | Path, paragraphs: str = "line", *,
                 scorer: FrameScorer | None = None, corpus_dir: str | Path | None = None,
                 n_boot: int = config.N_BOOT, seed: int = config.SEED) -> list[Path]:
    """Score every ``*.txt`` in ``text_dir``; write ``unit_scores.csv`` and ``doc_scores.csv``.

    Parameters
    ----------
    text_dir : folder of ``.txt`` files (UTF-8, no BOM)
    out_dir : folder that receives the two tables (created if needed)
    paragraphs : {"line", "block"}
        A paragraph is a non-empty line, or a block of lines between blank lines.
    scorer : FrameScorer, optional
        Fitted measures; default: fitted on the study corpus (``corpus_dir``).
    n_boot, seed
        Paragraph bootstrap of the article intervals.

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
    texts = folder_read(text_dir)
    units = folder_paragraphs(texts, paragraphs)
    scorer = scorer if scorer is not None else study_scorer(corpus_dir)
    unit_table, doc_table = score_corpus(units, scorer=scorer, n_boot=n_boot, seed=seed)
    return _write_all({out_dir / OUTPUT_FILES[0]: unit_table, out_dir / OUTPUT_FILES[1]: doc_table})
