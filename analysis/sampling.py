"""A blind coding sheet: a stratified sample of a corpus' paragraphs to code by hand.

``python -m analysis sample CORPUS --n N --out SHEET.csv`` calls :func:`sheet_write`.
The sheet has the columns ``unit_id, doc_id, text``, one empty column per contrast of
the corpus' codebook (named as the contrast) and an empty ``note``: the format of a
coding pass in ``annotations/`` (:func:`analysis.annotations.annotation_read`), so a
filled-in sheet is a pass file as it stands. It holds no score, and its rows are
shuffled, so nothing on it shows what the measures think of a paragraph.

How the paragraphs are drawn (:func:`sample_draw`)
    1. *Articles.* Each article's share follows its number of paragraphs still
       available (after exclusion), by :func:`article_allocation`: when ``n`` is at
       least the number of articles, every article first gets one paragraph and the
       other ``n - D`` are shared in proportion to each article's remaining paragraphs;
       otherwise the ``n`` are shared in proportion to the paragraphs. Shares are whole
       numbers by the largest-remainder rule (:func:`counts_apportion`).
    2. *Least sure.* :data:`UNCERTAIN_SHARE` of ``n`` (rounded down) goes to the
       paragraphs the fitted measures are least sure of, shared among the articles in
       proportion to their allocation (at most an article's allocation, and at most its
       candidates). A paragraph's *margin* (:func:`unit_margin`) is the smallest
       ``|<contrast>_index|`` over the contrasts on which the combined measure finds it
       framed (salience above the threshold of
       :func:`analysis.validation.salience_rule`); the index is a mean of standardised
       scores, so margins are comparable across contrasts. A paragraph framed on no
       contrast has no margin: the sign of its index means nothing, and how sure the
       measures are that it is unframed is read on another scale (the salience), so it
       is drawn only through the strata. Within an article the smallest margins are
       taken first.
    3. *Strata.* The rest of each article's allocation is drawn in turn from the
       strata of the combined measure's predicted codes (:func:`unit_strata`): each
       pole (and ``mixed``) of each contrast, then ``none`` (predicted unframed on every
       contrast). One paragraph is taken from the next stratum that still has one; the
       turn carries over from one article to the next (articles in ``doc_id`` order),
       so the whole sample is spread evenly over the strata rather than each article
       starting with the same one. Rare poles are therefore over-represented relative
       to the corpus, which is what a validation sample of them needs.

    Ties of margin and the order within a stratum are random, from a generator seeded
    with ``seed``; the draw does not depend on the coder.
Coders (:func:`sheet_order`)
    Every coder of one seed gets the same paragraphs; ``coder`` only changes their order,
    which is seeded by the SHA-256 of the seed and the coder's name (Python's ``hash`` of a
    string changes between runs).
Measures
    The study's measures fitted on the corpus (:func:`analysis.scoring.study_scorer`), read
    only: the sample depends on them, the sheet never shows them.

Spreadsheets (:func:`sheet_cells_neutralised`)
    A paragraph that starts with ``=``, ``+``, ``-`` or ``@`` would be read as a formula
    by a spreadsheet that opens the sheet (CSV injection). Every such cell is written
    with an apostrophe in front, which spreadsheets show as text, and so is a cell that
    already starts with an apostrophe; :func:`sheet_read` takes exactly one apostrophe
    off again (:func:`analysis.sources.cell_restore`), giving back the corpus' text.

No companion file lists the codes: they are the codebook's (each pole, ``mixed`` and
``none``, as in :func:`analysis.annotations.contrast_codes`), the command prints them,
and a second file would be one more thing to lose between researcher and coder.
"""
from __future__ import annotations

import hashlib
import math
from collections import deque
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from . import config
from .annotations import contrast_codes
from .codebook import Codebook
from .errors import InputError, Problem
from .validation import unit_predictions

#: Share of the sample drawn from the paragraphs the measures are least sure of.
UNCERTAIN_SHARE = 0.25
#: The sheet's first columns; the code columns (one per contrast) and ``note`` follow.
SHEET_KEYS = ("unit_id", "doc_id", "text")
NOTE_COLUMN = "note"
#: The stratum of paragraphs predicted unframed on every contrast.
NONE_STRATUM = "none"


def sheet_columns(codebook: Codebook) -> list[str]:
    """The columns of a coding sheet for ``codebook``.

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> sheet_columns(load_codebook())
    ['unit_id', 'doc_id', 'text', 'alliance', 'force', 'note']
    """
    return [*SHEET_KEYS, *codebook.contrasts, NOTE_COLUMN]


def counts_apportion(total: int, capacities: Mapping[str, int]) -> dict[str, int]:
    """Share ``total`` among the keys in proportion to ``capacities`` (largest remainder).

    Each key first gets the whole part of its quota ``total * capacity / sum(capacities)``;
    the units left over go one each to the largest fractional parts, ties to the key first
    in sorted order. Exact integer arithmetic. With ``total <= sum(capacities)`` no key
    gets more than its capacity.

    Examples
    --------
    >>> counts_apportion(5, {"a": 6, "b": 3, "c": 1})
    {'a': 3, 'b': 2, 'c': 0}
    >>> counts_apportion(2, {"b": 1, "a": 1, "c": 1})
    {'a': 1, 'b': 1, 'c': 0}
    """
    keys = sorted(capacities)
    whole = sum(capacities.values())
    if total < 0 or total > whole:
        raise ValueError(f"total must lie between 0 and {whole}, not {total}")
    if whole == 0:
        return {k: 0 for k in keys}
    shares = {k: total * capacities[k] // whole for k in keys}
    remainders = {k: total * capacities[k] % whole for k in keys}
    left = total - sum(shares.values())
    for k in sorted(keys, key=lambda k: -remainders[k])[:left]:  # sorted is stable: ties by key
        shares[k] += 1
    return shares


def article_allocation(n: int, sizes: Mapping[str, int]) -> dict[str, int]:
    """How many of ``n`` paragraphs each article gives, from its available paragraphs ``sizes``.

    With ``n`` at least the number of articles ``D`` (those with a paragraph), each gets
    one and the remaining ``n - D`` are shared in proportion to ``size - 1``; otherwise
    ``n`` is shared in proportion to ``size``; both by :func:`counts_apportion`.

    Examples
    --------
    >>> article_allocation(6, {"a": 10, "b": 2, "c": 1})
    {'a': 4, 'b': 1, 'c': 1}
    >>> article_allocation(1, {"a": 10, "b": 2, "c": 1})
    {'a': 1, 'b': 0, 'c': 0}
    """
    if n > sum(sizes.values()):
        raise ValueError(f"n ({n}) exceeds the {sum(sizes.values())} paragraphs available")
    present = {k: v for k, v in sizes.items() if v > 0}
    if n < len(present):
        shares = counts_apportion(n, present)
    else:
        rest = counts_apportion(n - len(present), {k: v - 1 for k, v in present.items()})
        shares = {k: v + 1 for k, v in rest.items()}
    return {k: shares.get(k, 0) for k in sorted(sizes)}


def unit_predicted(units: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The combined measure's predicted code of every unit: ``unit_id`` and one column per contrast.

    The salience threshold is computed over every row of ``units``
    (:func:`analysis.validation.unit_predictions`), so pass the whole corpus.
    """
    out = units[["unit_id"]].reset_index(drop=True)
    for c in codebook.contrasts:
        out[c] = unit_predictions(units, codebook, c, measures=("combined",))["combined"].to_numpy()
    return out


def unit_strata(predicted: pd.DataFrame, codebook: Codebook) -> list[tuple[str, ...]]:
    """The strata of each unit: ``"<contrast>:<code>"`` for each contrast it is predicted framed
    on, or only :data:`NONE_STRATUM` when it is predicted ``none`` on every contrast.

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> p = pd.DataFrame({"unit_id": ["u1", "u2"], "alliance": ["ideological", "none"], "force": ["mixed", "none"]})
    >>> unit_strata(p, load_codebook())
    [('alliance:ideological', 'force:mixed'), ('none',)]
    """
    out = []
    for row in predicted[list(codebook.contrasts)].itertuples(index=False):
        framed = tuple(f"{c}:{code}" for c, code in zip(codebook.contrasts, row) if code != "none")
        out.append(framed or (NONE_STRATUM,))
    return out


def strata_order(codebook: Codebook) -> list[str]:
    """Every stratum, in the order the draw visits them: each contrast's poles and ``mixed``, then ``none``.

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> strata_order(load_codebook())[:3], strata_order(load_codebook())[-1]
    (['alliance:transactional', 'alliance:ideological', 'alliance:mixed'], 'none')
    """
    return [f"{c}:{code}" for c in codebook.contrasts for code in contrast_codes(codebook, c)[:3]] + [NONE_STRATUM]


def unit_margin(units: pd.DataFrame, predicted: pd.DataFrame, codebook: Codebook) -> np.ndarray:
    """How sure the combined measure is of each unit: the smallest ``|<contrast>_index|`` over
    the contrasts it is predicted framed on; NaN when it is framed on none.

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> u = pd.DataFrame({"alliance_index": [0.4, -2.0, 1.0], "force_index": [-0.1, 0.3, 0.2]})
    >>> p = pd.DataFrame({"alliance": ["ideological", "transactional", "none"],
    ...                   "force": ["deterrence", "none", "none"]})
    >>> unit_margin(u, p, load_codebook()).tolist()
    [0.1, 2.0, nan]
    """
    margins = np.full(len(units), np.nan)
    for c in codebook.contrasts:
        distance = np.abs(units[f"{c}_index"].to_numpy(dtype=float))
        framed = predicted[c].to_numpy() != "none"
        margins = np.where(framed, np.fmin(margins, distance), margins)
    return margins


def sample_draw(units: pd.DataFrame, codebook: Codebook, n: int, seed: int = config.SEED,
                exclude: Sequence[str] = ()) -> list[str]:
    """Draw ``n`` units, stratified by article and by predicted code (see the module docstring).

    Parameters
    ----------
    units : DataFrame
        Every paragraph of the corpus with ``unit_id``, ``doc_id`` and the scorer's
        ``<contrast>_index`` and ``<contrast>_salience`` (:func:`analysis.frame_tables.unit_scores`).
    codebook : Codebook
    n : int
        Units to draw, at least 1 and at most the units not excluded.
    seed : int
        Seeds every random choice.
    exclude : sequence of str
        Unit ids never drawn.

    Returns
    -------
    list of str
        The unit ids drawn, in the order of ``units``.

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> u = pd.DataFrame({"unit_id": ["a.p1", "a.p2", "b.p1"], "doc_id": ["a", "a", "b"],
    ...                   "alliance_index": [1.0, -1.0, 0.5], "alliance_salience": [0.9, 0.9, 0.1],
    ...                   "force_index": [0.0, 0.0, 0.0], "force_salience": [0.0, 0.0, 0.0],
    ...                   "sup_alliance_salience": [0.9, 0.9, 0.1], "sup_force_salience": [0.0, 0.0, 0.0]})
    >>> sample_draw(u, load_codebook(), 2, exclude=["a.p1"])
    ['a.p2', 'b.p1']
    """
    units = units.reset_index(drop=True)
    predicted = unit_predicted(units, codebook)
    keep = ~units["unit_id"].isin(set(exclude)).to_numpy()
    table = pd.DataFrame({"unit_id": units["unit_id"], "doc_id": units["doc_id"],
                          "strata": unit_strata(predicted, codebook),
                          "margin": unit_margin(units, predicted, codebook)})[keep]
    if not 1 <= n <= len(table):
        raise ValueError(f"n must lie between 1 and the {len(table)} units available, not {n}")
    articles = {doc: group for doc, group in table.groupby("doc_id", sort=True)}
    shares = article_allocation(n, {doc: len(g) for doc, g in articles.items()})
    candidates = {doc: int(np.isfinite(g["margin"]).sum()) for doc, g in articles.items()}
    capacity = {doc: min(shares[doc], candidates[doc]) for doc in articles}
    unsure = counts_apportion(min(math.floor(n * UNCERTAIN_SHARE), sum(capacity.values())), capacity)
    rng = np.random.default_rng(seed)
    order, turn, drawn = strata_order(codebook), 0, set()
    for doc, group in articles.items():
        picked, turn = _article_draw(group, shares[doc], unsure[doc], order, turn, rng)
        drawn.update(picked)
    return [u for u in units["unit_id"] if u in drawn]


def _article_draw(group: pd.DataFrame, k: int, unsure: int, order: list[str], turn: int,
                  rng: np.random.Generator) -> tuple[list[str], int]:
    """``k`` units of one article: ``unsure`` smallest margins, then strata in turn from ``turn``."""
    rank = dict(zip(group["unit_id"], rng.permutation(len(group))))  # random ties and stratum order
    framed = group[np.isfinite(group["margin"])]
    by_margin = sorted(zip(framed["margin"], framed["unit_id"]), key=lambda mu: (mu[0], rank[mu[1]]))
    picked = [u for _, u in by_margin[:unsure]]
    queues = {s: deque() for s in order}
    for uid, strata in sorted(zip(group["unit_id"], group["strata"]), key=lambda us: rank[us[0]]):
        for s in strata:
            queues[s].append(uid)
    chosen = set(picked)
    while len(picked) < k:  # ends: every unit sits in a stratum and k <= len(group)
        queue = queues[order[turn % len(order)]]
        turn += 1
        while queue and queue[0] in chosen:
            queue.popleft()
        if queue:
            uid = queue.popleft()
            picked.append(uid)
            chosen.add(uid)
    return picked, turn


def sheet_order(unit_ids: Sequence[str], seed: int = config.SEED, coder: str = "") -> list[str]:
    """``unit_ids`` in the order one coder sees them: shuffled by the seed and the coder's name.

    Examples
    --------
    >>> ids = [f"u{i}" for i in range(6)]
    >>> sheet_order(ids, 1, "ann") == sheet_order(ids, 1, "ann")
    True
    >>> sorted(sheet_order(ids, 1, "ann")) == sorted(sheet_order(ids, 1, "bo")) == ids
    True
    """
    digest = hashlib.sha256(f"{seed}\x00{coder}".encode("utf-8")).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "big"))
    ids = sorted(unit_ids)  # the order does not depend on how the ids were handed in
    return [ids[i] for i in rng.permutation(len(ids))]


def coding_sheet(paragraphs: pd.DataFrame, unit_ids: Sequence[str], codebook: Codebook) -> pd.DataFrame:
    """The blind sheet: the paragraphs ``unit_ids`` in that order, code columns and ``note`` empty.

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> p = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": ["a.p1", "a.p2"], "text": ["One.", "Two."]})
    >>> coding_sheet(p, ["a.p2", "a.p1"], load_codebook()).values.tolist()
    [['a.p2', 'a', 'Two.', '', '', ''], ['a.p1', 'a', 'One.', '', '', '']]
    """
    sheet = paragraphs.set_index("unit_id").loc[list(unit_ids)].reset_index()[list(SHEET_KEYS)]
    for column in [*codebook.contrasts, NOTE_COLUMN]:
        sheet[column] = ""
    return sheet[sheet_columns(codebook)]


def exclude_read(paths: Sequence[str | Path], unit_ids: Sequence[str]) -> tuple[set[str], list[Problem]]:
    """The unit ids of earlier sheets or coding files, and every problem with them.

    Each file is a CSV with a ``unit_id`` column (other columns are ignored), UTF-8 with
    or without a byte-order mark (as ``annotations/`` accepts); every id must be a
    paragraph of the corpus (``unit_ids``).
    """
    from .sources import csv_read

    known, found, problems = set(unit_ids), set(), []
    for path in map(Path, paths):
        if not path.is_file():
            problems.append(Problem(path, "--exclude file not found", "pass an earlier sheet or coding file "
                                    "(a CSV with a unit_id column)"))
            continue
        try:  # a sheet saved by a spreadsheet may start with a byte-order mark
            rows, trouble = csv_read(path, ("unit_id",), required=True, bom=True)
        except OSError as exc:
            rows, trouble = [], [Problem(path, f"cannot be read ({exc.strerror or exc})",
                                         "check that it is a readable file")]
        problems += trouble
        for line, row in rows:
            uid = row["unit_id"]
            if uid not in known:
                what = "field 'unit_id' is empty" if not uid else f"unit_id {uid!r} is not a paragraph of the corpus"
                problems.append(Problem(path, what, "exclude only sheets or coding files of this corpus", line=line))
            found.add(uid)
    return found, problems


def _out_problems(out: Path) -> list[Problem]:
    if out.exists() or out.is_symlink():
        # a sheet may already hold a coder's work: never overwrite it, not even on request
        return [Problem(out, "already exists", "choose another file name, or delete the old sheet first")]
    if not out.parent.is_dir():
        return [Problem(out.parent, "folder not found", "create it first, or write the sheet into an existing folder")]
    return []


def sheet_write(corpus_dir: str | Path, out: str | Path, n: int, *, seed: int = config.SEED, coder: str = "",
                exclude: Sequence[str | Path] = (), scorer=None) -> pd.DataFrame:
    """Draw a sample of the corpus' paragraphs and write its blind coding sheet to ``out``.

    Parameters
    ----------
    corpus_dir : corpus folder
    out : path of the CSV to write; must not exist, its folder must
    n : paragraphs to draw
    seed : seeds the draw and, with ``coder``, the order
    coder : str
        The coder's name: same paragraphs for every coder of a seed, a different order.
    exclude : paths of earlier sheets or coding files whose ``unit_id`` are never drawn
    scorer : FrameScorer, optional
        Fitted measures; default :func:`analysis.scoring.study_scorer` on ``corpus_dir``.

    Returns
    -------
    DataFrame
        The sheet written, with the text as in the corpus (the file marks the cells a
        spreadsheet would run as formulas, see :func:`sheet_cells_neutralised`).

    Raises
    ------
    InputError
        Before anything is written: bad ``n``, ``seed`` or ``out``, an unsound corpus or
        codebook, an unusable ``--exclude`` file, or too few paragraphs left.
    """
    from .codebook import corpus_codebook
    from .corpus import load_corpus
    from .frame_tables import unit_scores
    from .outputs import atomic_write, table_to_csv
    from .sources import require_sound

    corpus_dir, out = Path(corpus_dir), Path(out)
    problems = []
    if n < 1:
        problems.append(Problem("--n", f"asks for {n} paragraphs", "pass a whole number of at least 1"))
    if seed < 0:
        problems.append(Problem("--seed", f"is negative ({seed})", "pass a whole number of at least 0"))
    problems += _out_problems(out)
    if problems:
        raise InputError(problems)
    require_sound(corpus_dir)
    codebook = corpus_codebook(corpus_dir)
    paragraphs = load_corpus(corpus_dir).paragraphs
    excluded, problems = exclude_read(exclude, paragraphs["unit_id"])
    if problems:
        raise InputError(problems)
    available = len(paragraphs) - len(excluded)
    if n > available:
        raise InputError(Problem("--n", f"asks for {n} paragraphs but {available} of the corpus' {len(paragraphs)} "
                                 "are left after exclusion", f"pass --n {available} or less, or exclude fewer sheets"))
    if scorer is None:
        from .scoring import study_scorer

        scorer = study_scorer(corpus_dir, codebook)
    drawn = sample_draw(unit_scores(paragraphs, scorer), codebook, n, seed, sorted(excluded))
    sheet = coding_sheet(paragraphs, sheet_order(drawn, seed, coder), codebook)
    atomic_write(out, table_to_csv(sheet_cells_neutralised(sheet)).encode("utf-8"))
    return sheet


def sheet_cells_neutralised(sheet: pd.DataFrame) -> pd.DataFrame:
    """``sheet`` with every cell safe to open in a spreadsheet (:func:`analysis.sources.cell_neutralise`).

    Examples
    --------
    >>> sheet_cells_neutralised(pd.DataFrame({"text": ["=1+1", "A deal."]}))["text"].tolist()
    ["'=1+1", 'A deal.']
    """
    from .sources import cell_neutralise

    return sheet.astype(str).apply(lambda column: column.map(cell_neutralise))


def sheet_read(path: str | Path, codebook: Codebook, unit_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """A filled-in coding sheet, checked as a coding pass, with the text as in the corpus.

    The file is read by :func:`analysis.annotations.annotation_read` (every problem named
    by line and field); the cells the sheet was written with (``unit_id``, ``doc_id``,
    ``text``) then lose the apostrophe :func:`sheet_cells_neutralised` put in front of
    them. Codes and notes are the coder's and are left as written.
    """
    from .annotations import annotation_read
    from .sources import cell_restore

    sheet = annotation_read(path, codebook, unit_ids, columns=SHEET_KEYS)
    return sheet.assign(**{key: sheet[key].map(cell_restore) for key in SHEET_KEYS})


def sheet_summary(sheet: pd.DataFrame, out: str | Path, codebook: Codebook) -> str:
    """What the command prints: the file, the paragraphs per article and the codes to use.

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> sheet = pd.DataFrame({"doc_id": ["b", "a", "b"]})
    >>> print(sheet_summary(sheet, "s.csv", load_codebook()))
    s.csv: 3 paragraphs from 2 articles (a 1, b 2)
    codes, one per cell (definitions in the codebook):
      alliance: transactional, ideological, mixed, none
      force: deterrence, credibility, mixed, none
    """
    counts = sheet["doc_id"].value_counts().sort_index()
    lines = [f"{out}: {len(sheet)} paragraphs from {len(counts)} articles "
             f"({', '.join(f'{doc} {k}' for doc, k in counts.items())})",
             "codes, one per cell (definitions in the codebook):"]
    lines += [f"  {c}: {', '.join(contrast_codes(codebook, c))}" for c in codebook.contrasts]
    return "\n".join(lines)

