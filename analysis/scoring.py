"""Score any folder of plain-text files with the measures fitted on the study corpus, or on another.

``python -m analysis score TEXT_DIR --out OUT_DIR`` calls :func:`score_folder`. Every
``*.txt`` directly inside ``TEXT_DIR`` is one document (``doc_id`` = file name without
``.txt``); its paragraphs are its non-empty lines (``paragraphs="line"``) or its
blocks of lines separated by blank lines (``"block"``). No metadata is needed.

Every file is checked before anything is computed or written: a folder without
``.txt`` files, or any file that cannot be read, is empty or whitespace-only, starts
with a byte-order mark, contains NUL bytes or is not UTF-8 (with the byte offset),
stops the run with an :class:`~analysis.errors.InputError` listing every problem.
The two tables and :data:`SCORER_FILE` are written only once all three are complete,
each atomically.

The measures are fitted for a corpus (:func:`study_scorer`; default the study's): on its
paragraphs, with its codebook and its exemplars (:func:`analysis.exemplars.corpus_exemplars`).
With ``retrain``, the corpus' reconciled hand codes (``annotations/``) join the written
exemplars as training text, each article as its own writer ``corpus:<doc_id>``
(:mod:`analysis.retraining`): every measure that learns from exemplars learns from them
too, and so does the leave-one-writer-out rule that picks the combined index
(:mod:`analysis.combination`). The study's measures never train on the study's own hand
coding, so ``retrain`` refuses the study corpus. :data:`SCORER_FILE` records what scored
the tables (:func:`scorer_record`).

Any number of files: after the check, files are read and scored a batch at a time
(about :data:`BATCH_BYTES` of text) by the fitted scorer,
optionally in worker processes, and each batch's rows are appended to temporary files
that are moved into place at the end. Memory depends on the batch, not on the folder.
The tables are the ones :func:`~analysis.frame_tables.score_corpus` gives for the whole
folder at once, byte for byte: unit scores do not depend on their neighbours, and each
article's bootstrap draws from its own random stream. A progress bar on stderr counts
the files.

A file is one article and is scored whole, so a single very large file still needs
memory in proportion to its size. When memory runs out, the run stops with an
:class:`~analysis.errors.InputError` naming the largest file of the batch being scored
(:func:`memory_problem`), and writes nothing.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from . import config
from .corpus import PARAGRAPH_MODES, block_spans
from .disk_cache import scorer_fitted
from .errors import InputError, Problem
from .frame_tables import score_corpus
from .frames import FrameScorer
from .outputs import file_mode, table_to_csv
from .sources import text_decode
from .streaming import stream_map

TABLE_FILES = ("unit_scores.csv", "doc_scores.csv")
#: What scored the tables (:func:`scorer_record`), written next to them.
SCORER_FILE = "scorer.json"
OUTPUT_FILES = (*TABLE_FILES, SCORER_FILE)
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


def study_scorer(corpus_dir: str | Path | None = None, codebook=None, measures: str = "all",
                 retrain: bool = False) -> FrameScorer:
    """A :class:`~analysis.frames.FrameScorer` fitted on a corpus' paragraphs and trained on
    its exemplars (:func:`training_exemplars`), with the combined index chosen by the
    exemplar cross-validation rule (:mod:`analysis.combination`).

    ``measures="index"`` fits only the measures the index and salience need (what
    ``score`` uses); ``"all"`` fits every measure. ``retrain`` adds the corpus' reconciled
    hand codes to the exemplars (see the module docstring)."""
    from .codebook import corpus_codebook
    from .corpus import load_corpus

    corpus = load_corpus(corpus_dir)
    codebook = codebook if codebook is not None else corpus_codebook(corpus_dir)
    exemplars = training_exemplars(corpus_dir, codebook, retrain, paragraphs=corpus.paragraphs)
    return scorer_fitted(FrameScorer(codebook, exemplars=exemplars, measures=measures), corpus.paragraphs["text"])


def retrain_problems(corpus_dir: str | Path | None) -> list[Problem]:
    """Why a corpus' hand coding cannot retrain the measures: none when it can.

    The study's corpus is refused (its hand coding is test data only), and so is a
    corpus without ``annotations/``.

    Examples
    --------
    >>> print(retrain_problems(None)[0])  # doctest: +ELLIPSIS
    --retrain: the study's measures never train on the study's own hand coding — pass --corpus ...
    """
    from .annotations import ANNOTATION_DIR

    root = Path(corpus_dir) if corpus_dir is not None else config.CORPUS_DIR
    if root.resolve() == config.CORPUS_DIR.resolve():
        return [Problem("--retrain", "the study's measures never train on the study's own hand coding",
                        "pass --corpus DIR, a corpus of your own with an annotations/ folder")]
    if not (root / ANNOTATION_DIR).is_dir():
        return [Problem(root / ANNOTATION_DIR, "is missing: --retrain trains on the corpus' reconciled hand codes",
                        "code a sample by hand (python -m analysis sample, see the README) or leave out --retrain")]
    return []


def training_exemplars(corpus_dir: str | Path | None, codebook, retrain: bool = False,
                       paragraphs: pd.DataFrame | None = None) -> pd.DataFrame:
    """The exemplars the measures for a corpus learn from: its written exemplars
    (:func:`analysis.exemplars.corpus_exemplars`) and, with ``retrain``, its reconciled
    hand-coded paragraphs after them (:func:`analysis.retraining.exemplars_retrained`).

    Raises
    ------
    InputError
        With ``retrain``, for the study's corpus or a corpus without hand coding
        (:func:`retrain_problems`), or when the hand coding has problems.
    """
    from .annotations import load_annotations
    from .corpus import load_corpus
    from .exemplars import corpus_exemplars
    from .retraining import coded_exemplars, exemplars_retrained

    written = corpus_exemplars(corpus_dir, codebook)
    if not retrain:
        return written
    problems = retrain_problems(corpus_dir)
    if problems:
        raise InputError(problems)
    paragraphs = paragraphs if paragraphs is not None else load_corpus(corpus_dir).paragraphs
    annotations = load_annotations(corpus_dir, codebook, paragraphs["unit_id"])
    coded = coded_exemplars(paragraphs, annotations.reconciled, list(codebook.contrasts))
    return exemplars_retrained(written, coded)


def _shown(path: Path) -> str:
    """``path`` relative to the repository when inside it, so that the record does not name the machine."""
    path = Path(path).resolve()
    return path.relative_to(config.ROOT).as_posix() if path.is_relative_to(config.ROOT) else str(path)


def scorer_record(scorer: FrameScorer, corpus_dir: str | Path | None = None, corpus_known: bool = True) -> dict:
    """What scored a folder, as written to :data:`SCORER_FILE`.

    Parameters
    ----------
    scorer : FrameScorer
        Fitted.
    corpus_dir : path, optional
        The corpus it was fitted for (default: the study's).
    corpus_known : bool
        False for a scorer fitted elsewhere (passed to :func:`score_folder`): the corpus,
        codebook hash and provenance stamp are then recorded as null.

    Returns
    -------
    dict
        ``corpus`` (folder), ``codebook_sha256``, ``exemplars`` (``count`` and ``writers``
        of the written exemplars), ``retrained`` and ``coded_paragraphs`` (hand-coded
        paragraphs added to them, ``coded_articles``), ``measures`` (fitted),
        ``index_measures`` (per contrast) and ``stamp``
        (:func:`analysis.provenance.stamp`).
    """
    from .provenance import stamp
    from .retraining import WRITER_PREFIX

    ex = scorer.exemplars
    writers = ex["writer"].astype(str) if isinstance(ex, pd.DataFrame) else pd.Series([], dtype=str)
    coded = writers.str.startswith(WRITER_PREFIX).to_numpy()
    written = {"count": int((~coded).sum()), "writers": sorted(set(writers[~coded]))}
    run_stamp = stamp(corpus_dir) if corpus_known else None
    root = Path(corpus_dir) if corpus_dir is not None else config.CORPUS_DIR
    return {
        "corpus": _shown(root) if corpus_known else None,
        "codebook_sha256": run_stamp["codebook_sha256"] if run_stamp else None,
        # exemplars given as a folder are not read again here
        "exemplars": written if ex is None or isinstance(ex, pd.DataFrame) else {"folder": _shown(ex)},
        "retrained": bool(coded.any()),
        "coded_paragraphs": int(coded.sum()),
        "coded_articles": sorted(w[len(WRITER_PREFIX):] for w in set(writers[coded])),
        "measures": list(scorer.measures_),
        "index_measures": {c: list(ms) for c, ms in scorer.index_measures_.items()},
        "stamp": run_stamp,
    }


def record_json(record: dict) -> str:
    """The text of :data:`SCORER_FILE`: sorted keys, two-space indents, a final newline.

    Examples
    --------
    >>> print(record_json({"b": [1], "a": None}), end="")
    {
      "a": null,
      "b": [
        1
      ]
    }
    """
    return json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


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
    scorer, paragraphs, n_boot, seed = state
    texts, problems = {}, []
    for path in paths:
        text, found = file_read(path)  # read again: the file may have changed since it was checked
        problems.extend(found)
        if text is not None:
            texts[path.stem] = text
    if problems:
        return "", "", len(paths), problems
    try:
        units, docs = score_corpus(folder_paragraphs(texts, paragraphs), scorer=scorer, n_boot=n_boot, seed=seed)
        return table_to_csv(units), table_to_csv(docs), len(paths), []
    except MemoryError:  # numpy's failed allocations are MemoryErrors too
        return "", "", len(paths), [memory_problem(paths)]


def memory_problem(paths: list[Path]) -> Problem:
    """The problem to report when scoring ``paths`` ran out of memory: it names the largest file.

    Examples
    --------
    >>> print(memory_problem([Path("missing/big.txt")]))  # doctest: +ELLIPSIS
    missing/big.txt: ran out of memory while scoring this file (0.0 MB) — split it into several smaller .txt files ...
    """
    sizes = {path: path.stat().st_size if path.exists() else 0 for path in paths}
    largest = max(paths, key=lambda path: (sizes[path], str(path)))
    others = f" with {len(paths) - 1} other file(s)" if len(paths) > 1 else ""
    return Problem(largest, f"ran out of memory while scoring this file ({sizes[largest] / 1e6:.1f} MB){others}",
                   "split it into several smaller .txt files (each file is scored whole, as one article), "
                   "lower --jobs, or score on a machine with more memory")


def score_folder(text_dir: str | Path, out_dir: str | Path, paragraphs: str = "line", *,
                 scorer: FrameScorer | None = None, corpus_dir: str | Path | None = None,
                 n_boot: int = config.N_BOOT, seed: int = config.SEED, n_jobs: int = 1,
                 batch_bytes: int = BATCH_BYTES, progress: bool = True, measures: str = "index",
                 retrain: bool = False) -> list[Path]:
    """Score every ``*.txt`` in ``text_dir``; write ``unit_scores.csv``, ``doc_scores.csv`` and
    ``scorer.json`` (what scored them, :func:`scorer_record`).

    Parameters
    ----------
    text_dir : folder of ``.txt`` files (UTF-8, no BOM)
    out_dir : folder that receives the three files (created if needed)
    paragraphs : {"line", "block"}
        A paragraph is a non-empty line, or a block of lines between blank lines.
    scorer : FrameScorer, optional
        Fitted measures; default: fitted for ``corpus_dir`` (the study corpus by default)
        by :func:`study_scorer`.
    corpus_dir : path, optional
        The corpus the default scorer is fitted for.
    measures : {"index", "all"}
        With the default scorer: score with the measures of the index (and salience)
        only, or with every measure (a column per measure; slower).
    retrain : bool
        With the default scorer: add the corpus' reconciled hand codes to its exemplars.
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
        The three files written.

    Raises
    ------
    InputError
        Before anything is written, listing every unusable file (or why ``retrain``
        cannot be done); or, with nothing written, when scoring a batch ran out of
        memory (:func:`memory_problem`).
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
    if scorer is None:
        scorer = study_scorer(corpus_dir, measures=measures, retrain=retrain)
        record = scorer_record(scorer, corpus_dir)
    else:
        record = scorer_record(scorer, corpus_known=False)
    state = (scorer, paragraphs, n_boot, seed)
    targets = [out_dir / name for name in OUTPUT_FILES]
    created, done = not out_dir.exists(), False
    out_dir.mkdir(parents=True, exist_ok=True)
    staged = [tempfile.mkstemp(dir=out_dir, prefix=f".{t.name}.", suffix=".tmp") for t in targets]
    try:
        with os.fdopen(staged[0][0], "w", encoding="utf-8", newline="") as unit_out, \
                os.fdopen(staged[1][0], "w", encoding="utf-8", newline="") as doc_out, \
                os.fdopen(staged[2][0], "w", encoding="utf-8", newline="") as record_out, \
                tqdm(total=len(files), desc="scoring", unit="file", file=sys.stderr, disable=not progress) as bar:
            batches = folder_batches(files, sizes, batch_bytes)
            for k, (units, docs, n, found) in enumerate(stream_map(_score_batch, batches, state, n_jobs=n_jobs)):
                if found:
                    raise InputError(found)
                unit_out.write(units if k == 0 else units.split("\n", 1)[1])
                doc_out.write(docs if k == 0 else docs.split("\n", 1)[1])
                bar.update(n)
            record_out.write(record_json(record))
        for (_, tmp), target in zip(staged, targets):
            os.chmod(tmp, file_mode())
            os.replace(tmp, target)
        done = True
    finally:
        for _, tmp in staged:
            Path(tmp).unlink(missing_ok=True)
        if created and not done:
            with contextlib.suppress(OSError):  # a failed run leaves no folder of its own behind
                out_dir.rmdir()
    return targets
