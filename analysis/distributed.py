"""Scoring a corpus larger than one machine with Dask.

The measures are fitted once, on one machine (:func:`analysis.scoring.study_scorer`);
scoring new text only reads the fitted estimators, so it splits into independent pieces
that Dask runs wherever it has workers. The fitted scorer is one task of the graph: each worker
receives it once and scores every partition it is given with it. A unit's scores do not
depend on the other units of its partition, and each article's bootstrap draws from its
own random stream (:func:`analysis.uncertainty.stream`), so the results are those of the
single-machine path (:func:`analysis.frame_tables.score_corpus`, ``python -m analysis score``)
value for value, whatever the partitioning.

The collections are Dask bags (``dask.bag``): of texts, or of paragraph records
``{"doc_id", "unit_id", "text", "line"}`` as :func:`folder_bag` reads them from a folder.
(``dask.dataframe`` would need ``pyarrow``, which the study does not install.)

A corpus larger than one machine, step by step::

    from dask.distributed import Client
    from analysis import distributed, scoring

    client = Client("tcp://scheduler:8786")            # or LocalCluster() on one machine
    scorer = scoring.study_scorer()                    # fitted once, here
    units = distributed.folder_bag("/shared/texts", paragraphs="block")
    scored = distributed.score_bag(units, scorer)      # lazy: nothing runs yet
    docs = distributed.doc_bag(scored, scorer, n_boot=2000)
    distributed.bag_to_csv(scored, "/shared/out/unit_scores")   # part-00000.csv, ...
    distributed.bag_to_csv(docs, "/shared/out/doc_scores")

The parts, concatenated in order without their repeated header lines, are the files
``python -m analysis score`` writes. :func:`doc_bag` needs all of an article's
paragraphs in one partition, as :func:`folder_bag` makes them.
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import dask
import dask.bag as db
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from . import config
from .errors import InputError
from .frame_tables import UNIT_KEYS, doc_scores
from .frames import FrameScorer
from .outputs import table_to_csv

#: Files read into one partition by :func:`folder_bag`.
FILES_PER_PARTITION = 200


def _shared(scorer: FrameScorer):
    """The fitted scorer as one task of the graph, so that each worker receives it once."""
    check_is_fitted(scorer, "scale_")
    return dask.delayed(scorer, pure=True, traverse=False)


def _score_partition(items: Iterable, scorer: FrameScorer) -> list[dict]:
    items = list(items)
    if not items:
        return []
    if all(isinstance(item, str) for item in items):
        return scorer.transform_frame(items).to_dict("records")
    if not all(isinstance(item, dict) and "text" in item for item in items):
        raise ValueError("a bag to score holds texts, or records with a 'text' field (as folder_bag makes them)")
    units = pd.DataFrame(items)
    keys = [k for k in UNIT_KEYS if k in units.columns]
    scores = scorer.transform_frame(units["text"].tolist())
    return pd.concat([units[keys], scores], axis=1).to_dict("records")


def score_bag(bag: db.Bag, scorer: FrameScorer) -> db.Bag:
    """Score a Dask bag, partition by partition: one record of scores per element, in order.

    Parameters
    ----------
    bag : dask Bag
        Of texts, or of paragraph records with a ``text`` field (:func:`folder_bag`).
    scorer : FrameScorer, fitted

    Returns
    -------
    dask Bag of dict
        For texts: every column of ``FrameScorer.transform_frame``. For records: their
        ``doc_id``, ``unit_id``, ``text`` (those present) first, as in the study's unit table.

    Examples
    --------
    >>> from analysis.frames import FrameScorer
    >>> docs = ["A pragmatic deal.", "An ideology.", "Deterrence.", "Credibility."]
    >>> scorer = FrameScorer(n_components=2, context="paragraph").fit(docs)
    >>> records = score_bag(db.from_sequence(docs, npartitions=3), scorer).compute(scheduler="sync")
    >>> pd.DataFrame(records).equals(scorer.transform_frame(docs))
    True
    """
    if not isinstance(bag, db.Bag):
        raise ValueError(f"bag must be a dask Bag, not {type(bag).__name__} — make one with dask.bag.from_sequence")
    return bag.map_partitions(_score_partition, _shared(scorer))


def _read_files(paths: list[str], paragraphs: str) -> list[dict]:
    from .scoring import file_read, folder_paragraphs

    texts, problems = {}, []
    for path in paths:
        text, found = file_read(Path(path))
        problems.extend(found)
        if text is not None:
            texts[Path(path).stem] = text
    if problems:
        raise InputError(problems)
    return folder_paragraphs(texts, paragraphs).to_dict("records")


def folder_bag(text_dir: str | Path, paragraphs: str = "line",
               files_per_partition: int = FILES_PER_PARTITION) -> db.Bag:
    """The paragraphs of a folder of ``.txt`` files as a Dask bag of records, read lazily.

    Records are the rows of :func:`analysis.scoring.folder_paragraphs` (``doc_id, unit_id,
    text, line``); a partition is a run of ``files_per_partition`` files in name order, so
    each article lies in one partition. An unusable file raises
    :class:`~analysis.errors.InputError` when its partition is computed.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp()); _ = (d / "a.txt").write_text("One.\\nTwo.\\n")
    >>> [r["unit_id"] for r in folder_bag(d).compute(scheduler="sync")]
    ['a.p01', 'a.p02']
    """
    from .corpus import PARAGRAPH_MODES
    from .scoring import folder_files

    if paragraphs not in PARAGRAPH_MODES:
        raise ValueError(f"paragraphs must be one of {PARAGRAPH_MODES}, not {paragraphs!r}")
    if int(files_per_partition) != files_per_partition or files_per_partition < 1:
        raise ValueError(f"files_per_partition must be a positive integer, not {files_per_partition!r}")
    files = [str(p) for p in folder_files(text_dir)]
    step = int(files_per_partition)
    groups = [files[i:i + step] for i in range(0, len(files), step)]
    return db.from_delayed([dask.delayed(_read_files)(group, paragraphs) for group in groups])


def _doc_partition(records: Iterable[dict], contrasts: list[str], n_boot: int, seed: int) -> list[dict]:
    units = pd.DataFrame(list(records))
    if units.empty:
        return []
    return doc_scores(units, contrasts, n_boot=n_boot, seed=seed).to_dict("records")


def doc_bag(scored: db.Bag, scorer: FrameScorer, *, n_boot: int = config.N_BOOT,
            seed: int = config.SEED) -> db.Bag:
    """Article scores with bootstrap intervals (:func:`analysis.frame_tables.doc_scores`), per partition.

    ``scored`` is :func:`score_bag` of paragraph records; every article's paragraphs must
    lie in one partition (as :func:`folder_bag` makes them). Each article's bootstrap has
    its own random stream, so the records are the rows the single-machine path gives.
    """
    if not isinstance(scored, db.Bag):
        raise ValueError(f"scored must be the dask Bag score_bag returns, not {type(scored).__name__}")
    return scored.map_partitions(_doc_partition, list(scorer.codebook_.contrasts), n_boot, seed)


def bag_to_csv(bag: db.Bag, out_dir: str | Path) -> list[Path]:
    """Write each partition of a bag of records as ``out_dir/part-NNNNN.csv``; return the paths.

    Each part has the header line and the study's float format
    (:func:`analysis.outputs.table_to_csv`). Empty partitions write nothing.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = bag.to_delayed()
    width = max(5, len(str(len(parts))))
    names = [str(out_dir / f"part-{i:0{width}d}.csv") for i in range(len(parts))]
    writes = [dask.delayed(_write_part)(part, name) for part, name in zip(parts, names)]
    written = dask.compute(*writes)
    return [Path(p) for group in written for p in group]


def _write_part(records, path: str) -> list[str]:
    records = list(records)
    if not records:
        return []
    Path(path).write_text(table_to_csv(pd.DataFrame(records)), encoding="utf-8")
    return [path]
