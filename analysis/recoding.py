"""A blind re-coding of written exemplars: how far can a writer's own codes be trusted?

The exemplars' codes are their writers' intent (``corpus/exemplars/README.md``). To put a
number on it, a sample of them (:func:`recoding_sample`) was coded again by a coder who
saw only the codebook, the coding rules and the texts — not the writers' codes, kinds or
notes. The codes are kept in ``corpus/exemplars/recoding/*.csv`` (``exemplar_id`` and a
column per contrast), read and checked by :func:`load_recoding`, and compared with the
writers' by :func:`recoding_agreement`.
"""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

from .codebook import Codebook
from .errors import InputError, Problem
from .reliability import krippendorff_alpha_nominal, percent_agreement

RECODING_DIR = "recoding"


def recoding_sample(exemplars: pd.DataFrame, round_: int = 3, per_writer: int = 20, seed: int = 20261129,
                    order_seed: int = 7) -> pd.DataFrame:
    """The exemplars drawn for re-coding: ``per_writer`` of each writer of round ``round_``.

    Within each writer (in sorted order) the paragraphs are drawn at random without
    replacement with ``numpy.random.default_rng(seed)``; the sample is then shuffled
    (``order_seed``), the order in which the coder saw it, so that neither writers nor
    twins of a minimal pair sit side by side.

    Examples
    --------
    >>> ex = pd.DataFrame({"exemplar_id": [f"w{i}" for i in range(6)], "writer": list("aaabbb"),
    ...                    "round": [3] * 6})
    >>> sorted(recoding_sample(ex, per_writer=2)["writer"].tolist())
    ['a', 'a', 'b', 'b']
    """
    rng = np.random.default_rng(seed)
    chosen = exemplars[exemplars["round"] == round_]
    if chosen.empty:
        raise ValueError(f"no exemplar of round {round_} to draw from")
    parts = []
    for _, group in chosen.groupby("writer", sort=True):
        if len(group) < per_writer:
            raise ValueError(f"writer {group['writer'].iloc[0]!r} has {len(group)} exemplars, fewer than {per_writer}")
        parts.append(group.iloc[sorted(rng.choice(len(group), size=per_writer, replace=False))])
    return pd.concat(parts).sample(frac=1, random_state=order_seed)


def load_recoding(folder: str | Path, exemplars: pd.DataFrame, codebook: Codebook) -> pd.DataFrame | None:
    """Every ``*.csv`` of ``folder`` (``exemplar_id`` and a code per contrast), checked; None without one.

    Raises
    ------
    InputError
        Naming each row whose id is not an exemplar or repeats, or whose code is not one
        of the codebook's (a pole, ``mixed`` or ``none``).
    """
    folder = Path(folder)
    files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
    if not files:
        return None
    known = set(exemplars["exemplar_id"].astype(str))
    allowed = {c: (con.negative.name, con.positive.name, "mixed", "none") for c, con in codebook.contrasts.items()}
    problems, rows, seen = [], [], {}
    for path in files:
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [k for k in ("exemplar_id", *allowed) if k not in (reader.fieldnames or [])]
            if missing:
                problems.append(Problem(path, f"has no column {', '.join(missing)}",
                                        f"give the columns exemplar_id, {', '.join(allowed)}"))
                continue
            for row in reader:
                n, eid = reader.line_num, str(row["exemplar_id"]).strip()
                if eid not in known:
                    problems.append(Problem(path, f"exemplar_id {eid!r} is not an exemplar",
                                            "use the ids of corpus/exemplars", line=n))
                elif eid in seen:
                    problems.append(Problem(path, f"exemplar_id {eid!r} also at {seen[eid]}", "code it once", line=n))
                for c, codes in allowed.items():
                    if row[c] not in codes:
                        problems.append(Problem(path, f"{c} {row[c]!r} is not a code of the codebook",
                                                f"use one of {', '.join(codes)}", line=n))
                seen.setdefault(eid, f"{path.name}:{n}")
                rows.append({"exemplar_id": eid, **{c: row[c] for c in allowed}})
    if problems:
        raise InputError(problems)
    return pd.DataFrame(rows)


def corpus_recoding(corpus_dir: str | Path | None, exemplars: pd.DataFrame, codebook: Codebook) -> pd.DataFrame | None:
    """The re-coding kept beside the exemplars a corpus is measured with
    (:func:`analysis.exemplars.exemplars_folder`), or None when there is none."""
    from .exemplars import exemplars_folder

    return load_recoding(exemplars_folder(corpus_dir) / RECODING_DIR, exemplars, codebook)


def recoding_agreement(exemplars: pd.DataFrame, recoding: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The writers' codes against the blind re-coding, per contrast.

    Returns
    -------
    DataFrame
        ``contrast, n, agreement, alpha`` on the four codes (a pole, the other pole,
        ``mixed``, ``none``; Krippendorff's nominal alpha for the two coders),
        ``framed_agreement`` (framed — a pole or ``mixed`` — or not), and
        ``n_polar, polar_agreement``: among the paragraphs both coders gave a pole, the
        share with the same pole.

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> ex = pd.DataFrame({"exemplar_id": ["a", "b", "c", "d"], "force": ["deterrence", "credibility", "none", "none"],
    ...                    "alliance": ["none"] * 4})
    >>> rc = ex.assign(force=["deterrence", "deterrence", "none", "mixed"])
    >>> t = recoding_agreement(ex, rc, load_codebook()).set_index("contrast")
    >>> t.loc["force", ["n", "agreement", "framed_agreement", "n_polar", "polar_agreement"]].tolist()
    [4.0, 0.5, 0.75, 2.0, 0.5]
    """
    both = recoding.merge(exemplars, on="exemplar_id", suffixes=("_recoded", ""), validate="one_to_one")
    rows = []
    for c, con in codebook.contrasts.items():
        writer, recoded = both[c].astype(str).tolist(), both[f"{c}_recoded"].astype(str).tolist()
        poles = (con.negative.name, con.positive.name)
        polar = [(a, b) for a, b in zip(writer, recoded) if a in poles and b in poles]
        rows.append(dict(contrast=c, n=len(both), agreement=percent_agreement(writer, recoded),
                         alpha=krippendorff_alpha_nominal([writer, recoded]),
                         framed_agreement=percent_agreement([a != "none" for a in writer],
                                                            [b != "none" for b in recoded]),
                         n_polar=len(polar),
                         polar_agreement=float(np.mean([a == b for a, b in polar])) if polar else float("nan")))
    return pd.DataFrame(rows)
