"""Written training exemplars: the only text the supervised measure learns from.

``corpus/exemplars/`` holds short paragraphs written for the project to the codebook
(how, by whom and what that implies: its README), one file per writer, as JSON Lines
(``*.jsonl``) or CSV. Every file is checked when loaded and every problem is reported
as ``path:line: problem — fix``:

* the columns :data:`REQUIRED` are present and non-empty;
* ``alliance`` and ``force`` (every contrast of the codebook) hold one of the
  codebook's codes: a pole, ``mixed`` or ``none``; ``kind`` is one of :data:`KINDS`;
* a text has 40–120 words;
* no ``exemplar_id`` and no text (compared without case and punctuation) occurs twice;
* no run of :data:`OVERLAP_WORDS` words is shared with any source text of the corpus
  being studied, so that nothing the measures are tested on leaks into their training;
* an optional ``pair`` names the exemplar's twin in a minimal pair: an exemplar of the
  same writer whose ``pair`` names it back, coded differently on some contrast;
* if the folder has a ``writers.csv`` (``writer, round``, …), it lists every writer of
  the files exactly once; its columns join the table (``brief`` from the files wins).
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .codebook import Codebook
from .errors import InputError, Problem

EXEMPLARS_DIR = "exemplars"
#: Optional table of the writers: ``writer, round`` and anything else known about them.
WRITERS_FILE = "writers.csv"
REQUIRED = ("exemplar_id", "writer", "brief", "text", "kind")
KINDS = ("clear", "rejected", "attributed", "negated", "hedged", "mixed", "false_friend", "plain")
MIN_WORDS, MAX_WORDS = 40, 120
#: Length of the word runs that may not be shared with the sources.
OVERLAP_WORDS = 8
_WORDS = re.compile(r"[a-z0-9']+")


def _words(text: str) -> list[str]:
    return _WORDS.findall(text.lower().replace("\u2019", "'"))


def word_runs(text: str, n: int = OVERLAP_WORDS) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words (lowercase, punctuation dropped).

    Examples
    --------
    >>> sorted(word_runs("One, two three four.", 3))
    [('one', 'two', 'three'), ('two', 'three', 'four')]
    """
    w = _words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def _read_file(path: Path) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Rows of one file with their line numbers, or the problems that stop it being read."""
    rows, problems = [], []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [Problem(path, f"cannot be read ({exc})", "save it as UTF-8 text")]
    if path.suffix == ".jsonl":
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(Problem(path, f"is not JSON ({exc.msg})", "write one JSON object per line", line=n))
                continue
            if not isinstance(row, dict):
                problems.append(Problem(path, "is not a JSON object", "write one JSON object per line", line=n))
                continue
            rows.append((n, row))
    else:
        reader = csv.DictReader(text.splitlines())
        for row in reader:
            rows.append((reader.line_num, row))
    return rows, problems


def _check_row(path: Path, n: int, row: dict, codebook: Codebook) -> list[Problem]:
    problems = []
    for key in REQUIRED + tuple(codebook.contrasts):
        if not str(row.get(key, "") or "").strip():
            problems.append(Problem(path, f"field {key!r} is missing or empty", f"give every exemplar a {key}", line=n))
    if problems:
        return problems
    if not isinstance(row["text"], str):
        return [Problem(path, f"text is {type(row['text']).__name__}, not a string", "write the paragraph as one "
                        "string", line=n)]
    for c, con in codebook.contrasts.items():
        allowed = (con.negative.name, con.positive.name, "mixed", "none")
        if row[c] not in allowed:
            problems.append(Problem(path, f"{c} {row[c]!r} is not a code of the codebook",
                                    f"use one of {', '.join(allowed)}", line=n))
    if row["kind"] not in KINDS:
        problems.append(Problem(path, f"kind {row['kind']!r} is unknown", f"use one of {', '.join(KINDS)}", line=n))
    count = len(str(row["text"]).split())
    if not MIN_WORDS <= count <= MAX_WORDS:
        problems.append(Problem(path, f"text has {count} words", f"write {MIN_WORDS}–{MAX_WORDS} words", line=n))
    return problems


def load_exemplars(exemplar_dir: str | Path | None = None, codebook: Codebook | None = None,
                   sources: dict[str, str] | None = None) -> pd.DataFrame:
    """Read and check every exemplar file in ``exemplar_dir`` (default ``corpus/exemplars``).

    Parameters
    ----------
    exemplar_dir : path, optional
    codebook : Codebook, optional
        Codes are checked against it (default: the study's codebook).
    sources : dict ``{name: text}``, optional
        Texts the exemplars may not share an :data:`OVERLAP_WORDS`-word run with
        (default: the study corpus' source files).

    Returns
    -------
    DataFrame
        One row per exemplar, sorted by ``exemplar_id``: the file's columns plus
        ``file`` and ``line``.

    Raises
    ------
    InputError
        Listing every problem found in every file; nothing is returned then.
    """
    from .codebook import load_codebook

    folder = Path(exemplar_dir) if exemplar_dir is not None else config.CORPUS_DIR / EXEMPLARS_DIR
    codebook = codebook if codebook is not None else load_codebook()
    if not folder.is_dir():
        raise InputError(Problem(folder, "is not a folder", "put the exemplar files (*.jsonl or *.csv) in it"))
    files = sorted(p for p in folder.iterdir() if p.suffix in (".jsonl", ".csv") and p.name != WRITERS_FILE)
    if not files:
        raise InputError(Problem(folder, "holds no *.jsonl or *.csv file", "add the exemplar files"))
    if sources is None:
        sources = {p.name: p.read_text(encoding="utf-8") for p in sorted((config.CORPUS_DIR / "texts").glob("*.txt"))}
    runs = {}
    for name, text in sorted(sources.items()):
        for run in word_runs(text):
            runs.setdefault(run, name)
    problems, records, ids, texts, read = [], [], {}, {}, set()
    for path in files:
        rows, found = _read_file(path)
        problems += found
        for n, row in rows:
            read.add(str(row.get("exemplar_id") or "").strip())
            bad = _check_row(path, n, row, codebook)
            problems += bad
            if bad:
                continue
            eid, key = str(row["exemplar_id"]), " ".join(_words(row["text"]))
            if eid in ids:
                problems.append(Problem(path, f"exemplar_id {eid!r} also at {ids[eid]}", "give it its own id", line=n))
            if key in texts:
                problems.append(Problem(path, f"text repeats {texts[key]}", "remove one of the two", line=n))
            ids.setdefault(eid, f"{path.name}:{n}")
            texts.setdefault(key, f"{path.name}:{n}")
            shared = sorted(word_runs(row["text"]) & runs.keys())
            if shared:
                problems.append(Problem(path, f"shares the words {' '.join(shared[0])!r} with {runs[shared[0]]}",
                                        "rewrite the passage in the project's own words", line=n))
            records.append({**row, "writer": str(row["writer"]), "file": path.name, "line": n})
    problems += _pair_problems(records, codebook, folder, read)
    table = pd.DataFrame(records)
    writers, found = _writers(folder, sorted(table["writer"].unique()) if len(table) else [])
    problems += found
    if problems:
        raise InputError(problems)
    if writers is not None:
        table = table.merge(writers, on="writer", how="left", suffixes=("", "_writer"))
    return table.sort_values("exemplar_id", kind="stable").reset_index(drop=True)


def paired(exemplars: pd.DataFrame) -> pd.Series:
    """Which exemplars name a twin in their optional ``pair`` column (all False without one).

    Examples
    --------
    >>> paired(pd.DataFrame({"pair": ["b", None, " "]})).tolist(), paired(pd.DataFrame({"x": [1]})).tolist()
    ([True, False, False], [False])
    """
    if "pair" not in exemplars:
        return pd.Series(False, index=exemplars.index)
    return exemplars["pair"].fillna("").astype(str).str.strip() != ""


def _pair_problems(records: list[dict], codebook: Codebook, folder: Path, read: set[str]) -> list[Problem]:
    """Problems of the optional ``pair`` field: twins name each other, share a writer, differ in a code.

    ``records`` are the rows that passed their own checks (the first of a repeated id
    counts); ``read`` is every id read, so that a twin with problems of its own is not
    also called missing.
    """
    by_id = {}
    for r in records:
        by_id.setdefault(str(r["exemplar_id"]), r)
    problems = []
    for r in records:
        twin_id = str(r.get("pair") or "").strip()
        if not twin_id:
            continue
        path, n, eid = folder / r["file"], r["line"], str(r["exemplar_id"])
        twin = by_id.get(twin_id)
        if twin_id == eid:
            problems.append(Problem(path, f"pair {twin_id!r} names the exemplar itself",
                                    "give the exemplar_id of its twin", line=n))
        elif twin is None:
            if twin_id not in read:
                problems.append(Problem(path, f"pair {twin_id!r} is not an exemplar_id",
                                        "name the twin's exemplar_id", line=n))
        elif str(twin.get("pair") or "").strip() != eid:
            named = str(twin.get("pair") or "").strip()
            problems.append(Problem(path, f"pair {twin_id!r} does not name {eid!r} back"
                                    + (f" (it names {named!r})" if named else ""),
                                    f"set the pair of {twin_id} to {eid}" if not named
                                    else f"give {eid} its own twin, or pair it with {twin_id} instead of {named}",
                                    line=n))
        elif str(twin["writer"]) != str(r["writer"]):
            problems.append(Problem(path, f"pair {twin_id!r} is by another writer",
                                    "pair an exemplar with a twin by the same writer", line=n))
        elif all(twin[c] == r[c] for c in codebook.contrasts):
            problems.append(Problem(path, f"pair {twin_id!r} has the same codes",
                                    "a twin changes the code of at least one contrast", line=n))
    return problems


def _writers(folder: Path, listed: list[str]) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The optional ``writers.csv`` (``writer, round, …``): one row per writer of the files."""
    path = folder / WRITERS_FILE
    if not path.exists():
        return None, []
    rows, problems = _read_file(path)
    if problems:
        return None, problems
    seen = {}
    for n, row in rows:
        name = str(row.get("writer") or "").strip()
        if not name or not str(row.get("round") or "").strip().isdigit():
            problems.append(Problem(path, "needs a writer and a whole-number round", "fill both columns", line=n))
        elif name in seen:
            problems.append(Problem(path, f"writer {name!r} also on line {seen[name]}", "list each writer once",
                                    line=n))
        seen.setdefault(name, n)
    for name in listed:
        if name not in seen:
            problems.append(Problem(path, f"writer {name!r} of the exemplar files is not listed",
                                    f"add a row for {name}"))
    for name, n in seen.items():
        if name not in listed:
            problems.append(Problem(path, f"writer {name!r} has no exemplars", "remove the row or add the file",
                                    line=n))
    if problems:
        return None, problems
    table = pd.DataFrame([row for _, row in rows])
    return table.assign(round=table["round"].astype(int)), []


def exemplar_counts(exemplars: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Exemplars per code of each contrast and per writer: ``contrast, code, <writer>..., all``.

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> ex = pd.DataFrame({"writer": ["a", "b"], "alliance": ["none", "ideological"], "force": ["none", "none"]})
    >>> exemplar_counts(ex, load_codebook()).query("contrast == 'alliance'")["all"].tolist()
    [0, 1, 0, 1]
    """
    rows = []
    writers = sorted(exemplars["writer"].unique())
    for c, con in codebook.contrasts.items():
        for code in (con.negative.name, con.positive.name, "mixed", "none"):
            hit = exemplars[c] == code
            rows.append({"contrast": c, "code": code,
                         **{w: int((hit & (exemplars["writer"] == w)).sum()) for w in writers},
                         "all": int(hit.sum())})
    return pd.DataFrame(rows)


def exemplars_folder(corpus_dir: str | Path | None = None) -> Path:
    """The exemplar folder a corpus is measured with: its own ``exemplars/`` when it has
    one, else the study's ``corpus/exemplars``.

    Examples
    --------
    >>> exemplars_folder("no/such/corpus") == config.CORPUS_DIR / EXEMPLARS_DIR
    True
    """
    own = Path(corpus_dir) / EXEMPLARS_DIR if corpus_dir is not None else None
    return own if own is not None and own.is_dir() else config.CORPUS_DIR / EXEMPLARS_DIR


def corpus_exemplars(corpus_dir: str | Path | None = None, codebook: Codebook | None = None) -> pd.DataFrame:
    """The exemplars that train the measures for a corpus, checked against its sources.

    A corpus' own ``exemplars/`` folder is used when it has one (written to its own
    codebook); otherwise the study's ``corpus/exemplars``. Either way no exemplar may
    share an :data:`OVERLAP_WORDS`-word run with a source text of that corpus.
    """
    from .codebook import corpus_codebook
    from .corpus import load_corpus

    from .codebook import load_codebook

    corpus = load_corpus(corpus_dir)
    codebook = codebook if codebook is not None else corpus_codebook(corpus_dir)
    own = Path(corpus_dir) / EXEMPLARS_DIR if corpus_dir is not None else None
    folder = exemplars_folder(corpus_dir)
    if folder != own and codebook.pole_names() != load_codebook().pole_names():
        raise InputError(Problem(own if own is not None else folder, "is missing: the study's exemplars are coded "
                                 "to the study's codebook, and this corpus has its own",
                                 "write exemplars coded to your codebook in an exemplars/ folder "
                                 "(format: corpus/exemplars/README.md)"))
    sources = {doc_id: corpus.source(doc_id) for doc_id in sorted(corpus.paragraphs["doc_id"].unique())}
    return load_exemplars(folder, codebook, sources)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z0-9])")


def exemplar_sentences(text: str) -> list[str]:
    """Sentences of an exemplar (a full stop, ! or ? followed by space and a capital).

    Examples
    --------
    >>> exemplar_sentences("One deal. Two U.S. envoys met. Three?")
    ['One deal.', 'Two U.S. envoys met.', 'Three?']
    """
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def exemplars_diluted(exemplars: pd.DataFrame, contrasts: list[str], share: float = 0.5,
                      seed: int = config.SEED) -> pd.DataFrame:
    """The exemplars as real paragraphs read: the frame next to news that carries none.

    Written exemplars state their frame in most of their words; in real prose the frame
    is often a clause among facts, quotes and background. Each exemplar here gets
    unframed sentences — drawn from the same writer's exemplars coded ``none`` on every
    contrast — inserted at random places until they make up about ``share`` of its
    words. Codes are unchanged (adding unframed sentences changes no frame). Drawing
    only from the same writer keeps a leave-one-writer-out split clean. ``contrasts``
    names the code columns (the codebook's contrasts).

    Returns
    -------
    DataFrame
        The same rows and columns, with ``text`` replaced.

    Examples
    --------
    >>> ex = pd.DataFrame({"writer": ["a"] * 3, "alliance": ["ideological", "none", "none"],
    ...                    "force": ["none"] * 3, "text": ["A creed binds them.", "Rain fell. Roads shut.",
    ...                                                      "Wheat rose."]})
    >>> out = exemplars_diluted(ex, ["alliance", "force"], share=0.5, seed=1)
    >>> "A creed binds them." in out["text"].iloc[0], len(out["text"].iloc[0].split()) > 4
    (True, True)
    """
    if not 0 <= share < 1:
        raise ValueError(f"share must be in [0, 1), not {share}")
    rng = np.random.default_rng(seed)
    unframed = (exemplars[list(contrasts)] == "none").all(axis=1)
    pool = {w: [s for t in exemplars.loc[unframed & (exemplars["writer"] == w), "text"] for s in exemplar_sentences(t)]
            for w in sorted(exemplars["writer"].unique())}
    texts = []
    for text, writer in zip(exemplars["text"], exemplars["writer"]):
        own = exemplar_sentences(text)
        others = [s for s in pool[writer] if s not in own]
        target = share / (1 - share) * len(text.split())
        added, words = [], 0
        while others and words < target:
            s = others[int(rng.integers(len(others)))]
            added.append(s)
            words += len(s.split())
        for s in added:
            own.insert(int(rng.integers(len(own) + 1)), s)
        texts.append(" ".join(own))
    return exemplars.assign(text=texts)


#: Exemplars a code needs at least, for the calibration folds of the supervised measure.
MIN_PER_CODE = 2


def exemplars_check(corpus_dir: str | Path) -> list[Problem]:
    """Problems of the exemplars a corpus would be measured with (:func:`corpus_exemplars`).

    Besides the checks of :func:`load_exemplars`, training needs exemplars by at least two
    writers (the combination rule leaves one out) and at least :data:`MIN_PER_CODE` of
    each pole and of ``none`` on every contrast. Called by ``python -m analysis validate``
    once the corpus and its codebook are sound.
    """
    from .codebook import corpus_codebook

    try:
        ex = corpus_exemplars(corpus_dir)
    except InputError as exc:
        return exc.problems
    folder = exemplars_folder(corpus_dir)
    problems = []
    if ex["writer"].nunique() < 2:
        problems.append(Problem(folder, "holds exemplars by one writer only",
                                "add exemplars by a second writer: the combination rule leaves one writer out"))
    for c, (negative, positive) in corpus_codebook(corpus_dir).pole_names().items():
        for code in (negative, positive, "none"):
            n = int((ex[c] == code).sum())
            if n < MIN_PER_CODE:
                problems.append(Problem(folder, f"{n} exemplar(s) coded {code!r} on {c!r}",
                                        f"add at least {MIN_PER_CODE} (150 or more is the study's standard)"))
    return problems
