"""Hand coding: reading and checking the coding passes, their reliability and their counts.

Hand coding (:func:`load_annotations`)
    A corpus may hold ``annotations/`` with two independent coding passes and a
    reconciled third pass (file names in :data:`PASS_FILES` and :data:`RECONCILED_FILE`).
    Each file has a ``unit_id`` column and one column per codebook contrast; a code is
    either pole of the contrast, ``mixed`` or ``none``; the reconciled file also gives
    ``<contrast>_reason`` (``agreed`` where the passes agreed). Other columns are kept,
    so a filled-in sheet of ``python -m analysis sample`` (:mod:`analysis.sampling`) is
    a pass file. The three files code the same paragraphs. Files are validated when read
    (:func:`annotations_check` for ``python -m analysis validate``) and every problem
    names the file, the line and the field.
Reliability (:func:`annotation_reliability`)
    Krippendorff's alpha (nominal, :mod:`analysis.reliability`) between the two passes,
    on the four codes of each contrast and on the binary "speaks to the contrast or not".
"""
from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import config
from .codebook import Codebook, load_codebook
from .errors import InputError, Problem
from .reliability import krippendorff_alpha_nominal, percent_agreement
from .sources import csv_records


#: Folder of a corpus that holds the hand coding.
ANNOTATION_DIR = "annotations"


#: The two independent coding passes, in the order their names are reported.
PASS_FILES = {"pass_a": "pass_a.csv", "pass_b": "pass_b.csv"}


#: The reconciled codes.
RECONCILED_FILE = "reconciled.csv"


#: Codes every contrast has besides its two poles.
OTHER_CODES = ("mixed", "none")


def contrast_codes(codebook: Codebook, contrast: str) -> tuple[str, str, str, str]:
    """The four codes of ``contrast``: negative pole, positive pole, ``mixed``, ``none``.

    Examples
    --------
    >>> contrast_codes(load_codebook(), "force")
    ('deterrence', 'credibility', 'mixed', 'none')
    """
    c = codebook.contrasts[contrast]
    return (c.negative.name, c.positive.name, *OTHER_CODES)


def annotation_read(path: str | Path, codebook: Codebook,
                    unit_ids: Sequence[str] | None = None, columns: Sequence[str] = ()) -> pd.DataFrame:
    """Read and validate one coding file.

    Parameters
    ----------
    path : path of a CSV file with ``unit_id`` and one column per contrast
    codebook : Codebook
        Gives the contrasts and their codes.
    unit_ids : sequence of str, optional
        The corpus' paragraph ids; a coded id not among them is an error.
    columns : sequence of str
        Further columns the header must have (their values are not checked).

    Returns
    -------
    DataFrame
        Every column of the file, as text, one row per coded unit, in file order.

    Raises
    ------
    InputError
        Every problem of the file, each naming the file, the line and the field.
    """
    path = Path(path)
    contrasts = list(codebook.contrasts)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InputError(Problem(path, "the coding file is missing",
                                 f"add it with columns unit_id, {', '.join(contrasts)} or remove the "
                                 f"{ANNOTATION_DIR}/ folder")) from None
    except UnicodeDecodeError as exc:
        raise InputError(Problem(path, f"not valid UTF-8 at byte offset {exc.start}", "re-save the file as UTF-8")) \
            from None
    except OSError as exc:  # a folder, or no permission
        raise InputError(Problem(path, f"cannot be read ({exc.strerror or exc})",
                                 "make it a readable CSV file")) from None
    reader = csv.reader(text.splitlines(keepends=True))
    header = next(reader, None)
    if not header:
        raise InputError(Problem(path, "the file is empty", f"write a header: unit_id,{','.join(contrasts)}", line=1))
    header = [h.strip() for h in header]
    needed = ["unit_id", *contrasts, *columns]
    missing = [c for c in needed if c not in header]
    if missing:
        raise InputError([Problem(path, f"no column {c!r} in the header",
                                  f"add the column {c!r} (the header needs {', '.join(needed)})", line=1)
                          for c in missing])
    known = set(unit_ids) if unit_ids is not None else None
    allowed = {c: contrast_codes(codebook, c) for c in contrasts}
    problems, rows, first_line = [], [], {}
    for line, row in csv_records(reader, header, path, problems):
        uid = row["unit_id"]
        if not uid:
            problems.append(Problem(path, "field 'unit_id' is empty", "give the paragraph's unit_id", line=line))
        elif uid in first_line:
            problems.append(Problem(path, f"unit_id {uid!r} is coded twice (first on line {first_line[uid]})",
                                    "keep one row per paragraph", line=line))
        elif known is not None and uid not in known:
            problems.append(Problem(path, f"unit_id {uid!r} is not a paragraph of the corpus",
                                    "use the ids of load_corpus().paragraphs (the corpus may have been "
                                    "re-segmented since the coding)", line=line))
        first_line.setdefault(uid, line)
        for c in contrasts:
            if not row[c]:
                problems.append(Problem(path, f"field {c!r} is empty",
                                        f"code the paragraph with one of {', '.join(allowed[c])}", line=line))
            elif row[c] not in allowed[c]:
                problems.append(Problem(path, f"field {c!r} has code {row[c]!r}",
                                        f"use one of {', '.join(allowed[c])}", line=line))
        rows.append(row)
    if problems:
        raise InputError(problems)
    if not rows:
        raise InputError(Problem(path, "the file codes no paragraph", "add one row per coded paragraph", line=2))
    return pd.DataFrame(rows, columns=header)


@dataclass(frozen=True)
class Annotations:
    """The hand coding of a corpus; build it with :func:`load_annotations`.

    Attributes
    ----------
    passes : dict name -> DataFrame, the independent coding passes
    reconciled : DataFrame, the final codes (with the reconciling pass' reasons)
    folder : Path
    """

    passes: dict[str, pd.DataFrame]
    reconciled: pd.DataFrame
    folder: Path


def load_annotations(corpus_dir: str | Path | None = None, codebook: Codebook | None = None,
                     unit_ids: Sequence[str] | None = None) -> Annotations | None:
    """The hand coding in ``<corpus_dir>/annotations/``, or None when the corpus has none.

    Every file is read (:func:`annotation_read`) before any error is raised, so one
    :class:`~analysis.errors.InputError` lists the problems of all of them. Besides each
    file's own problems: a pass or the reconciled file missing, a reconciled file without
    ``<contrast>_reason`` columns, and a paragraph coded in one file but not in another.

    Examples
    --------
    >>> load_annotations(config.ROOT / "examples" / "demo-corpus").reconciled.shape
    (18, 5)
    >>> load_annotations(config.ROOT / "examples") is None  # a folder without annotations/
    True
    """
    folder = (Path(corpus_dir) if corpus_dir is not None else config.CORPUS_DIR) / ANNOTATION_DIR
    if not folder.is_dir():
        return None
    codebook = codebook or load_codebook()
    contrasts = list(codebook.contrasts)
    reasons = [f"{c}_reason" for c in contrasts]
    files = {**PASS_FILES, "reconciled": RECONCILED_FILE}
    problems = _annotation_files_missing(folder, contrasts)
    tables = {}
    for name, file in files.items():
        if not (folder / file).exists():
            continue
        try:
            tables[name] = annotation_read(folder / file, codebook, unit_ids,
                                           columns=reasons if name == "reconciled" else ())
        except InputError as exc:
            problems += exc.problems
    if not problems:
        problems += _annotation_coverage({folder / files[name]: table for name, table in tables.items()})
    if problems:
        raise InputError(problems)
    reconciled = tables.pop("reconciled")
    return Annotations(passes=tables, reconciled=reconciled, folder=folder)


def _annotation_files_missing(folder: Path, contrasts: list[str]) -> list[Problem]:
    """A missing pass, or a missing reconciled file, each with what to put there."""
    problems = []
    for file in PASS_FILES.values():
        if not (folder / file).exists():
            problems.append(Problem(folder / file, "the coding pass is missing",
                                    f"add it (a filled-in sheet of `python -m analysis sample`, or columns unit_id, "
                                    f"{', '.join(contrasts)}) or remove the {ANNOTATION_DIR}/ folder"))
    if not (folder / RECONCILED_FILE).exists():
        what = ("the passes are not reconciled" if all((folder / f).exists() for f in PASS_FILES.values())
                else "the reconciled coding is missing")
        problems.append(Problem(folder / RECONCILED_FILE, what,
                                f"add it with columns unit_id, {', '.join(contrasts)}, "
                                f"{', '.join(c + '_reason' for c in contrasts)}: the final code of every paragraph "
                                "the passes coded, and why ('agreed' where they agree)"))
    return problems


def _annotation_coverage(tables: dict[Path, pd.DataFrame]) -> list[Problem]:
    """Every paragraph coded in some file of the folder but not in another (reliability and
    reconciliation compare the files unit by unit)."""
    coded = {path: set(t["unit_id"]) for path, t in tables.items()}
    every = set().union(*coded.values())
    problems = []
    for path, ids in coded.items():
        for uid in sorted(every - ids):
            where = next(p.name for p, other in coded.items() if uid in other)
            problems.append(Problem(path, f"unit_id {uid!r} is coded in {where} but not here",
                                    "code the same paragraphs in every file of the folder"))
    return problems


def annotations_check(corpus_dir: str | Path) -> list[Problem]:
    """Problems of ``<corpus_dir>/annotations/``; none when the corpus has no such folder.

    The files are read as the study reads them (:func:`load_annotations`, with the
    corpus' codebook and paragraph ids): a pass or the reconciled file missing, a missing
    column, an empty or unknown code, an unknown or empty ``unit_id``, a paragraph coded
    twice in one file or not coded in every file. Called by ``python -m analysis
    validate`` once the corpus and its codebook are sound.

    Examples
    --------
    >>> annotations_check(config.ROOT / "examples" / "demo-corpus")
    []
    """
    from .codebook import corpus_codebook
    from .corpus import load_corpus

    folder = Path(corpus_dir) / ANNOTATION_DIR
    if not folder.exists():
        return []
    if not folder.is_dir():
        return [Problem(folder, "is a file, not a folder",
                        f"put the coding files ({', '.join([*PASS_FILES.values(), RECONCILED_FILE])}) "
                        f"in a folder named {ANNOTATION_DIR}/")]
    try:
        load_annotations(corpus_dir, corpus_codebook(corpus_dir), load_corpus(corpus_dir).paragraphs["unit_id"])
    except InputError as exc:
        return exc.problems
    return []


def annotation_reliability(annotations: Annotations, codebook: Codebook) -> pd.DataFrame:
    """Agreement of the two coding passes, per contrast.

    Columns: ``contrast``, ``units`` (coded in both passes), ``agreement`` (share of
    identical codes), ``alpha`` (Krippendorff's nominal alpha on the four codes),
    ``alpha_framed`` (on "speaks to the contrast" = any code but ``none``) and
    ``disagreements``.
    """
    (name_a, a), (name_b, b) = list(annotations.passes.items())[:2]
    both = a.merge(b, on="unit_id", suffixes=("_a", "_b"))
    rows = []
    for c in codebook.contrasts:
        x, y = both[f"{c}_a"].tolist(), both[f"{c}_b"].tolist()
        rows.append(dict(contrast=c, units=len(both), agreement=percent_agreement(x, y),
                         alpha=krippendorff_alpha_nominal([x, y]),
                         alpha_framed=krippendorff_alpha_nominal([[v != "none" for v in x], [v != "none" for v in y]]),
                         disagreements=int(sum(u != v for u, v in zip(x, y)))))
    return pd.DataFrame(rows)


def code_counts(codes: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """How many units carry each code: one row per contrast and code, column ``n``.

    Examples
    --------
    >>> code_counts(pd.DataFrame({"alliance": ["none", "mixed"], "force": ["none", "none"]}),
    ...             load_codebook())["n"].tolist()
    [0, 0, 1, 1, 0, 0, 0, 2]
    """
    rows = [dict(contrast=c, code=code, n=int((codes[c] == code).sum()))
            for c in codebook.contrasts for code in contrast_codes(codebook, c)]
    return pd.DataFrame(rows)


def reconciliation_summary(annotations: Annotations, codebook: Codebook) -> pd.DataFrame:
    """Where the passes disagreed, which one the reconciled code followed.

    Columns: ``contrast``, ``disagreements``, ``followed_<pass>`` for each pass and
    ``followed_neither``.
    """
    (name_a, a), (name_b, b) = list(annotations.passes.items())[:2]
    m = a.merge(b, on="unit_id", suffixes=("_a", "_b")).merge(annotations.reconciled, on="unit_id")
    rows = []
    for c in codebook.contrasts:
        d = m[m[f"{c}_a"] != m[f"{c}_b"]]
        rows.append({"contrast": c, "disagreements": len(d),
                     f"followed_{name_a}": int((d[c] == d[f"{c}_a"]).sum()),
                     f"followed_{name_b}": int((d[c] == d[f"{c}_b"]).sum()),
                     "followed_neither": int(((d[c] != d[f"{c}_a"]) & (d[c] != d[f"{c}_b"])).sum())})
    return pd.DataFrame(rows)
