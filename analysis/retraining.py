"""Retraining the supervised measure with a corpus' own hand coding, and what it buys.

A researcher who codes a sample of their corpus by hand (``python -m analysis sample``,
then ``annotations/``, :func:`analysis.annotations.load_annotations`) can add the coded
paragraphs to the written exemplars (:mod:`analysis.exemplars`) as training text:

* :func:`coded_exemplars` turns the reconciled codes into rows of an exemplar table
  (``text, writer`` and a code column per contrast), each article its own writer
  ``corpus:<doc_id>`` (:data:`WRITER_PREFIX`), so that the calibration folds of
  :class:`~analysis.supervised.SupervisedScorer` and the leave-one-writer-out rule of
  :mod:`analysis.combination` hold out whole articles;
* :func:`exemplars_retrained` appends them to the written exemplars (what
  ``python -m analysis score --corpus DIR --retrain`` trains on);
* :func:`learning_curve` says whether doing so helps, article by article, without ever
  scoring a paragraph with a model that saw it or its article.

On the study's own corpus the learning curve is a diagnostic only: the study's measures
never train on the study's hand coding.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from . import config
from .codebook import Codebook
from .metrics import auc
from .supervised import SupervisedScorer

#: Writer name of a corpus article's coded paragraphs: ``corpus:<doc_id>``.
WRITER_PREFIX = "corpus:"
#: Shares of the coded paragraphs added in a learning curve by default.
SHARES = (0.0, 0.25, 0.5, 1.0)


def coded_exemplars(paragraphs: pd.DataFrame, codes: pd.DataFrame, contrasts: Sequence[str]) -> pd.DataFrame:
    """The hand-coded paragraphs of a corpus as exemplar rows.

    Parameters
    ----------
    paragraphs : DataFrame
        ``doc_id, unit_id, text`` of the corpus' paragraphs.
    codes : DataFrame
        ``unit_id`` and a code column per contrast (the reconciled file).
    contrasts : sequence of str
        The codebook's contrasts.

    Returns
    -------
    DataFrame
        ``unit_id, doc_id, writer, text`` and the code columns, one row per coded
        paragraph, sorted by ``unit_id``; ``writer`` is ``corpus:<doc_id>``.

    Raises
    ------
    ValueError
        When a coded ``unit_id`` is not a paragraph, or a contrast has no column.

    Examples
    --------
    >>> pars = pd.DataFrame({"doc_id": ["a", "a"], "unit_id": ["a.p01", "a.p02"], "text": ["One.", "Two."]})
    >>> codes = pd.DataFrame({"unit_id": ["a.p02"], "force": ["none"]})
    >>> coded_exemplars(pars, codes, ["force"]).values.tolist()
    [['a.p02', 'a', 'corpus:a', 'Two.', 'none']]
    """
    contrasts = list(contrasts)
    missing = [c for c in ["unit_id", *contrasts] if c not in codes.columns]
    if missing:
        raise ValueError(f"codes has no column {missing[0]!r} — pass the reconciled codes (unit_id and a column "
                         "per contrast)")
    table = codes[["unit_id", *contrasts]].merge(paragraphs[["doc_id", "unit_id", "text"]], on="unit_id",
                                                 how="left", validate="one_to_one")
    unknown = table.loc[table["text"].isna(), "unit_id"].tolist()
    if unknown:
        raise ValueError(f"coded unit_id {unknown[0]!r} is not a paragraph of the corpus — pass the paragraphs "
                         "the codes were made on")
    table["writer"] = WRITER_PREFIX + table["doc_id"].astype(str)
    table[contrasts] = table[contrasts].astype(str)
    columns = ["unit_id", "doc_id", "writer", "text", *contrasts]
    return table[columns].sort_values("unit_id", kind="stable").reset_index(drop=True)


def exemplars_retrained(exemplars: pd.DataFrame, coded: pd.DataFrame) -> pd.DataFrame:
    """The written exemplars followed by the coded paragraphs of :func:`coded_exemplars`.

    The result has the exemplars' columns plus ``unit_id`` and ``doc_id`` (empty for the
    written exemplars); columns only the exemplars have stay empty for the coded rows.

    Examples
    --------
    >>> ex = pd.DataFrame({"text": ["A deal."], "writer": ["w1"], "force": ["none"]})
    >>> coded = pd.DataFrame({"unit_id": ["a.p01"], "doc_id": ["a"], "writer": ["corpus:a"],
    ...                       "text": ["Resolve."], "force": ["credibility"]})
    >>> exemplars_retrained(ex, coded)["writer"].tolist()
    ['w1', 'corpus:a']
    """
    return pd.concat([exemplars, coded], ignore_index=True, sort=False)


def share_size(share: float, n: int) -> int:
    """Coded paragraphs of an article of ``n`` that a ``share`` adds (rounded half up).

    Examples
    --------
    >>> [share_size(s, 6) for s in (0, 0.25, 0.5, 1.0)]
    [0, 2, 3, 6]
    """
    return int(np.floor(share * n + 0.5))


def draw_order(coded: pd.DataFrame, random_state: int = config.SEED) -> np.ndarray:
    """Each coded paragraph's rank in a seeded random order within its article.

    A share ``s`` of the article's ``n`` paragraphs is those ranked below
    :func:`share_size` ``(s, n)``: every article contributes in proportion to its coded
    paragraphs (a subsample stratified by article), and a larger share holds every
    paragraph of a smaller one, so the points of a learning curve are nested.

    Examples
    --------
    >>> coded = pd.DataFrame({"doc_id": ["a", "a", "b"], "unit_id": ["a.p1", "a.p2", "b.p1"]})
    >>> sorted(draw_order(coded, 1)[:2].tolist()), int(draw_order(coded, 1)[2])
    ([0, 1], 0)
    """
    rng = np.random.default_rng(random_state)
    order = np.zeros(len(coded), dtype=int)
    doc = coded["doc_id"].to_numpy()
    for d in sorted(np.unique(doc)):
        rows = np.flatnonzero(doc == d)
        rows = rows[np.argsort(coded["unit_id"].to_numpy()[rows], kind="stable")]
        order[rows[rng.permutation(len(rows))]] = np.arange(len(rows))
    return order


def _in_share(coded: pd.DataFrame, order: np.ndarray, share: float) -> np.ndarray:
    sizes = coded.groupby("doc_id")["unit_id"].transform("size").to_numpy()
    limit = np.array([share_size(share, n) for n in sizes], dtype=int)
    return order < limit


def learning_curve(paragraphs: pd.DataFrame, codes: pd.DataFrame, exemplars: pd.DataFrame, codebook: Codebook,
                   shares: Sequence[float] = SHARES, random_state: int = config.SEED) -> pd.DataFrame:
    """How well the supervised measure reads a corpus when trained on a share of its hand coding.

    Design: cross-validation grouped by article. For each coded article held out, a
    :class:`~analysis.supervised.SupervisedScorer` with its default settings is trained on
    the written exemplars plus a share of the coded paragraphs of the *other* articles
    and scores the held-out article's coded paragraphs. The share is a seeded subsample
    stratified by article (:func:`draw_order`; share 0 is the exemplars alone, share 1
    every coded paragraph of the other articles), the same paragraphs whichever article
    is held out. No paragraph is ever scored by a model that saw it or any paragraph of
    its article. Scores of the held-out articles are pooled, then, per share and
    contrast:

    * polarity AUC (:func:`analysis.metrics.auc`) of ``sup_<c>`` for the positive pole,
      among paragraphs coded with a pole;
    * presence AUC of ``sup_<c>_salience`` for "framed" (coded with a pole or ``mixed``)
      among all coded paragraphs.

    Coded paragraphs train as writer ``corpus:<doc_id>`` (:func:`coded_exemplars`), so the
    calibration folds hold out whole articles as they hold out whole writers. The
    supervised measure groups its folds by writer only when every writer holds both
    classes of a model; an article coded with one pole only (common in a small sample)
    makes that model's folds stratified instead.

    On the study's own corpus this is a diagnostic only: the study's measures never train
    on the study's hand coding, whatever the curve shows.

    Parameters
    ----------
    paragraphs : DataFrame
        ``doc_id, unit_id, text`` of the corpus.
    codes : DataFrame
        ``unit_id`` and a code column per contrast (the reconciled codes).
    exemplars : DataFrame
        The written exemplars: ``text, writer`` and a code column per contrast.
    codebook : Codebook
    shares : sequence of float
        Shares (0–1) of the other articles' coded paragraphs to add, in the order reported.
    random_state : int
        Seeds the subsample; the same seed gives the same table.

    Returns
    -------
    DataFrame
        One row per share and contrast: ``share, contrast, articles`` (held out),
        ``added`` (coded paragraphs in the share, over all articles), ``added_min,
        added_max`` (added to the training set of one fold), ``polarity_auc, n_polar,
        presence_auc, n``.

    Raises
    ------
    ValueError
        With fewer than two coded articles, a share outside [0, 1], or codes that do not
        match the paragraphs.

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> learning_curve(pd.DataFrame({"doc_id": ["a"], "unit_id": ["a.p01"], "text": ["A deal."]}),
    ...                pd.DataFrame({"unit_id": ["a.p01"], "alliance": ["none"], "force": ["none"]}),
    ...                pd.DataFrame(columns=["text", "writer", "alliance", "force"]), load_codebook())
    Traceback (most recent call last):
    ...
    ValueError: the hand coding covers 1 article — code paragraphs of at least two articles to hold one out
    """
    contrasts = list(codebook.contrasts)
    shares = [float(s) for s in shares]
    bad = [s for s in shares if not 0 <= s <= 1]
    if bad or not shares:
        raise ValueError(f"shares must lie between 0 and 1, not {bad[0] if bad else 'empty'} — pass shares such "
                         "as (0, 0.5, 1)")
    coded = coded_exemplars(paragraphs, codes, contrasts)
    articles = sorted(coded["doc_id"].unique())
    if len(articles) < 2:
        raise ValueError(f"the hand coding covers {len(articles)} article{'s' if len(articles) != 1 else ''} — "
                         "code paragraphs of at least two articles to hold one out")
    order = draw_order(coded, random_state)
    scored = pd.concat([_held_out_scores(coded, order, exemplars, codebook, share, articles) for share in shares],
                       ignore_index=True)
    return _curve_table(scored, codebook, shares)


def _held_out_scores(coded: pd.DataFrame, order: np.ndarray, exemplars: pd.DataFrame, codebook: Codebook,
                     share: float, articles: list[str]) -> pd.DataFrame:
    """Supervised scores of every coded paragraph, each by the model that held out its article."""
    contrasts = list(codebook.contrasts)
    chosen = _in_share(coded, order, share)
    written = exemplars[["text", "writer", *contrasts]]
    blocks = []
    for held in articles:
        test = (coded["doc_id"] == held).to_numpy()
        added = coded.loc[chosen & ~test, ["text", "writer", *contrasts]]
        train = pd.concat([written, added], ignore_index=True)
        model = SupervisedScorer(codebook=codebook).fit(train["text"].tolist(), train[contrasts],
                                                        groups=train["writer"].to_numpy())
        frame = model.transform_frame(coded.loc[test, "text"].tolist())
        block = coded.loc[test, ["unit_id", "doc_id", *contrasts]].reset_index(drop=True)
        blocks.append(pd.concat([block, frame], axis=1).assign(share=share, added=len(added),
                                                               in_share=int(chosen.sum())))
    return pd.concat(blocks, ignore_index=True)


def _curve_table(scored: pd.DataFrame, codebook: Codebook, shares: list[float]) -> pd.DataFrame:
    rows = []
    for share in shares:
        part = scored[scored["share"] == share]
        for c, con in codebook.contrasts.items():
            code = part[c].to_numpy()
            polar = np.isin(code, [con.negative.name, con.positive.name])
            rows.append(dict(share=share, contrast=c, articles=part["doc_id"].nunique(),
                             added=int(part["in_share"].iloc[0]), added_min=int(part["added"].min()),
                             added_max=int(part["added"].max()),
                             polarity_auc=auc(code[polar] == con.positive.name,
                                              part.loc[polar, f"sup_{c}"].to_numpy(dtype=float)),
                             n_polar=int(polar.sum()),
                             presence_auc=auc(code != "none", part[f"sup_{c}_salience"].to_numpy(dtype=float)),
                             n=len(code)))
    return pd.DataFrame(rows)
