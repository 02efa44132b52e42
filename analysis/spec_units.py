"""One specification's unit positions, from a corpus prepared once for every specification.

Measures (as in :mod:`analysis.frames`, rebuilt here on pre-tokenised text so that
every setting can vary and each text is analysed once)
    Every text is first prepared as the study's measures prepare it
    (:class:`analysis.lexicon.Lexicon`: false friends masked, negated seed terms dropped,
    multiword seeds joined); without lowercasing the words keep their written case.
    ``dict``: log ratio of counted seed terms of the two poles (with ``smoothing``);
    without stemming a seed counts only in its listed form, without lowercasing only in
    the case the codebook writes it (``deterrence`` does not match "Deterrence"). ``tfidf``: cosine to each pole's prototype in the units' TF-IDF space.
    ``lss``: latent semantic scaling with ``lss_k`` dimensions fitted on sentences or
    paragraphs (``lss_context``). ``topic``: :class:`analysis.topic_frames.TopicFrameScorer`
    (NMF). ``sup``: the supervised stance-aware model
    (:class:`analysis.supervised.SupervisedScorer`, the study's own implementation)
    trained on the exemplars, varying its n-grams, regularisation (``sup_c``), stance
    marking (``sup_stance``) and which writers' exemplars it learns from
    (``sup_writers``: all, or every other writer). ``combined``: the study's combined
    index itself — :class:`analysis.frames.FrameScorer` with the corpus' exemplars and
    the combination rule — fitted on paragraphs or sentences (``unit``). The codebook
    measures at the baseline settings (:data:`analysis.spec_grid.BASELINE`) reproduce the study's
    codebook-only variants (codebook prototypes, LSS learned from the corpus alone); the
    study's own prototypes and LSS also learn from the exemplars, and enter the
    multiverse through ``combined``. A contrast with a ``target_window`` counts a seed
    only near a target word, in every measure, while the TF-IDF and LSS spaces learn
    from every word, as in the study's measures (:class:`UnitSet`).
Article position
    The mean of its units' positions weighted by their evidence: the dictionary's seed
    count, the prototype or topic salience times the unit's length, the number of LSS
    model terms (which makes the LSS article score the score of the article's pooled
    terms), the combined salience times length (as :func:`analysis.frame_tables.doc_scores`).
    LSS, topic and combined positions are centred on the mean of the fitted units, so
    "leans" means "leans relative to the average paragraph" for them.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer

from . import config
from .codebook import Codebook, load_codebook
from .frames import runtime_warnings_quiet
from .lexicon import Lexicon
from .measures.dictionary import dictionary_scores
from .measures.lss import lss_scores, term_polarity, term_vectors, unit_rows
from .measures.prototypes import prototype_scores
from .spec_grid import MEASURES
from .text import STOPWORDS, Analyzer, ngrams, normalize_apostrophes
from .text import stem as _stem
from .topic_frames import TopicFrameScorer
from .words import WORD_PATTERN, term_words


STOPWORD_LISTS = {"scikit-learn": STOPWORDS, "none": None}


NGRAM_RANGES = {"1-1": (1, 1), "1-2": (1, 2)}


#: LSS decompositions remembered by a :class:`Prepared` corpus (see :func:`_lss_space`).
LSS_SPACES_KEPT = 4


_POSSESSIVE = re.compile(r"'s$", re.IGNORECASE)


def _surface(norm: str, start: int, end: int) -> str:
    return _POSSESSIVE.sub("", norm[start:end])


@lru_cache(maxsize=None)
def _listed_words(term: str) -> tuple[str, ...]:
    """The words of a codebook term as the codebook writes them (case kept)."""
    return tuple(_POSSESSIVE.sub("", m.group()) for m in WORD_PATTERN.finditer(normalize_apostrophes(term)))


def clean_variants(lexicon: Lexicon, text: str, targeted: bool = True) -> tuple[str, str, int, list[tuple]]:
    """A text prepared as the measures see it, in lower case and as written.

    Returns the lowercased text (identical to :meth:`analysis.lexicon.Lexicon.clean`),
    the same text keeping each word's written case, the number of word tokens, and for
    every counted seed match (see :attr:`analysis.lexicon.Match.counted`) ``(pole, listed, same_case)``: whether its
    words are the seed's listed words (not only the same stems), and whether each word
    is in lower case exactly where the codebook writes the seed's word in lower case.

    Examples
    --------
    >>> lower, cased, n, hits = clean_variants(Lexicon(load_codebook()), "Deterrence, not credibility.")
    >>> lower, cased, n, hits
    ('deterrence not', 'Deterrence not', 3, [('deterrence', True, False)])
    """
    spans, masked, matches = lexicon.analyse(text, targeted)
    norm = normalize_apostrophes(text)
    at = {m.first: m for m in matches}
    lower, cased, hits = [], [], []
    i = 0
    while i < len(spans):
        m = at.get(i)
        if m is not None:
            if m.counted:
                words = spans[m.first:m.last]
                written = [_surface(norm, s, e) for s, e, _ in words]
                lower.append("-".join(w for _, _, w in words))
                cased.append("-".join(written))
                same_case = all((w == w.lower()) == (t == t.lower()) for w, t in zip(written, _listed_words(m.term)))
                hits.append((m.pole, [w for _, _, w in words] == term_words(m.term), same_case))
            i = m.last
            continue
        if not masked[i]:
            lower.append(spans[i][2])
            cased.append(_surface(norm, spans[i][0], spans[i][1]))
        i += 1
    return " ".join(lower), " ".join(cased), len(spans), hits


@dataclass
class UnitSet:
    """Units of one kind (paragraphs or sentences) prepared once for every specification.

    ``clean`` is each unit as it is scored (a seed outside its contrast's target window
    dropped, as a negated one is), ``space`` as the TF-IDF and LSS spaces learn from it
    (every seed kept: a target window decides which occurrences count, not what the
    space is made of, as in :mod:`analysis.measures`); the two are one list when the
    codebook sets no target window. Both are keyed by ``lowercase``.
    """

    doc_id: np.ndarray
    text: list[str]
    clean: dict[bool, list[str]]
    words: np.ndarray
    counts: dict[tuple[bool, bool], np.ndarray]
    space: dict[bool, list[str]] | None = None

    def __post_init__(self):
        if self.space is None:
            self.space = self.clean


def _unit_set(lexicon: Lexicon, codebook: Codebook, table: pd.DataFrame) -> UnitSet:
    poles = [p.name for p in codebook.poles]
    column = {p: j for j, p in enumerate(poles)}
    texts = table["text"].tolist()
    lower, cased, words = [], [], np.zeros(len(texts))
    counts = {(lc, st): np.zeros((len(texts), len(poles))) for lc in (True, False) for st in (True, False)}
    for i, text in enumerate(texts):
        lo, ca, n, hits = clean_variants(lexicon, text)
        lower.append(lo)
        cased.append(ca)
        words[i] = n
        for pole, listed, in_lower in hits:
            for (lc, st), matrix in counts.items():
                if (lc or in_lower) and (st or listed):
                    matrix[i, column[pole]] += 1
    space = None
    if lexicon.targets:
        whole = [clean_variants(lexicon, text, targeted=False)[:2] for text in texts]
        space = {True: [lo for lo, _ in whole], False: [ca for _, ca in whole]}
    return UnitSet(doc_id=table["doc_id"].to_numpy(dtype=str), text=texts, clean={True: lower, False: cased},
                   words=words, counts=counts, space=space)


@dataclass
class Prepared:
    """A corpus prepared for the multiverse; build it with :func:`prepare`."""

    codebook: Codebook
    units: dict[str, UnitSet]
    prototypes: dict[bool, list[str]]
    seeds: dict[bool, list[tuple[str, str]]]
    exemplars: pd.DataFrame | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def tokens(self, name: str, lowercase: bool, stem: bool, stopwords: str, space: bool = False) -> list[list[str]]:
        """Tokens of the units ``name`` (or ``"prototypes"``, ``"seeds"``) under the settings (cached);
        with ``space``, of the units as the spaces learn from them (:class:`UnitSet`)."""
        key = (name, lowercase, stem, stopwords, space)
        if key not in self._cache:
            if name == "prototypes":
                texts = self.prototypes[lowercase]
            elif name == "seeds":
                texts = [t for _, t in self.seeds[lowercase]]
            else:
                texts = (self.units[name].space if space else self.units[name].clean)[lowercase]
            if space and name in self.units and texts is self.units[name].clean[lowercase]:
                self._cache[key] = self.tokens(name, lowercase, stem, stopwords)
                return self._cache[key]
            analyzer = Analyzer(lowercase=lowercase, stopwords=STOPWORD_LISTS[stopwords], stem=False)
            toks = [analyzer.tokens(t) for t in texts]
            self._cache[key] = [[_stem(w) for w in ts] for ts in toks] if stem else toks
        return self._cache[key]


def prepare(paragraphs: pd.DataFrame, sentences: pd.DataFrame | None = None,
            codebook: Codebook | None = None, exemplars: pd.DataFrame | None = None) -> Prepared:
    """Analyse every paragraph, sentence, pole prototype and seed term once.

    Parameters
    ----------
    paragraphs, sentences : DataFrame with ``doc_id`` and ``text``
        E.g. ``load_corpus().paragraphs`` and ``.sentences``. Without sentences, the
        specifications that need them cannot be run.
    codebook : Codebook, optional
    exemplars : DataFrame, optional
        Training paragraphs of the supervised measure (:mod:`analysis.exemplars`);
        without them its specifications cannot be run.
    """
    codebook = codebook or load_codebook()
    for name, table in (("paragraphs", paragraphs), ("sentences", sentences)):
        if table is not None and not {"doc_id", "text"} <= set(table.columns):
            raise ValueError(f"{name} needs the columns doc_id and text — pass load_corpus().{name}")
    lexicon = Lexicon(codebook)
    units = {"paragraph": _unit_set(lexicon, codebook, paragraphs)}
    if sentences is not None:
        units["sentence"] = _unit_set(lexicon, codebook, sentences)
    prototypes = {True: [], False: []}
    for pole in codebook.poles:
        lo, ca, _, _ = clean_variants(lexicon, pole.prototype(), targeted=False)
        prototypes[True].append(lo)
        prototypes[False].append(ca)
    seeds = {lc: [(pole.name, clean_variants(lexicon, term, targeted=False)[0 if lc else 1])
                  for pole in codebook.poles for term in pole.terms] for lc in (True, False)}
    return Prepared(codebook=codebook, units=units, prototypes=prototypes, seeds=seeds, exemplars=exemplars)


def _dictionary(us: UnitSet, codebook: Codebook, lowercase: bool, stem: bool, smoothing: float) -> dict:
    scores = dictionary_scores(us.counts[(lowercase, stem)], us.words, len(codebook.contrasts), smoothing=smoothing)
    return {c: (scores[:, 4 * k + 2], scores[:, 4 * k + 3]) for k, c in enumerate(codebook.contrasts)}


def _tfidf(prep: Prepared, unit: str, fit: np.ndarray, lowercase: bool, stem: bool, stopwords: str, min_df: int,
           ngram: str) -> dict | None:
    toks = prep.tokens(unit, lowercase, stem, stopwords)
    space = prep.tokens(unit, lowercase, stem, stopwords, space=True)
    vec = CountVectorizer(analyzer=partial(ngrams, n_min=NGRAM_RANGES[ngram][0], n_max=NGRAM_RANGES[ngram][1]),
                          min_df=min_df, dtype=np.float64)
    try:
        counts_fit = vec.fit_transform([t for t, f in zip(space, fit) if f])
    except ValueError:  # no term left after min_df
        return None
    weights = TfidfTransformer().fit(counts_fit)
    units = weights.transform(vec.transform(toks))
    protos = weights.transform(vec.transform(prep.tokens("prototypes", lowercase, stem, stopwords)))
    if (protos.getnnz(axis=1) == 0).any():
        return None
    scores = prototype_scores(np.asarray((units @ protos.T).todense()), len(prep.codebook.contrasts))
    return {c: (scores[:, 4 * k + 2], scores[:, 4 * k + 3]) for k, c in enumerate(prep.codebook.contrasts)}


def _lss_space(prep: Prepared, context: str, fit_context: np.ndarray, lowercase: bool, stem: bool, stopwords: str,
               min_df: int):
    """The fitted vocabulary and all right singular vectors of one LSS context matrix, or None.

    The decomposition does not depend on ``k`` (the first ``k`` vectors are kept), so the
    last few are remembered and specifications differing only in ``k`` share one SVD.
    """
    key = ("lss-space", context, lowercase, stem, stopwords, min_df, np.packbits(fit_context).tobytes())
    cache = prep._cache.setdefault("lss-spaces", {})
    if key not in cache:
        ctx = prep.tokens(context, lowercase, stem, stopwords, space=True)
        vec = CountVectorizer(analyzer=partial(ngrams, n_min=1, n_max=1), min_df=min_df, dtype=np.float64)
        try:
            matrix = TfidfTransformer().fit_transform(vec.fit_transform([t for t, f in zip(ctx, fit_context) if f]))
        except ValueError:
            matrix = None
        if len(cache) >= LSS_SPACES_KEPT:
            del cache[next(iter(cache))]
        cache[key] = None if matrix is None else (vec, matrix.shape,
                                                  term_vectors(matrix, min(matrix.shape), "lapack"))
    return cache[key]


def _lss(prep: Prepared, context: str, unit: str, fit_context: np.ndarray, lowercase: bool, stem: bool,
         stopwords: str, min_df: int, k: int) -> dict | None:
    space = _lss_space(prep, context, fit_context, lowercase, stem, stopwords, min_df)
    if space is None:
        return None
    vec, shape, vectors = space
    dims = min(k, min(shape) - 1)
    if dims < 1:
        return None
    emb = unit_rows(vectors[:, :dims])
    vocab = vec.vocabulary_
    seed_tokens = prep.tokens("seeds", lowercase, stem, stopwords)
    counts = vec.transform(prep.tokens(unit, lowercase, stem, stopwords))
    n = np.asarray(counts.sum(axis=1)).ravel()
    out = {}
    for name, contrast in prep.codebook.contrasts.items():
        index, weight = [], []
        for pole in contrast.poles:
            found = []
            for (p, _), toks in zip(prep.seeds[lowercase], seed_tokens):
                if p == pole.name and len(toks) == 1 and toks[0] in vocab and vocab[toks[0]] not in found:
                    found.append(vocab[toks[0]])
            index += found
            weight += [pole.sign / len(found)] * len(found) if found else [np.nan]
        if np.isnan(weight).any():  # a pole without a seed in the vocabulary: this contrast is undefined
            out[name] = None
            continue
        polarity = term_polarity(emb, np.array(index, dtype=int), np.array(weight))
        out[name] = (lss_scores(counts, polarity[:, None])[0].ravel(), n)
    return out


def _evidence_table(doc_id, fit, positions: dict, weights: dict) -> pd.DataFrame:
    table = {"doc_id": doc_id, "fit": fit}
    for c in positions:
        table[c] = positions[c]
        table[f"{c}_weight"] = weights[c]
    return pd.DataFrame(table)


def spec_units(prep: Prepared, spec: Mapping, exclude: str | None = None,
               random_state: int = config.SEED) -> pd.DataFrame | None:
    """Unit positions and evidence weights of one specification.

    Parameters
    ----------
    prep : Prepared
    spec : mapping
        ``measure`` and the settings of :data:`analysis.spec_grid.MEASURE_SETTINGS` for it.
    exclude : str, optional
        An article left out of fitting (it is still scored).
    random_state : int

    Returns
    -------
    DataFrame or None
        ``doc_id``, ``fit`` (used in fitting), and per contrast ``<c>`` (position) and
        ``<c>_weight``; None when the specification cannot be fitted on this corpus
        (e.g. no seed of a pole in the vocabulary).
    """
    m = spec["measure"]
    cb = prep.codebook
    # LSS varies its fitting context instead of the unit; the supervised model scores paragraphs
    unit = spec.get("unit") if m not in ("lss", "sup") else "paragraph"
    if unit not in prep.units:
        return None
    us = prep.units[unit]
    fit = us.doc_id != exclude if exclude is not None else np.ones(len(us.doc_id), dtype=bool)
    if not fit.any():
        return None
    pos, wts = {}, {}
    if m == "dict":
        for c, (index, salience) in _dictionary(us, cb, spec["lowercase"], spec["stem"], spec["smoothing"]).items():
            pos[c], wts[c] = index, salience * us.words
    elif m == "tfidf":
        result = _tfidf(prep, unit, fit, spec["lowercase"], spec["stem"], spec["stopwords"], spec["min_df"],
                        spec["ngram"])
        if result is None:
            return None
        for c, (index, salience) in result.items():
            pos[c], wts[c] = index, salience * us.words
    elif m == "lss":
        context = spec["lss_context"]
        if context not in prep.units:
            return None
        fit_context = prep.units[context].doc_id != exclude if exclude is not None else \
            np.ones(len(prep.units[context].doc_id), dtype=bool)
        result = _lss(prep, context, unit, fit_context, spec["lowercase"], spec["stem"], spec["stopwords"],
                      spec["min_df"], spec["lss_k"])
        if result is None or all(v is None for v in result.values()):
            return None
        for c, value in result.items():
            score, n = value if value is not None else (np.full(len(us.words), np.nan), np.zeros(len(us.words)))
            with runtime_warnings_quiet():
                pos[c], wts[c] = score - np.nanmean(score[fit]), n
    elif m == "topic":
        try:
            scorer = TopicFrameScorer(cb, "nmf", spec["topic_k"], min_df=spec["min_df"], stem=spec["stem"],
                                      random_state=random_state).fit([t for t, f in zip(us.text, fit) if f])
        except ValueError:  # no term left after min_df
            return None
        frame = scorer.transform_frame(us.text)
        for c in cb.contrasts:
            pos[c], wts[c] = frame[f"topic_{c}"].to_numpy(), frame[f"topic_{c}_salience"].to_numpy() * us.words
    elif m == "sup":
        result = _supervised(prep, spec, us)
        if result is None:
            return None
        for c, (index, presence) in result.items():
            pos[c], wts[c] = index, presence * us.words
    elif m == "combined":
        return _study_index(prep, us, fit)
    else:
        raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {m!r}")
    return _evidence_table(us.doc_id, fit, pos, wts)


def writer_subset(writers: Sequence[str], which: str) -> list[str]:
    """The writers a ``sup_writers`` setting keeps: ``all``, or every ``odd`` / ``even`` one in sorted order.

    Examples
    --------
    >>> writer_subset(["w1", "w2", "w3"], "odd"), writer_subset(["w1", "w2", "w3"], "even")
    (['w1', 'w3'], ['w2'])
    """
    ordered = sorted(writers)
    if which == "all":
        return ordered
    if which not in ("odd", "even"):
        raise ValueError(f"sup_writers must be 'all', 'odd' or 'even', not {which!r}")
    return ordered[0::2] if which == "odd" else ordered[1::2]


def _supervised(prep: Prepared, spec: Mapping, us: UnitSet) -> dict | None:
    """The supervised measure (:class:`analysis.supervised.SupervisedScorer`, the study's own
    implementation) trained on the exemplars the specification keeps; units are scored as written."""
    from .supervised import SupervisedScorer

    ex = prep.exemplars
    if ex is None:
        return None
    ex = ex[ex["writer"].isin(writer_subset(ex["writer"].unique(), spec["sup_writers"]))]
    key = ("sup", spec["ngram"], spec["sup_c"], spec["sup_stance"], spec["sup_writers"])
    if key not in prep._cache:
        model = SupervisedScorer(prep.codebook, C=float(spec["sup_c"]), ngram_max=NGRAM_RANGES[spec["ngram"]][1],
                                 stance=bool(spec["sup_stance"]))
        try:
            model.fit(ex["text"].tolist(), ex[list(prep.codebook.contrasts)], groups=ex["writer"].to_numpy())
        except ValueError:  # too few exemplars of a code in the subset
            prep._cache[key] = None
        else:
            prep._cache[key] = model
    model = prep._cache[key]
    if model is None:
        return None
    frame = model.transform_frame(us.text)
    return {c: (frame[f"sup_{c}"].to_numpy(), frame[f"sup_{c}_salience"].to_numpy()) for c in prep.codebook.contrasts}


def _study_index(prep: Prepared, us: UnitSet, fit: np.ndarray) -> pd.DataFrame | None:
    """The study's combined index and salience (:class:`analysis.frames.FrameScorer`), fitted on
    the units marked ``fit`` and scoring them all."""
    from .frames import FrameScorer

    try:
        scorer = FrameScorer(prep.codebook, exemplars=prep.exemplars, measures="index").fit(
            [t for t, f in zip(us.text, fit) if f])
    except ValueError:  # e.g. no seed of a pole left for LSS once an article is left out
        return None
    frame = scorer.transform_frame(us.text)
    pos = {c: frame[f"{c}_index"].to_numpy() for c in prep.codebook.contrasts}
    wts = {c: frame[f"{c}_salience"].to_numpy() * us.words for c in prep.codebook.contrasts}
    return _evidence_table(us.doc_id, fit, pos, wts)
