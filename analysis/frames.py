"""The framing measures fitted together, with the combined index and salience (:class:`FrameScorer`).

Four measures place a unit of text on each contrast of the codebook: the dictionary
(:mod:`analysis.measures.dictionary`), TF-IDF prototypes
(:mod:`analysis.measures.prototypes`), latent semantic scaling
(:mod:`analysis.measures.lss`) and the supervised, stance-aware model
(:class:`analysis.supervised.SupervisedScorer`, prefix ``sup_``: logistic regressions on
stance-marked words and word pairs, trained on the exemplars only; ``sup_<c>`` is the
calibrated log-odds of the positive pole, ``sup_<c>_salience`` the calibrated
probability that the unit speaks to the contrast). The study's paragraph and article
tables are built from a fitted scorer by :mod:`analysis.frame_tables`.

Combined index (:class:`FrameScorer`)
    Each measure's index is standardised with constants learned at ``fit`` on the
    corpus' paragraphs: ``z = (x - centre) / sd``. The dictionary, prototype and
    supervised indices have a meaningful zero (no evidence, or equal evidence, for both
    poles), so their centre is 0; the LSS score has none (neutral words carry a
    corpus-wide bias), so its centre is the corpus mean, as in Watanabe's rescaling.
    ``<contrast>_index`` is the mean of the available ``z`` of the measures in
    ``index_measures_[contrast]``: with exemplars, those the rule of
    :mod:`analysis.combination` chooses by leave-one-writer-out cross-validation on the
    exemplars; without, all three codebook measures. ``<contrast>_salience`` is, with
    exemplars, the supervised probability of a frame; without, the mean of the
    dictionary and prototype saliences, each divided by its corpus mean (1 = "as salient
    as the average corpus paragraph"). Every component stays in the output.
"""
from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from contextlib import contextmanager

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from . import config
from .codebook import as_codebook
from .lexicon import lexicon_of, texts_check
from .measures.dictionary import DictionaryScorer
from .measures.lss import LatentScaler
from .measures.prototypes import PrototypeScorer
from .words import word_counts

MEASURES = ("dict", "tfidf", "lss", "sup")
#: Whether each measure's index is centred on its corpus mean before scaling (see module doc).
CENTRED = {"dict": False, "tfidf": False, "lss": True, "sup": False}
#: The column of a scored table that holds each unit's word count.
TOKENS = "dict_tokens"
#: Batches of at most this many texts have their lexicon analyses remembered (see
#: :meth:`FrameScorer.measure_columns`); larger ones, such as the chunks ``score`` reads, do not.
REMEMBERED_BATCH = 2000


@contextmanager
def runtime_warnings_quiet():
    """Silence numpy's 'mean of empty slice' warning for rows with no finite value.

    Examples
    --------
    >>> with runtime_warnings_quiet():
    ...     bool(np.isnan(np.nanmean([np.nan])))
    True
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        yield


#: The attribute of :class:`FrameScorer` that holds each fitted measure.
_ATTRIBUTES = {"dict": "dictionary_", "tfidf": "prototypes_", "lss": "lss_", "sup": "supervised_"}


class FrameScorer(TransformerMixin, BaseEstimator):
    """The four measures fitted together, with the combined index and salience.

    Parameters
    ----------
    codebook : Codebook, path or None
    n_components, algorithm, random_state, context
        Passed to :class:`analysis.measures.lss.LatentScaler`.
    supervised : SupervisedScorer, optional
        The supervised measure's settings (cloned, then fitted on the exemplars);
        nested parameters reach it as ``supervised__C``.
    exemplars : DataFrame, path or None
        Coded training paragraphs (a table from :func:`analysis.exemplars.load_exemplars`,
        or the folder to load it from). None fits without exemplars: the supervised
        measure is then absent, the prototypes are the codebook's texts and LSS learns
        from ``X`` alone. The study passes ``corpus/exemplars``
        (:func:`analysis.scoring.study_scorer`).
    index_measures : None, "cv", sequence of str or mapping
        The measures whose standardised scores are averaged into ``<c>_index`` (a
        mapping gives them per contrast, as a fitted scorer's ``index_measures_``).
        ``"cv"`` applies the rule of :mod:`analysis.combination` to
        leave-one-writer-out cross-validation on the exemplars (never to the corpus);
        None means ``"cv"`` with exemplars and every measure without.
    measures : {"all", "index"}
        Fit every measure (``"all"``: the validation tables compare them), or only the
        measures the index and salience need (``"index"``: what ``score`` and the
        multiverse's combined index use; the scores are the same, the other measures'
        columns are absent).
    dictionary : DictionaryScorer, optional
    prototypes : PrototypeScorer, optional
        The two measures' settings, as ``supervised`` (cloned, given the codebook, then
        fitted); nested parameters reach them as ``dictionary__smoothing`` or
        ``prototypes__sublinear_tf``. None: each measure's defaults.

    Attributes
    ----------
    dictionary_, prototypes_, lss_, supervised_ : the fitted measures (None when not fitted:
        ``supervised_`` without exemplars, the others when ``measures="index"`` leaves them out)
    measures_ : tuple, the measures fitted
    index_measures_ : dict ``{contrast: tuple of measures}``
    centre_, scale_ : dict ``{(measure, contrast): float}`` used to standardise
    salience_scale_ : dict ``{(measure, contrast): float}``, corpus mean saliences
    """

    def __init__(self, codebook=None, n_components: int = 100, algorithm: str = "arpack",
                 random_state: int = config.SEED, context: str = "sentence", supervised=None, exemplars=None,
                 index_measures=None, measures: str = "all", dictionary=None, prototypes=None):
        self.codebook = codebook
        self.n_components = n_components
        self.algorithm = algorithm
        self.random_state = random_state
        self.context = context
        self.supervised = supervised
        self.exemplars = exemplars
        self.index_measures = index_measures
        self.measures = measures
        self.dictionary = dictionary
        self.prototypes = prototypes

    def _exemplars(self) -> pd.DataFrame | None:
        from .exemplars import load_exemplars

        if self.exemplars is None:
            return None
        if isinstance(self.exemplars, pd.DataFrame):
            needed = ["text", "writer", *self.codebook_.contrasts]
            missing = [c for c in needed if c not in self.exemplars.columns]
            if missing:
                raise ValueError(f"exemplars has no column {missing[0]!r} — pass a table with "
                                 f"{', '.join(needed)} (e.g. analysis.exemplars.load_exemplars())")
            return self.exemplars
        return load_exemplars(self.exemplars, self.codebook_)

    def fit(self, X, y=None):
        """Fit every measure on ``X`` (and the exemplars) and learn the standardising constants from ``X``."""
        from .combination import index_rule

        texts = texts_check(X)
        self.codebook_ = as_codebook(self.codebook)
        if self.measures not in ("all", "index"):
            raise ValueError(f"measures must be 'all' or 'index', not {self.measures!r}")
        ex = self._exemplars()
        available = MEASURES if ex is not None else MEASURES[:3]
        rule = self.index_measures if self.index_measures is not None else ("cv" if ex is not None else available)
        if isinstance(rule, str):
            if rule != "cv":
                raise ValueError(f"index_measures must be 'cv' or a list of measures, not {self.index_measures!r}")
            if ex is None:
                raise ValueError("index_measures='cv' needs exemplars — pass exemplars or a list of measures")
            # the rule reads the exemplars only, so it is settled before any measure is fitted
            self.index_measures_ = index_rule(self, ex)
        else:
            per = rule if isinstance(rule, Mapping) else {c: rule for c in self.codebook_.contrasts}
            if set(per) != set(self.codebook_.contrasts):
                raise ValueError("index_measures as a mapping must name every contrast of the codebook: "
                                 f"{', '.join(self.codebook_.contrasts)}")
            for ms in per.values():
                unknown = [m for m in ms if m not in available]
                if unknown or not len(ms):
                    raise ValueError(f"index_measures must name measures among {', '.join(available)}")
            self.index_measures_ = {c: tuple(per[c]) for c in self.codebook_.contrasts}
        for attribute in _ATTRIBUTES.values():
            self.__dict__.pop(attribute, None)
        self._fit_measures(texts, ex, available if self.measures == "all" else self._needed(ex))
        self._standardise(self.measure_columns(texts))
        return self

    def _needed(self, ex: pd.DataFrame | None) -> tuple[str, ...]:
        """The measures the index uses, and the ones salience is read from (the supervised
        presence with exemplars, the dictionary and prototypes without)."""
        wanted = {m for ms in self.index_measures_.values() for m in ms}
        wanted |= {"sup"} if ex is not None else {"dict", "tfidf"}
        return tuple(m for m in MEASURES if m in wanted)

    def _fit_measures(self, texts: list[str], ex: pd.DataFrame | None, which: Sequence[str]) -> None:
        """Fit the measures named in ``which`` on ``texts`` and the exemplars ``ex``."""
        from sklearn.base import clone

        from .supervised import SupervisedScorer

        if "dict" in which:
            self.dictionary_ = clone(self.dictionary if self.dictionary is not None else DictionaryScorer()).set_params(
                codebook=self.codebook_).fit(texts)
        if "tfidf" in which:
            self.prototypes_ = clone(self.prototypes if self.prototypes is not None else PrototypeScorer()).set_params(
                codebook=self.codebook_).fit(texts, exemplars=ex)
        if "lss" in which:
            self.lss_ = LatentScaler(self.codebook_, self.n_components, self.algorithm, self.random_state,
                                     self.context).fit(texts, extra=None if ex is None else ex["text"].tolist())
        if "sup" in which:
            self.supervised_ = None
            if ex is not None:
                template = self.supervised if self.supervised is not None else SupervisedScorer()
                self.supervised_ = clone(template).set_params(codebook=self.codebook_).fit(
                    ex["text"].tolist(), ex[list(self.codebook_.contrasts)], groups=ex["writer"].to_numpy())
        for attribute in _ATTRIBUTES.values():
            self.__dict__.setdefault(attribute, None)
        self.measures_ = tuple(m for m in MEASURES if getattr(self, _ATTRIBUTES[m]) is not None)

    def fit_parts(self, X, exemplars: pd.DataFrame, refit: Sequence[str], reuse: "FrameScorer | None" = None):
        """A copy with the measures in ``refit`` fitted on ``X`` and ``exemplars``, the others
        taken from ``reuse`` (already fitted), every measure in the index, standardised on ``X``.

        Used by the leave-one-writer-out rule (:mod:`analysis.combination`), which refits
        only the measures that learn from codes.
        """
        from sklearn.base import clone

        texts = texts_check(X)
        part = clone(self).set_params(exemplars=exemplars, index_measures=list(MEASURES))
        part.codebook_ = reuse.codebook_ if reuse is not None else getattr(self, "codebook_", None) or \
            as_codebook(self.codebook)
        for name in ("dictionary_", "prototypes_", "lss_", "supervised_", "measures_"):
            if reuse is not None and hasattr(reuse, name):
                setattr(part, name, getattr(reuse, name))
        part._fit_measures(texts, exemplars, refit)
        part.index_measures_ = {c: part.measures_ for c in part.codebook_.contrasts} \
            if hasattr(part, "measures_") else {}
        if texts:
            part._standardise(part.measure_columns(texts))
        return part

    def _standardise(self, parts: pd.DataFrame) -> None:
        self.centre_, self.scale_, self.salience_scale_ = {}, {}, {}
        for c in self.codebook_.contrasts:
            for m in self.measures_:
                x = parts[f"{m}_{c}"].to_numpy(dtype=float)
                x = x[~np.isnan(x)]
                self.centre_[(m, c)] = float(x.mean()) if CENTRED[m] and len(x) else 0.0
                sd = float(x.std(ddof=1)) if len(x) > 1 else 0.0
                self.scale_[(m, c)] = sd if np.isfinite(sd) and sd > 0 else np.nan
            for m in ("dict", "tfidf"):
                if m not in self.measures_:
                    continue
                mean = float(parts[f"{m}_{c}_salience"].mean())
                self.salience_scale_[(m, c)] = mean if mean > 0 else np.nan

    def measure_columns(self, texts) -> pd.DataFrame:
        """Every fitted measure's own columns for ``texts`` (raw scores, rates, saliences),
        before standardisation and combination (:meth:`combined`); the word count first
        when the dictionary, which counts words itself, is not fitted."""
        blocks = []
        if any(m in self.measures_ for m in ("dict", "tfidf", "lss")):
            # each text is analysed once (matching, negation, masking) and shared by the lexicon measures;
            # the analyses of a small batch are remembered (the folds of a cross-validation score the
            # same held-out texts again), those of a large one are not (a stream of new texts, whose
            # analyses would fill memory for nothing)
            lexicon = lexicon_of(self.codebook_)
            remember = len(texts) <= REMEMBERED_BATCH
            analyses = [lexicon.analyse(t, remember=remember) for t in texts]
            features = [lexicon.features(t, a) for t, a in zip(texts, analyses)]
            scorers = {"dict": (self.dictionary_, lambda: self.dictionary_.transform_analyses(analyses)),
                       "tfidf": (self.prototypes_, lambda: self.prototypes_.transform_features(features)),
                       "lss": (self.lss_, lambda: self.lss_.transform_counts(self.lss_.count_features(features)))}
            blocks = [pd.DataFrame(values(), columns=est.get_feature_names_out())
                      for m, (est, values) in scorers.items() if m in self.measures_]
        if "dict" not in self.measures_:  # the word count weighs paragraphs in article means
            blocks.insert(0, pd.DataFrame({TOKENS: word_counts(texts).astype(float)}))
        if self.supervised_ is not None:
            blocks.append(self.supervised_.transform_frame(texts))
        return pd.concat(blocks, axis=1)

    def transform(self, X) -> np.ndarray:
        return self.transform_frame(X).to_numpy(dtype=float)

    def transform_frame(self, X) -> pd.DataFrame:
        """Scores as a DataFrame: combined index and salience first, then every component."""
        check_is_fitted(self, "scale_")
        return self.combined(self.measure_columns(texts_check(X)))

    def combined(self, parts: pd.DataFrame) -> pd.DataFrame:
        """Combined index, salience and standardised scores from the measures' columns."""
        head, z = {}, {}
        for c in self.codebook_.contrasts:
            for m in self.measures_:
                z[f"z_{m}_{c}"] = (parts[f"{m}_{c}"] - self.centre_[(m, c)]) / self.scale_[(m, c)]
            stacked = np.column_stack([z[f"z_{m}_{c}"] for m in self.index_measures_[c]])
            with np.errstate(all="ignore"), runtime_warnings_quiet():
                head[f"{c}_index"] = np.nanmean(stacked, axis=1)
        for c in self.codebook_.contrasts:
            if self.supervised_ is not None:
                head[f"{c}_salience"] = parts[f"sup_{c}_salience"].to_numpy(dtype=float)
                continue
            sal = np.column_stack([parts[f"{m}_{c}_salience"] / self.salience_scale_[(m, c)]
                                   for m in ("dict", "tfidf")])
            with runtime_warnings_quiet():
                head[f"{c}_salience"] = np.nanmean(sal, axis=1)
        return pd.concat([pd.DataFrame(head), parts, pd.DataFrame(z)], axis=1)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "scale_")
        cs = list(self.codebook_.contrasts)
        names = [f"{c}_index" for c in cs] + [f"{c}_salience" for c in cs]
        names += [TOKENS] if self.dictionary_ is None else []
        for est in (self.dictionary_, self.prototypes_, self.lss_, self.supervised_):
            if est is not None:
                names += est.get_feature_names_out().tolist()
        names += [f"z_{m}_{c}" for c in cs for m in self.measures_]
        return np.array(names, dtype=object)

    def standardisation(self) -> pd.DataFrame:
        """The constants of the combination: ``contrast, measure, centre, scale, salience_mean, in_index``."""
        check_is_fitted(self, "scale_")
        return pd.DataFrame([dict(contrast=c, measure=m, centre=self.centre_[(m, c)], scale=self.scale_[(m, c)],
                                  salience_mean=self.salience_scale_.get((m, c), np.nan),
                                  in_index=m in self.index_measures_[c])
                             for c in self.codebook_.contrasts for m in self.measures_])



