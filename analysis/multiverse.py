"""How robust is each claim? A multiverse of specifications and leave-one-article-out refits.

A *claim* compares article positions on one contrast (:class:`Claim`):

* ``more``: article ``a`` lies further towards ``pole`` than article ``b``;
* ``most``: article ``a`` lies further towards ``pole`` than every other article;
* ``leans``: article ``a`` lies on the side of ``pole`` (beyond zero).

Claims are data: the caller passes them (:func:`parse_claims`), so nothing here knows
any article.

Specifications (:func:`spec_grid`; after Simonsohn, Simmons & Nelson's 2020
specification curve and Denny & Spirling's 2018 analysis of preprocessing choices)
    A specification is one measure with one value of each setting that applies to it.
    Settings (:data:`VALUES`): ``lowercase``; ``stem`` (Snowball); ``stopwords``
    (scikit-learn's English list or none); ``min_df`` (terms in fewer units are
    dropped); ``ngram`` (unigrams, or unigrams and bigrams); ``unit`` (the measure is
    fitted on and scores paragraphs or sentences, and an article is the sum of them);
    and each measure's own parameter: the dictionary's smoothing, the LSS context and
    number of dimensions, the topic model's number of topics. A setting that does not
    change a measure is left empty for it (:data:`MEASURE_SETTINGS`): the dictionary
    has no vocabulary, so stopwords, ``min_df`` and n-grams do not touch it; LSS term
    vectors are unigrams and its article score is the same whatever unit sums to the
    article (it varies its SVD context instead); the topic model always lowercases and
    removes stopwords. Because the Snowball stemmer lowercases, "no lowercasing with
    stemming" is the same as "lowercasing with stemming" for the bag-of-words measures
    and is not counted twice.
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
    measures at the baseline settings (:data:`BASELINE`) reproduce the study's
    codebook-only variants (codebook prototypes, LSS learned from the corpus alone); the
    study's own prototypes and LSS also learn from the exemplars, and enter the
    multiverse through ``combined``.
Article position
    The mean of its units' positions weighted by their evidence: the dictionary's seed
    count, the prototype or topic salience times the unit's length, the number of LSS
    model terms (which makes the LSS article score the score of the article's pooled
    terms), the combined salience times length (as :func:`analysis.frame_tables.doc_scores`).
    LSS, topic and combined positions are centred on the mean of the fitted units, so
    "leans" means "leans relative to the average paragraph" for them.
Margin
    How far a claim holds, in standard deviations of the specification's unit
    positions: for ``more``, ``(x_a - x_b) / sd``; for ``most``,
    ``(x_a - max_other x) / sd``; for ``leans``, ``x_a / sd``, with ``x`` signed so that
    larger is nearer ``pole``. The claim holds when the margin is > 0.
Leave one article out (:func:`leave_one_out`)
    Each baseline specification is refitted without one article at a time (every
    article the claim does not name); the left-out article is still scored with the
    refitted model, so a ``most`` claim still compares every article.
Verdicts (:func:`robustness_verdicts`)
    ``robust``: the claim holds in at least :data:`ROBUST_SHARE` of the specifications
    that can be fitted, and no leave-one-article-out refit of the reference measure
    (the combined index, the study's own) reverses it; ``fragile``: it holds in at
    least :data:`SUPPORT_SHARE` but is not robust; ``not supported``: it holds in fewer.
    A refit that cannot be made (e.g. a pole's only seed term occurs in the left-out
    article) counts neither way and is reported.
"""
from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial

import numpy as np
import pandas as pd
from scipy import linalg
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from tqdm import tqdm

from . import config
from .codebook import WORD_PATTERN, Codebook, load_codebook, term_words
from .frames import runtime_warnings_quiet
from .lexicon import Lexicon
from .text import STOPWORDS, Analyzer, ngrams, normalize_apostrophes
from .text import stem as _stem
from .topic_frames import TopicFrameScorer

KINDS = ("more", "most", "leans")
MEASURES = ("dict", "tfidf", "lss", "sup", "topic", "combined")
#: Every setting, in the column order of the results.
SETTINGS = ("lowercase", "stem", "stopwords", "min_df", "ngram", "unit", "smoothing", "lss_context", "lss_k",
            "topic_k", "sup_c", "sup_stance", "sup_writers")
#: The values each setting takes in the default grid.
VALUES = {"lowercase": (True, False), "stem": (True, False), "stopwords": ("scikit-learn", "none"),
          "min_df": (1, 2), "ngram": ("1-1", "1-2"), "unit": ("paragraph", "sentence"), "smoothing": (0.5, 1.0),
          "lss_context": ("sentence", "paragraph"), "lss_k": (50, 100), "topic_k": (5, 8, 11),
          "sup_c": (0.25, 1.0, 4.0), "sup_stance": (True, False), "sup_writers": ("all", "odd", "even")}
#: The settings that change each measure.
MEASURE_SETTINGS = {"dict": ("lowercase", "stem", "unit", "smoothing"),
                    "tfidf": ("lowercase", "stem", "stopwords", "min_df", "ngram", "unit"),
                    "lss": ("lowercase", "stem", "stopwords", "min_df", "lss_context", "lss_k"),
                    "topic": ("stem", "min_df", "unit", "topic_k"),
                    "sup": ("ngram", "sup_c", "sup_stance", "sup_writers"),
                    "combined": ("unit",)}
#: The study's own settings (those of analysis.frames and of the topic notebook).
BASELINE = {"lowercase": True, "stem": True, "stopwords": "scikit-learn", "min_df": 1, "ngram": "1-1",
            "unit": "paragraph", "smoothing": 0.5, "lss_context": "sentence", "lss_k": 100, "topic_k": 8,
            "sup_c": 1.0, "sup_stance": True, "sup_writers": "all"}
#: Where a measure's baseline differs from :data:`BASELINE`.
BASELINE_OVERRIDES = {"topic": {"stem": False, "min_df": 2}, "sup": {"ngram": "1-2"}}
#: Measures whose bag of words the Snowball stemmer lowercases.
BAG_OF_WORDS = ("tfidf", "lss")
STOPWORD_LISTS = {"scikit-learn": STOPWORDS, "none": None}
NGRAM_RANGES = {"1-1": (1, 1), "1-2": (1, 2)}
#: Share of specifications a robust claim must hold in; a supported one, at least half.
ROBUST_SHARE = 0.9
SUPPORT_SHARE = 0.5
#: The measure whose leave-one-article-out refits decide the verdict.
REFERENCE_MEASURE = "combined"
#: LSS decompositions remembered by a :class:`Prepared` corpus (see :func:`_lss_space`).
LSS_SPACES_KEPT = 4
_POSSESSIVE = re.compile(r"'s$", re.IGNORECASE)


# -- claims ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    """One claim about article positions; build it with :func:`parse_claims`."""

    kind: str
    pole: str
    a: str
    b: str | None
    contrast: str
    sign: int
    label: str

    @property
    def docs(self) -> frozenset[str]:
        """The articles the claim names."""
        return frozenset(d for d in (self.a, self.b) if d)


def claim_label(kind: str, pole: str, a: str, b: str | None = None) -> str:
    """The sentence a claim states.

    Examples
    --------
    >>> claim_label("more", "ideological", "x", "y"), claim_label("most", "p", "x"), claim_label("leans", "p", "x")
    ('x leans further to ideological than y', 'x leans furthest to p of all articles', 'x leans to p')
    """
    if kind == "more":
        return f"{a} leans further to {pole} than {b}"
    if kind == "most":
        return f"{a} leans furthest to {pole} of all articles"
    return f"{a} leans to {pole}"


def parse_claims(claims: Sequence[Mapping], codebook: Codebook | None = None) -> list[Claim]:
    """Validate claims given as mappings with ``kind``, ``pole``, ``a`` and (for ``more``) ``b``.

    An optional ``label`` replaces the generated sentence.

    Raises
    ------
    ValueError
        Naming the claim (by position) and the field, with the fix.

    Examples
    --------
    >>> c = parse_claims([{"kind": "leans", "pole": "transactional", "a": "x"}])[0]
    >>> c.contrast, c.sign, c.label
    ('alliance', -1, 'x leans to transactional')
    """
    codebook = codebook or load_codebook()
    poles = {p.name: p for p in codebook.poles}
    out = []
    for i, raw in enumerate(claims):
        if not isinstance(raw, Mapping):
            raise ValueError(f"claims[{i}] is {type(raw).__name__} — give each claim as a dict with kind, pole, a "
                             "(and b for 'more')")
        kind = raw.get("kind")
        if kind not in KINDS:
            raise ValueError(f"claims[{i}]: field 'kind' is {kind!r} — use one of {', '.join(KINDS)}")
        pole = raw.get("pole")
        if pole not in poles:
            raise ValueError(f"claims[{i}]: field 'pole' is {pole!r} — use a pole of the codebook: "
                             f"{', '.join(poles)}")
        a, b = raw.get("a"), raw.get("b")
        if not isinstance(a, str) or not a:
            raise ValueError(f"claims[{i}]: field 'a' is missing — name the article (its doc_id)")
        if kind == "more" and (not isinstance(b, str) or not b or b == a):
            raise ValueError(f"claims[{i}]: field 'b' must name a second article for a 'more' claim")
        if kind != "more" and b:
            raise ValueError(f"claims[{i}]: field 'b' is only used by 'more' claims — remove it")
        label = raw.get("label") or claim_label(kind, pole, a, b)
        out.append(Claim(kind, pole, a, b if kind == "more" else None, poles[pole].contrast, poles[pole].sign, label))
    labels = [c.label for c in out]
    if len(set(labels)) != len(labels):
        raise ValueError("two claims have the same label — give each claim its own")
    return out


def claims_split(claims: Sequence[Claim], doc_ids: Sequence[str]) -> tuple[list[Claim], list[Claim]]:
    """The claims whose articles are all in ``doc_ids``, and the others (skipped).

    Examples
    --------
    >>> kept, skipped = claims_split(parse_claims([{"kind": "leans", "pole": "deterrence", "a": "x"}]), ["y"])
    >>> len(kept), len(skipped)
    (0, 1)
    """
    present = set(doc_ids)
    kept = [c for c in claims if c.docs <= present]
    return kept, [c for c in claims if not c.docs <= present]


def claim_margin(claim: Claim, positions: pd.Series) -> float:
    """How far ``claim`` holds on article ``positions`` (> 0: it holds; NaN: undefined).

    Articles with no position are left out of a ``most`` comparison.

    Examples
    --------
    >>> pos = pd.Series({"x": -1.0, "y": 0.5, "z": 0.2})
    >>> claims = parse_claims([{"kind": "more", "pole": "transactional", "a": "x", "b": "y"},
    ...                        {"kind": "most", "pole": "ideological", "a": "z"},
    ...                        {"kind": "leans", "pole": "ideological", "a": "y"}])
    >>> [round(claim_margin(c, pos), 2) for c in claims]
    [1.5, -0.3, 0.5]
    """
    x = positions.astype(float) * claim.sign
    if claim.a not in x.index:
        return float("nan")
    if claim.kind == "more":
        return float(x[claim.a] - x[claim.b]) if claim.b in x.index else float("nan")
    if claim.kind == "most":
        others = x.drop(index=claim.a).dropna()
        return float(x[claim.a] - others.max()) if len(others) else float("nan")
    return float(x[claim.a])


# -- prepared text -------------------------------------------------------------------------


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
    """Units of one kind (paragraphs or sentences) prepared once for every specification."""

    doc_id: np.ndarray
    text: list[str]
    clean: dict[bool, list[str]]
    words: np.ndarray
    counts: dict[tuple[bool, bool], np.ndarray]


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
    return UnitSet(doc_id=table["doc_id"].to_numpy(dtype=str), text=texts, clean={True: lower, False: cased},
                   words=words, counts=counts)


@dataclass
class Prepared:
    """A corpus prepared for the multiverse; build it with :func:`prepare`."""

    codebook: Codebook
    units: dict[str, UnitSet]
    prototypes: dict[bool, list[str]]
    seeds: dict[bool, list[tuple[str, str]]]
    exemplars: pd.DataFrame | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    def tokens(self, name: str, lowercase: bool, stem: bool, stopwords: str) -> list[list[str]]:
        """Tokens of the units ``name`` (or ``"prototypes"``, ``"seeds"``) under the settings (cached)."""
        key = (name, lowercase, stem, stopwords)
        if key not in self._cache:
            if name == "prototypes":
                texts = self.prototypes[lowercase]
            elif name == "seeds":
                texts = [t for _, t in self.seeds[lowercase]]
            else:
                texts = self.units[name].clean[lowercase]
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
    windowed = [c.name for c in codebook.contrasts.values() if c.target_window]
    if windowed:
        raise ValueError(f"contrast {windowed[0]!r} has a target_window; the multiverse's prepared text "
                         "has no target windows — pass a codebook with target_window = 0 "
                         "(e.g. analysis.codebook.with_target_window(codebook, name, 0))")
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


# -- measures on prepared text --------------------------------------------------------------


def _sd(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    sd = float(x.std(ddof=1)) if len(x) > 1 else 0.0
    return sd if np.isfinite(sd) and sd > 0 else float("nan")


def _dictionary(us: UnitSet, codebook: Codebook, lowercase: bool, stem: bool, smoothing: float) -> dict:
    counts = us.counts[(lowercase, stem)]
    out = {}
    for k, c in enumerate(codebook.contrasts):
        neg, pos = counts[:, 2 * k], counts[:, 2 * k + 1]
        salience = np.divide(1000.0 * (neg + pos), us.words, out=np.zeros(len(neg)), where=us.words > 0)
        out[c] = (np.log((pos + smoothing) / (neg + smoothing)), salience)
    return out


def _tfidf(prep: Prepared, unit: str, fit: np.ndarray, lowercase: bool, stem: bool, stopwords: str, min_df: int,
           ngram: str) -> dict | None:
    toks = prep.tokens(unit, lowercase, stem, stopwords)
    vec = CountVectorizer(analyzer=partial(ngrams, n_min=NGRAM_RANGES[ngram][0], n_max=NGRAM_RANGES[ngram][1]),
                          min_df=min_df, dtype=np.float64)
    try:
        counts_fit = vec.fit_transform([t for t, f in zip(toks, fit) if f])
    except ValueError:  # no term left after min_df
        return None
    weights = TfidfTransformer().fit(counts_fit)
    units = weights.transform(vec.transform(toks))
    protos = weights.transform(vec.transform(prep.tokens("prototypes", lowercase, stem, stopwords)))
    if (protos.getnnz(axis=1) == 0).any():
        return None
    cos = np.asarray((units @ protos.T).todense())
    return {c: (cos[:, 2 * k + 1] - cos[:, 2 * k], cos[:, 2 * k + 1] + cos[:, 2 * k])
            for k, c in enumerate(prep.codebook.contrasts)}


def _term_vectors(matrix, k: int) -> np.ndarray:
    """The top ``k`` right singular vectors of ``matrix`` as rows per term (terms x k).

    A full LAPACK SVD of the (small, dense) context-term matrix: the same subspace as
    :class:`~sklearn.decomposition.TruncatedSVD` (``arpack``) in
    :class:`analysis.measures.lss.LatentScaler`, up to the sign of each dimension, which no
    cosine depends on, and many times faster when ``k`` is close to the number of contexts.
    """
    _, _, vt = linalg.svd(matrix.toarray(), full_matrices=False, lapack_driver="gesdd")
    return vt[:k].T


def _lss_space(prep: Prepared, context: str, fit_context: np.ndarray, lowercase: bool, stem: bool, stopwords: str,
               min_df: int):
    """The fitted vocabulary and all right singular vectors of one LSS context matrix, or None.

    The decomposition does not depend on ``k`` (the first ``k`` vectors are kept), so the
    last few are remembered and specifications differing only in ``k`` share one SVD.
    """
    key = ("lss-space", context, lowercase, stem, stopwords, min_df, np.packbits(fit_context).tobytes())
    cache = prep._cache.setdefault("lss-spaces", {})
    if key not in cache:
        ctx = prep.tokens(context, lowercase, stem, stopwords)
        vec = CountVectorizer(analyzer=partial(ngrams, n_min=1, n_max=1), min_df=min_df, dtype=np.float64)
        try:
            matrix = TfidfTransformer().fit_transform(vec.fit_transform([t for t, f in zip(ctx, fit_context) if f]))
        except ValueError:
            matrix = None
        if len(cache) >= LSS_SPACES_KEPT:
            del cache[next(iter(cache))]
        cache[key] = None if matrix is None else (vec, matrix.shape, _term_vectors(matrix, min(matrix.shape)))
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
    emb = vectors[:, :dims]
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    emb = np.divide(emb, norms, out=np.zeros_like(emb), where=norms > 0)
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
        polarity = (emb @ emb[index].T) @ np.array(weight)
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.asarray(counts @ polarity).ravel() / n
        score[n == 0] = np.nan
        out[name] = (score, n)
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
        ``measure`` and the settings of :data:`MEASURE_SETTINGS` for it.
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

def article_positions(units: pd.DataFrame, contrast: str) -> pd.Series:
    """Evidence-weighted mean position of each article (NaN without evidence), sorted by ``doc_id``.

    Examples
    --------
    >>> u = pd.DataFrame({"doc_id": ["a", "a", "b"], "force": [1.0, -1.0, np.nan], "force_weight": [3.0, 1.0, 2.0]})
    >>> article_positions(u, "force").tolist()
    [0.5, nan]
    """
    x = units[contrast].to_numpy(dtype=float)
    w = units[f"{contrast}_weight"].to_numpy(dtype=float)
    ok = np.isfinite(x) & np.isfinite(w) & (w > 0)
    docs, row_doc = np.unique(units["doc_id"].to_numpy(dtype=str), return_inverse=True)
    wx = np.bincount(row_doc, weights=np.where(ok, w * x, 0.0), minlength=len(docs))
    total = np.bincount(row_doc, weights=np.where(ok, w, 0.0), minlength=len(docs))
    with np.errstate(invalid="ignore", divide="ignore"):
        position = np.where(total > 0, wx / total, np.nan)
    return pd.Series(position, index=pd.Index(docs, name="doc_id"), name=contrast)


def unit_scale(units: pd.DataFrame, contrast: str) -> float:
    """Standard deviation of the fitted units' positions (the unit of a margin)."""
    return _sd(units.loc[units["fit"], contrast].to_numpy(dtype=float))


# -- the grid and the sweep -----------------------------------------------------------------


def spec_grid(values: Mapping[str, Sequence] | None = None, measures: Sequence[str] = MEASURES,
              baseline: Mapping | None = None) -> pd.DataFrame:
    """Every specification: ``spec_id``, ``measure``, one column per setting, ``baseline``.

    Parameters
    ----------
    values : mapping, optional
        Replaces the values of some settings of :data:`VALUES`.
    measures : sequence of str
    baseline : mapping, optional
        Replaces some of the :data:`BASELINE` settings; a baseline value is always
        added to its setting's values.

    Examples
    --------
    >>> g = spec_grid()
    >>> len(g), g.groupby("measure", sort=False).size().to_dict()
    (174, {'dict': 16, 'tfidf': 48, 'lss': 48, 'sup': 36, 'topic': 24, 'combined': 2})
    >>> int(g["baseline"].sum())
    6
    """
    grid = {k: tuple(v) for k, v in VALUES.items()}
    grid.update({k: tuple(v) for k, v in (values or {}).items()})
    base = {**BASELINE, **(baseline or {})}
    rows = []
    for m in measures:
        if m not in MEASURE_SETTINGS:
            raise ValueError(f"measure must be one of {', '.join(MEASURES)}, not {m!r}")
        own = {**base, **BASELINE_OVERRIDES.get(m, {})}
        names = MEASURE_SETTINGS[m]
        options = [grid[s] + tuple(v for v in (own[s],) if v not in grid[s]) for s in names]
        for combo in itertools.product(*options):
            spec = dict(zip(names, combo))
            if m in BAG_OF_WORDS and spec.get("stem") and not spec.get("lowercase"):
                continue
            row = {"measure": m, **{s: spec.get(s) for s in SETTINGS}}
            row["baseline"] = all(spec[s] == own[s] for s in names)
            rows.append(row)
    # object columns keep integers integral where other measures leave the setting empty
    table = pd.DataFrame(rows, columns=["measure", *SETTINGS, "baseline"], dtype=object)
    table["baseline"] = table["baseline"].astype(bool)
    table.insert(0, "spec_id", [f"s{i + 1:03d}" for i in range(len(table))])
    return table


def grid_summary(specs: pd.DataFrame) -> pd.DataFrame:
    """Specifications per measure and the settings each varies (with their values).

    Examples
    --------
    >>> grid_summary(spec_grid(measures=["dict"])).values.tolist()
    [['dict', 16, 'lowercase (True, False); stem (True, False); unit (paragraph, sentence); smoothing (0.5, 1.0)']]
    """
    rows = []
    for m, part in specs.groupby("measure", sort=False):
        varied = []
        for s in MEASURE_SETTINGS[m]:
            values = list(dict.fromkeys(part[s].tolist()))
            varied.append(f"{s} ({', '.join(str(v) for v in values)})")
        rows.append(dict(measure=m, specifications=len(part), settings="; ".join(varied)))
    return pd.DataFrame(rows, columns=["measure", "specifications", "settings"])


def claim_outcome(claim: Claim, units: pd.DataFrame | None) -> dict:
    """``fitted``, ``holds`` and ``margin`` of ``claim`` on one specification's unit table.

    ``fitted`` is False when the specification gives no position on the claim's
    contrast; ``holds`` is then missing, as it is when the claim is undefined.

    Examples
    --------
    >>> u = pd.DataFrame({"doc_id": ["x", "x", "y"], "fit": True, "force": [1.0, 3.0, -1.0],
    ...                   "force_weight": [1.0, 1.0, 1.0]})
    >>> claim = parse_claims([{"kind": "more", "pole": "credibility", "a": "x", "b": "y"}])[0]
    >>> claim_outcome(claim, u)
    {'fitted': True, 'holds': True, 'margin': 1.5}
    """
    return _outcomes([claim], units)[0]


def _outcomes(claims: Sequence[Claim], units: pd.DataFrame | None) -> list[dict]:
    """:func:`claim_outcome` of each claim; positions and scale computed once per contrast."""
    out, positions, scales = [], {}, {}
    for claim in claims:
        c = claim.contrast
        if units is None or not units[c].notna().any():
            out.append(dict(fitted=False, holds=None, margin=float("nan")))
            continue
        if c not in positions:
            positions[c], scales[c] = article_positions(units, c), unit_scale(units, c)
        raw = claim_margin(claim, positions[c])
        if not np.isfinite(raw):
            out.append(dict(fitted=True, holds=None, margin=float("nan")))
        else:
            out.append(dict(fitted=True, holds=bool(raw > 0), margin=raw / scales[c]))
    return out


def _progress(iterable, total: int, desc: str, progress: bool | None):
    # None: a bar only when stderr is a terminal (tqdm's rule), so executed notebooks stay identical.
    return tqdm(iterable, total=total, desc=desc, file=sys.stderr, disable=None if progress is None else not progress)


def _spec_dict(row: Mapping) -> dict:
    return {k: (None if v is None or (isinstance(v, float) and np.isnan(v)) else v) for k, v in row.items()}


def multiverse_run(prep: Prepared, specs: pd.DataFrame, claims: Sequence[Claim], *,
                   random_state: int = config.SEED, progress: bool | None = None) -> pd.DataFrame:
    """Evaluate every claim under every specification.

    Parameters
    ----------
    prep : Prepared
    specs : DataFrame from :func:`spec_grid`
    claims : list of Claim
    random_state : int
    progress : bool or None
        A tqdm bar on stderr: True always, False never, None only on a terminal.

    Returns
    -------
    DataFrame
        The columns of ``specs``, then ``claim``, ``fitted`` (False when the
        specification cannot be fitted on this corpus, e.g. no seed term of a pole
        survives ``min_df``), ``holds`` (missing when not fitted or the claim is
        undefined) and ``margin`` (in standard deviations of the unit positions).
    """
    rows = []
    records = [_spec_dict(r) for r in specs.to_dict("records")] if claims else []
    for spec in _progress(records, len(records), "specifications", progress):
        table = spec_units(prep, spec, random_state=random_state)
        for claim, outcome in zip(claims, _outcomes(claims, table)):
            rows.append({**spec, "claim": claim.label, **outcome})
    return _typed(pd.DataFrame(rows, columns=[*specs.columns, "claim", "fitted", "holds", "margin"], dtype=object))


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """Settings stay objects (an integer stays an integer beside empty cells); results get their types."""
    out = table.copy()
    for col, kind in (("margin", "float64"), ("holds", "boolean"), ("fitted", "bool"), ("baseline", "bool")):
        if col in out.columns:
            out[col] = out[col].astype(kind)
    return out


def leave_one_out(prep: Prepared, specs: pd.DataFrame, claims: Sequence[Claim], *,
                  random_state: int = config.SEED, progress: bool | None = None) -> pd.DataFrame:
    """Refit each specification without each article in turn and re-evaluate the claims.

    An article named by a claim is never left out for that claim.

    Returns
    -------
    DataFrame
        ``spec_id, measure, claim, left_out, fitted, holds, margin``; ``holds`` is
        missing when the refit cannot be made (``fitted`` False, e.g. a pole's only
        seed term occurs in the left-out article) or the claim is undefined.
    """
    docs = sorted(set(prep.units["paragraph"].doc_id))
    records = [_spec_dict(r) for r in specs.to_dict("records")]
    jobs = [(spec, doc) for spec in records for doc in docs] if claims else []
    rows = []
    for spec, doc in _progress(jobs, len(jobs), "leave one article out", progress):
        wanted = [c for c in claims if doc not in c.docs]
        if not wanted:
            continue
        table = spec_units(prep, spec, exclude=doc, random_state=random_state)
        for claim, outcome in zip(wanted, _outcomes(wanted, table)):
            rows.append(dict(spec_id=spec["spec_id"], measure=spec["measure"], claim=claim.label, left_out=doc,
                             **outcome))
    return _typed(pd.DataFrame(rows, columns=["spec_id", "measure", "claim", "left_out", "fitted", "holds", "margin"],
                               dtype=object))


# -- summaries -----------------------------------------------------------------------------


def claim_shares(results: pd.DataFrame, claims: Sequence[Claim] | None = None,
                 measures: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """Per claim: specifications run, evaluated, held; the share held, overall and per measure.

    The share is over the specifications in which the claim could be evaluated.

    Parameters
    ----------
    results : DataFrame from :func:`multiverse_run`
    claims : list of Claim, optional
        Sets the row order; needed with ``measures``.
    measures : mapping contrast -> measures, optional
        Count only these measures' specifications for claims on each contrast (e.g.
        the measures that pass validation on it).

    Examples
    --------
    >>> r = pd.DataFrame({"claim": ["c"] * 3, "measure": ["dict", "dict", "lss"], "holds": [True, False, pd.NA]})
    >>> claim_shares(r)[["claim", "specs", "evaluated", "held", "share", "share_dict"]].values.tolist()
    [['c', 3, 2, 1, 0.5, 0.5]]
    """
    if measures is not None and claims is None:
        raise ValueError("pass the claims along with measures, so that each claim's contrast is known")
    order = [c.label for c in claims] if claims is not None else list(dict.fromkeys(results["claim"]))
    contrast = {c.label: c.contrast for c in claims} if claims is not None else {}
    all_measures = list(dict.fromkeys(results["measure"]))
    rows = []
    for label in order:
        part = results[results["claim"] == label]
        if measures is not None:
            part = part[part["measure"].isin(list(measures.get(contrast[label], ())))]
        held = part["holds"].dropna().astype(bool)
        row = dict(claim=label, specs=len(part), evaluated=len(held), held=int(held.sum()),
                   share=float(held.mean()) if len(held) else float("nan"))
        for m in all_measures:
            h = part.loc[part["measure"] == m, "holds"].dropna().astype(bool)
            row[f"share_{m}"] = float(h.mean()) if len(h) else float("nan")
        rows.append(row)
    return pd.DataFrame(rows, columns=["claim", "specs", "evaluated", "held", "share",
                                       *[f"share_{m}" for m in all_measures]])


def setting_text(value) -> str:
    """A setting value as text; a whole number read back as a float prints as an integer.

    Examples
    --------
    >>> setting_text(True), setting_text(100.0), setting_text(0.5), setting_text("1-2")
    ('True', '100', '0.5', '1-2')
    """
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def setting_order(values) -> list[str]:
    """Distinct values as text: numbers in numeric order after everything else, which is alphabetical.

    Examples
    --------
    >>> setting_order([100, 50, 50.0]), setting_order([True, False])
    (['50', '100'], ['False', 'True'])
    """
    distinct = list(dict.fromkeys(v for v in values if v is not None and not (isinstance(v, float) and np.isnan(v))))
    numbers = [v for v in distinct if isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_))]
    others = [v for v in distinct if v not in numbers or isinstance(v, (bool, np.bool_))]
    ordered = sorted({setting_text(v) for v in others}) + [setting_text(v) for v in sorted(numbers)]
    return list(dict.fromkeys(ordered))


def setting_shares(results: pd.DataFrame) -> pd.DataFrame:
    """Share of specifications in which each claim holds, for each value of each setting.

    Columns: ``claim, setting, value, specs, share`` (``measure`` is a setting here).

    Examples
    --------
    >>> r = pd.DataFrame({"claim": ["c"] * 3, "measure": ["dict", "dict", "lss"], "stem": [True, False, None],
    ...                   "holds": [True, False, True]})
    >>> setting_shares(r).values.tolist()
    [['c', 'measure', 'dict', 2, 0.5], ['c', 'measure', 'lss', 1, 1.0], ['c', 'stem', 'False', 1, 0.0], ['c', 'stem', 'True', 1, 1.0]]
    """
    rows = []
    settings = [s for s in ("measure", *SETTINGS) if s in results.columns]
    for label in dict.fromkeys(results["claim"]):
        part = results[(results["claim"] == label) & results["holds"].notna()]
        for s in settings:
            values = part[s].dropna()
            text = values.map(setting_text)
            for value in setting_order(values):
                h = part.loc[text.index[text == value], "holds"].astype(bool)
                rows.append(dict(claim=label, setting=s, value=value, specs=len(h), share=float(h.mean())))
    return pd.DataFrame(rows, columns=["claim", "setting", "value", "specs", "share"])


def _loo_counts(part: pd.DataFrame) -> dict:
    holds = part["holds"]
    known = holds.notna().to_numpy()
    held = known & holds.fillna(False).astype(bool).to_numpy()
    return dict(refits=len(part), evaluated=int(known.sum()), held=int(held.sum()),
                breaking=", ".join(sorted(part.loc[known & ~held, "left_out"])),
                undefined=", ".join(sorted(part.loc[~known, "left_out"])))


def setting_effects(results: pd.DataFrame, settings: Sequence[str] | None = None) -> pd.DataFrame:
    """What changing one setting alone does to each claim, on matched specifications.

    Specifications are matched when they share the measure and every other setting and
    differ only in ``setting``; only groups in which the claim can be evaluated under
    every value of the setting count. Comparing matched specifications keeps the
    comparison free of the mix of measures each value appears with.

    Parameters
    ----------
    results : DataFrame from :func:`multiverse_run`
    settings : sequence of str, default :data:`SHARED_SETTINGS`

    Returns
    -------
    DataFrame
        ``claim, setting, matched`` (groups), ``flips`` (groups in which the claim holds
        under some values and not others), ``low``/``low_share`` and ``high``/
        ``high_share`` (the values under which it holds least and most often, over the
        matched specifications).

    Examples
    --------
    >>> r = pd.DataFrame({"claim": ["c"] * 4, "measure": ["dict"] * 4, "stem": [True, False, True, False],
    ...                   "unit": ["p", "p", "s", "s"], "holds": [True, False, True, True]})
    >>> setting_effects(r, ["stem"]).values.tolist()
    [['c', 'stem', 2, 1, 'False', 0.5, 'True', 1.0]]
    """
    settings = list(settings or SHARED_SETTINGS)
    present = [s for s in ("measure", *SETTINGS) if s in results.columns]
    rows = []
    for label in dict.fromkeys(results["claim"]):
        part = results[(results["claim"] == label) & results["holds"].notna()]
        text = part[present].apply(lambda col: col.map(lambda v: "" if v is None or v != v else setting_text(v)))
        for s in settings:
            if s not in present:
                continue
            others = [c for c in present if c != s]
            frame = text[others].assign(_value=text[s], _holds=part["holds"].astype(bool).to_numpy())
            frame = frame[frame["_value"] != ""]
            n_values = frame.groupby("measure")["_value"].transform("nunique")
            size = frame.groupby(others)["_value"].transform("nunique")
            matched = frame[(n_values > 1) & (size == n_values)]
            if matched.empty:
                continue
            groups = matched.groupby(others)["_holds"].nunique()
            share = matched.groupby("_value")["_holds"].mean()
            order = share.sort_values(kind="stable")
            rows.append(dict(claim=label, setting=s, matched=len(groups), flips=int((groups > 1).sum()),
                             low=order.index[0], low_share=float(order.iloc[0]),
                             high=order.index[-1], high_share=float(order.iloc[-1])))
    return pd.DataFrame(rows, columns=["claim", "setting", "matched", "flips", "low", "low_share", "high",
                                       "high_share"])


def loo_summary(loo: pd.DataFrame) -> pd.DataFrame:
    """Per claim and measure: refits, how many could be evaluated and held, and which left-out articles
    reverse the claim (``breaking``) or leave it undefined (``undefined``).

    Examples
    --------
    >>> l = pd.DataFrame({"claim": ["c"] * 3, "measure": ["dict"] * 3, "left_out": ["x", "y", "z"],
    ...                   "holds": pd.array([True, False, None], dtype="boolean")})
    >>> loo_summary(l).values.tolist()
    [['c', 'dict', 3, 2, 1, 'y', 'z']]
    """
    rows = [dict(claim=label, measure=m, **_loo_counts(part))
            for (label, m), part in loo.groupby(["claim", "measure"], sort=False)]
    return pd.DataFrame(rows, columns=["claim", "measure", "refits", "evaluated", "held", "breaking", "undefined"])


#: Settings shared by several measures (the others belong to one measure and are read through it).
SHARED_SETTINGS = ("lowercase", "stem", "stopwords", "min_df", "ngram", "unit")


def robustness_verdicts(shares: pd.DataFrame, loo: pd.DataFrame, settings: pd.DataFrame,
                        effects: pd.DataFrame | None = None, *, skipped: Sequence[Claim] = (),
                        reference: str = REFERENCE_MEASURE, robust_share: float = ROBUST_SHARE,
                        support_share: float = SUPPORT_SHARE) -> pd.DataFrame:
    """A verdict per claim, with the evidence a reader needs to see why.

    Parameters
    ----------
    shares : DataFrame from :func:`claim_shares`
    loo : DataFrame from :func:`leave_one_out`
    settings : DataFrame from :func:`setting_shares` (for the measures)
    effects : DataFrame from :func:`setting_effects`, optional
    skipped : list of Claim
        Claims that could not be tested (see :func:`claims_split`); listed last with
        the verdict ``skipped``.
    reference : str
        The measure whose leave-one-article-out refits count for the verdict.
    robust_share, support_share : float

    Returns
    -------
    DataFrame
        ``claim, share``, the reference measure's ``loo_refits, loo_evaluated,
        loo_held, loo_breaking, loo_undefined``; ``weakest_measure`` and
        ``weakest_measure_share`` (the measure under which the claim holds least
        often); from ``effects``, the setting whose change alone flips the claim in
        the largest share of matched specifications (``setting, flips, matched,
        setting_low, setting_low_share, setting_high, setting_high_share``); and
        ``verdict``. A refit that cannot be made counts neither for nor against the
        claim; a claim with no evaluable refit cannot be robust.

    Examples
    --------
    >>> shares = pd.DataFrame({"claim": ["c"], "share": [0.95]})
    >>> loo = pd.DataFrame({"claim": ["c", "c"], "measure": ["combined"] * 2, "left_out": ["x", "y"],
    ...                     "holds": pd.array([True, None], dtype="boolean")})
    >>> settings = pd.DataFrame({"claim": ["c"] * 2, "setting": ["measure", "measure"],
    ...                          "value": ["dict", "lss"], "specs": [10, 10], "share": [1.0, 0.9]})
    >>> robustness_verdicts(shares, loo, settings)[["loo_held", "loo_undefined", "weakest_measure", "verdict"]].values.tolist()
    [[1, 'y', 'lss', 'robust']]
    """
    rows = []
    for r in shares.itertuples():
        counts = _loo_counts(loo[(loo["claim"] == r.claim) & (loo["measure"] == reference)])
        loo_ok = counts["evaluated"] > 0 and counts["held"] == counts["evaluated"]
        own = settings[(settings["claim"] == r.claim) & (settings["specs"] >= 2) & (settings["setting"] == "measure")]
        weakest = own.sort_values(["share", "value"], kind="stable").head(1)
        effect = None
        if effects is not None:
            e = effects[(effects["claim"] == r.claim) & (effects["matched"] > 0)]
            e = e.assign(rate=e["flips"] / e["matched"]).sort_values(["rate", "flips"], ascending=False, kind="stable")
            effect = e.iloc[0] if len(e) else None
        if r.share >= robust_share and loo_ok:
            verdict = "robust"
        elif r.share >= support_share:
            verdict = "fragile"
        else:
            verdict = "not supported"
        rows.append(dict(claim=r.claim, share=r.share, **{f"loo_{k}": v for k, v in counts.items()},
                         weakest_measure=weakest["value"].iloc[0] if len(weakest) else None,
                         weakest_measure_share=float(weakest["share"].iloc[0]) if len(weakest) else np.nan,
                         setting=effect["setting"] if effect is not None else None,
                         flips=int(effect["flips"]) if effect is not None else 0,
                         matched=int(effect["matched"]) if effect is not None else 0,
                         setting_low=effect["low"] if effect is not None else None,
                         setting_low_share=float(effect["low_share"]) if effect is not None else np.nan,
                         setting_high=effect["high"] if effect is not None else None,
                         setting_high_share=float(effect["high_share"]) if effect is not None else np.nan,
                         verdict=verdict))
    rows += [dict(claim=c.label, verdict="skipped: names an article not in the corpus") for c in skipped]
    columns = ["claim", "share", "loo_refits", "loo_evaluated", "loo_held", "loo_breaking", "loo_undefined",
               "weakest_measure", "weakest_measure_share", "setting", "flips", "matched", "setting_low",
               "setting_low_share", "setting_high", "setting_high_share", "verdict"]
    counts = ["loo_refits", "loo_evaluated", "loo_held", "flips", "matched"]
    return pd.DataFrame(rows, columns=columns).astype({c: "Int64" for c in counts})
