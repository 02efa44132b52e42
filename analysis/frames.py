"""Four measures of the framing contrasts, and their combination.

Every contrast of the codebook (:mod:`analysis.codebook`) has a negative and a positive
pole. Each measure gives a unit of text a position on each contrast (negative pole <
0 < positive pole) and, where it can, a salience (>= 0: how much the unit speaks to the
contrast at all). All are scikit-learn transformers: ``fit`` learns from the corpus'
paragraphs and, where given, the written training exemplars
(:mod:`analysis.exemplars`; never the texts being validated), ``transform`` scores any
list of texts, so one fitted model scores new text on the study's scale.

Shared text preparation (:class:`Lexicon`)
    Words are lowercase, a hyphen separates words and a possessive ``'s`` is dropped.
    False friends (proper names, treaty titles) are masked first. Seed terms are matched
    on Snowball stems, longest expression first, each word used once. A match in the
    scope of a negation cue is *negated* (rule below). For the two bag-of-words measures
    the text then becomes a list of features (:meth:`Lexicon.features`): masked and
    negated matches are removed, every other multiword match becomes one hyphenated
    token ("marriage-of-convenience"), scikit-learn's English stopwords are dropped and
    the rest reduced to Snowball stems, so that all three measures see the same evidence.
    Each text is analysed once and shared by the three measures, and every step is a
    linear scan or a sparse product, so scoring many paragraphs is fast.

Negation scope rule
    The scope of a cue (``not``, ``no``, ``never``, ``neither``, ``nor``, ``without``,
    any word ending in ``n't``, "rather than", ... — listed in the codebook) opens after
    the cue and covers at most ``window`` (5) words; it closes early at a terminator word
    (``but``, ``however``, ``yet``, ...) or at punctuation between two words
    (``, ; : . ! ? ( ) [ ] …`` and dashes). Pseudo-negations ("not only", "no doubt")
    open no scope. A match whose first word lies in a scope does not count. After
    NegEx (Chapman et al. 2001).

1. Dictionary (:class:`DictionaryScorer`, prefix ``dict_``)
    ``rate(pole) = 1000 * matches(pole) / tokens`` (all word tokens of the unit);
    ``salience = rate(positive) + rate(negative)``; the index is the smoothed log ratio
    of the two counts, ``log((matches(positive) + 0.5) / (matches(negative) + 0.5))``
    (Lowe et al. 2011): zero without evidence, it depends on the balance of the evidence
    and not on the unit's length, so a one-line heading with one match is not an outlier.
2. TF-IDF prototypes (:class:`PrototypeScorer`, prefix ``tfidf_``)
    A TF-IDF space (stems, stopwords removed, smooth idf, l2 rows) is fitted on the
    corpus (and the exemplars, when given); each pole's prototype is the mean vector of
    the exemplars coded with that pole or, without exemplars, the codebook's own text of
    the pole (definition, indicators and terms) placed in the space. ``cos(pole)`` is the cosine between unit and prototype;
    ``index = cos(positive) - cos(negative)``, ``salience = cos(positive) + cos(negative)``.
    :func:`class_tfidf` adds class-based TF-IDF (Grootendorst 2022) by article or pole.
3. Latent semantic scaling (:class:`LatentScaler`, prefix ``lss_``; Watanabe 2021)
    Truncated SVD (seeded) of the TF-IDF of the corpus and the exemplars, with their
    sentences as documents (Watanabe's segmentation; the corpus split by Punkt trained on
    it, the exemplars at their full stops), gives each term a vector: its row of the right singular
    vectors, as in Watanabe's implementation. Seeds on the negative pole
    weigh ``-1/n_neg``, on the positive ``+1/n_pos`` (seeds found in the vocabulary).
    ``polarity(term) = sum_s cos(term, seed_s) * weight_s``. A unit's score is the mean
    polarity of its terms weighted by their frequency, ``sum_t f_t p_t / n`` with
    ``n = sum_t f_t``, and its standard error ``sqrt(sum_t f_t (p_t - score)^2 / n) / sqrt(n)``.
    A unit with no model term has no score (NaN). LSS gives no salience.

4. Supervised, stance-aware (:class:`analysis.supervised.SupervisedScorer`, prefix ``sup_``)
    Logistic regressions on stance-marked words and word pairs, trained on the exemplars
    only: ``sup_<c>`` is the calibrated log-odds of the positive pole,
    ``sup_<c>_salience`` the calibrated probability that the unit speaks to the contrast.

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

Articles (:func:`doc_scores`)
    An article's position is the salience-weighted mean of its paragraphs' positions,
    its salience the plain mean; intervals come from bootstrapping paragraphs within the
    article and pairwise differences are tested by permutation with Benjamini–Hochberg
    control (:mod:`analysis.uncertainty`).
"""
from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.utils.validation import check_is_fitted

from . import config
from .codebook import Codebook, as_codebook, load_codebook, word_count, word_spans
from .dtm import dtm_group
from .sentences import sentence_spans, sentence_tokenizer
from .text import STOPWORDS, normalize_apostrophes, stem
from .uncertainty import group_intervals, pairwise_differences

MEASURES = ("dict", "tfidf", "lss", "sup")
#: Whether each measure's index is centred on its corpus mean before scaling (see module doc).
CENTRED = {"dict": False, "tfidf": False, "lss": True, "sup": False}
#: Punctuation between two words that closes a negation scope (quotation marks do not).
SCOPE_BREAK = re.compile(r"[,;:.!?()\[\]{}\u2014\u2013\u2026]|\s-+\s|--")


_LEXICONS: dict[int, tuple[Codebook, "Lexicon"]] = {}
#: Codebooks whose lexicon (with its remembered analyses) is kept at once.
LEXICONS_KEPT = 4


def lexicon_of(codebook: Codebook) -> "Lexicon":
    """The :class:`Lexicon` of ``codebook``, built once per codebook object and shared by
    every measure fitted with it, so that a text is analysed once however many measures
    and folds read it."""
    entry = _LEXICONS.get(id(codebook))
    if entry is None or entry[0] is not codebook:
        entry = (codebook, Lexicon(codebook))
        _LEXICONS[id(codebook)] = entry
        while len(_LEXICONS) > LEXICONS_KEPT:  # the oldest first (dicts keep insertion order)
            del _LEXICONS[next(iter(_LEXICONS))]
    return entry[1]


def _texts(X) -> list[str]:
    if isinstance(X, str):
        raise ValueError("X must be a list of texts, not a single string — wrap it as [text]")
    if isinstance(X, pd.DataFrame):
        raise ValueError("X must be a list or Series of texts, not a DataFrame — pass its text column")
    texts = list(X)
    bad = [i for i, t in enumerate(texts) if not isinstance(t, str)]
    if bad:
        raise ValueError(f"X[{bad[0]}] is {type(texts[bad[0]]).__name__}, not str — every unit must be a text")
    return texts


@dataclass(frozen=True)
class Match:
    """One seed term found in a text (``first``/``last``: word positions, ``[first, last)``)."""

    term: str
    pole: str
    contrast: str
    start: int
    end: int
    first: int
    last: int
    negated: bool
    off_target: bool = False

    @property
    def counted(self) -> bool:
        """Whether the match is evidence: not negated, and near a target word when its
        contrast asks for one."""
        return not (self.negated or self.off_target)


class Lexicon:
    """The codebook compiled for matching: false friends, seed terms and negation.

    Parameters
    ----------
    codebook : Codebook

    Examples
    --------
    >>> lex = Lexicon(load_codebook())
    >>> [(m.term, m.negated) for m in lex.matches("It is neither recent nor transactional.")]
    [('transactional', True)]
    >>> lex.clean("A marriage of convenience, not the axis of resistance.")
    'a marriage-of-convenience not the'
    """

    def __init__(self, codebook: Codebook):
        self.codebook = codebook
        pole_of = {p.name: p for p in codebook.poles}
        self.pole_of = pole_of
        entries = []
        for pole in codebook.poles:
            for term in pole.terms:
                key = tuple(stem(w) for _, _, w in word_spans(term))
                entries.append((key, term, pole.name))
        self.terms = self._index(entries)
        friends = []
        for friend in codebook.false_friends:
            if friend.case_sensitive:
                key = tuple(m.group() for m in re.finditer(r"(?:[A-Za-z]\.){2,}|[A-Za-z]+(?:'[A-Za-z]+)*",
                                                            friend.phrase))
            else:
                key = tuple(stem(w) for _, _, w in word_spans(friend.phrase))
            friends.append((key, friend.phrase, friend.case_sensitive))
        self.friends = sorted(friends, key=lambda f: -len(f[0]))
        neg = codebook.negation
        self.cues = sorted((tuple(w for _, _, w in word_spans(c)) for c in neg.cues), key=len, reverse=True)
        self.pseudo = sorted((tuple(w for _, _, w in word_spans(c)) for c in neg.pseudo), key=len, reverse=True)
        self.terminators = frozenset(w for t in neg.terminators for _, _, w in word_spans(t))
        self.window = neg.window
        #: {contrast: (target stems, window)} for the contrasts that restrict their evidence
        self.targets = {c.name: (frozenset(stem(w) for t in c.targets for _, _, w in word_spans(t)), c.target_window)
                        for c in codebook.contrasts.values() if c.target_window > 0}

    @staticmethod
    def _index(entries):
        index: dict[str, list] = {}
        for key, term, pole in entries:
            index.setdefault(key[0], []).append((key, term, pole))
        for first in index:
            index[first].sort(key=lambda e: -len(e[0]))
        return index

    def _masked(self, text: str, spans, stems) -> np.ndarray:
        masked = np.zeros(len(spans), dtype=bool)
        surface = [text[s:e] for s, e, _ in spans]
        i = 0
        while i < len(spans):
            hit = 0
            for key, _, case_sensitive in self.friends:
                seq = surface if case_sensitive else stems
                if tuple(seq[i:i + len(key)]) == key:
                    hit = len(key)
                    break
            if hit:
                masked[i:i + hit] = True
                i += hit
            else:
                i += 1
        return masked

    def _starts_with(self, words, i, phrases) -> int:
        for phrase in phrases:
            if tuple(words[i:i + len(phrase)]) == phrase:
                return len(phrase)
        return 0

    def negation_scope(self, text: str) -> list[bool]:
        """For each word of ``text``, whether it lies in the scope of a negation cue.

        Examples
        --------
        >>> Lexicon(load_codebook()).negation_scope("not only this, but not that")
        [False, False, False, False, False, True]
        """
        spans = word_spans(text)
        return self._scope(text, spans, self._masked(text, spans, [stem(w) for _, _, w in spans])).tolist()

    @staticmethod
    def _breaks(text: str, spans) -> list[bool]:
        """Whether punctuation stands between each word and the one before it."""
        marks = [m.start() for m in SCOPE_BREAK.finditer(normalize_apostrophes(text))]
        out = [False]
        for j in range(1, len(spans)):
            k = bisect_left(marks, spans[j - 1][1])
            out.append(k < len(marks) and marks[k] < spans[j][0])
        return out

    def _scope(self, text: str, spans, masked) -> np.ndarray:
        words = [w for _, _, w in spans]
        breaks = self._breaks(text, spans)
        negated = np.zeros(len(spans), dtype=bool)
        i = 0
        while i < len(words):
            if masked[i]:
                i += 1
                continue
            pseudo = self._starts_with(words, i, self.pseudo)
            if pseudo:
                i += pseudo
                continue
            cue = self._starts_with(words, i, self.cues) or (1 if words[i].endswith("n't") else 0)
            if cue:
                j = i + cue
                while j < len(words) and j < i + cue + self.window:
                    if breaks[j] or words[j] in self.terminators:
                        break
                    negated[j] = True
                    j += 1
            i += max(cue, 1)
        return negated

    #: Texts whose analysis is remembered (exemplars and corpus paragraphs analysed by
    #: several measures and folds); beyond it texts are analysed afresh, so memory stays bounded.
    MEMO_SIZE = 50_000

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_memo", None)
        return state

    def analyse(self, text: str, targeted: bool = True) -> tuple[list, np.ndarray, list[Match]]:
        """Words, mask and matches of ``text`` (remembered; see :meth:`_analyse`)."""
        memo = self.__dict__.setdefault("_memo", {})
        key = (text, targeted)
        found = memo.get(key)
        if found is None:
            found = self._analyse(text, targeted)
            if len(memo) < self.MEMO_SIZE:
                memo[key] = found
        return found

    def _analyse(self, text: str, targeted: bool = True) -> tuple[list, np.ndarray, list[Match]]:
        """Words, masked flags and :class:`Match` list of ``text`` (uncounted matches included).

        With ``targeted`` (the default) a match of a contrast that has a ``target_window``
        is marked ``off_target`` when no target word lies within that many words of it
        (the match's own words included). Pass False for text that is not a unit of the
        corpus (a pole's prototype, a seed term).
        """
        spans = word_spans(text)
        stems = [stem(w) for _, _, w in spans]
        masked = self._masked(text, spans, stems)
        negated = self._scope(text, spans, masked)
        matches = []
        i = 0
        while i < len(spans):
            found = None
            if not masked[i]:
                for key, term, pole in self.terms.get(stems[i], ()):
                    n = len(key)
                    if tuple(stems[i:i + n]) == key and not masked[i:i + n].any():
                        found = Match(term, pole, self.pole_of[pole].contrast, spans[i][0], spans[i + n - 1][1],
                                      i, i + n, bool(negated[i]))
                        break
            if found:
                matches.append(found)
                i = found.last
            else:
                i += 1
        if targeted and self.targets:
            matches = [self._target_check(m, stems) for m in matches]
        return spans, masked, matches

    def _target_check(self, m: Match, stems: list[str]) -> Match:
        if m.contrast not in self.targets:
            return m
        targets, window = self.targets[m.contrast]
        near = stems[max(0, m.first - window):m.last + window]
        return m if any(s in targets for s in near) else replace(m, off_target=True)

    def matches(self, text: str, targeted: bool = True) -> list[Match]:
        """Every seed-term match in ``text``, negated and off-target ones flagged."""
        return self.analyse(text, targeted)[2]

    def clean(self, text: str, analysis=None) -> str:
        """``text`` as the bag-of-words measures see it (see the module docstring)."""
        return " ".join(self._kept(analysis or self.analyse(text)))

    def features(self, text: str, analysis=None, targeted: bool = True) -> list[str]:
        """The bag-of-words features of ``text``: :meth:`clean` words without stopwords, stemmed.

        Examples
        --------
        >>> Lexicon(load_codebook()).features("A marriage of convenience, not the axis of resistance.")
        ['marriage-of-conveni']
        """
        if analysis is not None:
            return self._features(analysis)
        memo = self.__dict__.setdefault("_memo", {})
        key = ("features", text, targeted)
        found = memo.get(key)
        if found is None:
            found = tuple(self._features(self.analyse(text, targeted)))
            if len(memo) < self.MEMO_SIZE:
                memo[key] = found
        return list(found)

    def _features(self, analysis) -> list[str]:
        return [stem(w) for w in self._kept(analysis) if w not in STOPWORDS]

    @staticmethod
    def _kept(analysis) -> list[str]:
        spans, masked, matches = analysis
        at = {m.first: m for m in matches}
        out, i = [], 0
        while i < len(spans):
            m = at.get(i)
            if m is not None:
                if m.counted:
                    out.append("-".join(w for _, _, w in spans[m.first:m.last]))
                i = m.last
                continue
            if not masked[i]:
                out.append(spans[i][2])
            i += 1
        return out


class BagOfWords:
    """A picklable analyzer for scikit-learn vectorizers: text → :meth:`Lexicon.features`.

    A unit already analysed (a list of features) passes through unchanged, so that a
    caller can analyse each text once for all three measures.
    """

    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def __call__(self, doc) -> list[str]:
        return doc if isinstance(doc, list) else self.lexicon.features(doc)


# -- 1. dictionary ------------------------------------------------------------------


class DictionaryScorer(TransformerMixin, BaseEstimator):
    """Rate of each pole's seed terms per 1,000 tokens, with negation and false friends.

    Parameters
    ----------
    codebook : Codebook, path or None
        None reads the study's ``corpus/codebook.toml``.
    per : float, default 1000
        Rates are per this many word tokens.
    smoothing : float, default 0.5
        Added to both counts of the index's log ratio.

    Examples
    --------
    >>> d = DictionaryScorer().fit([])
    >>> row = d.transform(["a marriage of convenience, not an ideological alliance"])[0]
    >>> dict(zip(d.get_feature_names_out()[:4], row[:4].round(3)))
    {'dict_transactional': np.float64(125.0), 'dict_ideological': np.float64(0.0), 'dict_alliance': np.float64(-1.099), 'dict_alliance_salience': np.float64(125.0)}
    """

    def __init__(self, codebook=None, per: float = 1000.0, smoothing: float = 0.5):
        self.codebook = codebook
        self.per = per
        self.smoothing = smoothing

    def fit(self, X=None, y=None):
        """Compile the codebook (the dictionary learns nothing from the corpus)."""
        self.codebook_ = as_codebook(self.codebook)
        self.lexicon_ = lexicon_of(self.codebook_)
        return self

    def counts(self, X) -> tuple[np.ndarray, np.ndarray]:
        """Non-negated matches per pole (n x poles, codebook order) and word tokens per unit."""
        check_is_fitted(self, "lexicon_")
        return self._counts([self.lexicon_.analyse(t) for t in _texts(X)])

    def _counts(self, analyses) -> tuple[np.ndarray, np.ndarray]:
        column = {p.name: j for j, p in enumerate(self.codebook_.poles)}
        counts = np.zeros((len(analyses), len(column)))
        tokens = np.zeros(len(analyses))
        for i, (spans, _, matches) in enumerate(analyses):
            tokens[i] = len(spans)
            for m in matches:
                if m.counted:
                    counts[i, column[m.pole]] += 1
        return counts, tokens

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self, "lexicon_")
        return self._transform([self.lexicon_.analyse(t) for t in _texts(X)])

    def _transform(self, analyses) -> np.ndarray:
        return self._from_counts(*self._counts(analyses))

    def _from_counts(self, counts: np.ndarray, tokens: np.ndarray) -> np.ndarray:
        """The scores from :meth:`counts`' two arrays, however they were counted."""
        with np.errstate(invalid="ignore", divide="ignore"):
            rates = np.where(tokens[:, None] > 0, self.per * counts / tokens[:, None], 0.0)
        columns = []
        for k, contrast in enumerate(self.codebook_.contrasts.values()):
            neg, pos = rates[:, 2 * k], rates[:, 2 * k + 1]
            index = np.log((counts[:, 2 * k + 1] + self.smoothing) / (counts[:, 2 * k] + self.smoothing))
            columns += [neg, pos, index, pos + neg]
        return np.column_stack(columns + [tokens])

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "lexicon_")
        names = []
        for c in self.codebook_.contrasts.values():
            names += [f"dict_{c.negative.name}", f"dict_{c.positive.name}", f"dict_{c.name}",
                      f"dict_{c.name}_salience"]
        return np.array(names + ["dict_tokens"], dtype=object)

    def match_table(self, X, unit_ids: Sequence[str] | None = None) -> pd.DataFrame:
        """Every match in every unit: ``unit_id, term, pole, contrast, start, end, negated, off_target, context``."""
        check_is_fitted(self, "lexicon_")
        texts = _texts(X)
        ids = list(unit_ids) if unit_ids is not None else [str(i) for i in range(len(texts))]
        rows = []
        for uid, text in zip(ids, texts):
            for m in self.lexicon_.matches(text):
                rows.append(dict(unit_id=uid, term=m.term, pole=m.pole, contrast=m.contrast, start=m.start,
                                 end=m.end, negated=m.negated, off_target=m.off_target,
                                 context=text[max(0, m.start - 60):m.end + 60]))
        return pd.DataFrame(rows, columns=["unit_id", "term", "pole", "contrast", "start", "end", "negated",
                                           "off_target", "context"])


# -- 2. TF-IDF prototypes and class-based TF-IDF ------------------------------------


def _vectorizer(kind: str, lexicon: Lexicon, vocabulary=None, sublinear_tf: bool = False):
    """Count or TF-IDF (smooth idf, l2 rows) vectorizer over :class:`BagOfWords` features."""
    if kind == "count":
        return CountVectorizer(analyzer=BagOfWords(lexicon), vocabulary=vocabulary, dtype=np.float64)
    return TfidfVectorizer(analyzer=BagOfWords(lexicon), vocabulary=vocabulary, dtype=np.float64,
                           sublinear_tf=sublinear_tf)


class PrototypeScorer(TransformerMixin, BaseEstimator):
    """Cosine similarity of each unit to each pole's prototype in the corpus' TF-IDF space.

    Parameters
    ----------
    codebook : Codebook, path or None
    sublinear_tf : bool, default False
        ``1 + log(tf)`` term frequencies.

    Examples
    --------
    >>> p = PrototypeScorer().fit(["a bargain of convenience", "a shared ideology",
    ...                            "the threat of retaliation", "their credibility and prestige"])
    >>> p.get_feature_names_out()[:3].tolist()
    ['tfidf_transactional', 'tfidf_ideological', 'tfidf_alliance']
    >>> cos_t, cos_i, index = p.transform(["an ideology"])[0, :3]
    >>> bool(cos_t == 0 and cos_i > 0 and index == cos_i - cos_t)
    True
    """

    def __init__(self, codebook=None, sublinear_tf: bool = False):
        self.codebook = codebook
        self.sublinear_tf = sublinear_tf

    def fit(self, X, y=None, exemplars: pd.DataFrame | None = None):
        """Fit the TF-IDF space on ``X`` and place the pole prototypes in it.

        With ``exemplars`` (a table with ``text`` and a column of codes per contrast,
        :func:`analysis.exemplars.load_exemplars`), the space is fitted on ``X`` and the
        exemplar texts, and a pole's prototype is the mean TF-IDF vector of the
        exemplars coded with that pole (Rocchio's centroid); without, it is the
        codebook's text of the pole.
        """
        self.codebook_ = as_codebook(self.codebook)
        self.lexicon_ = lexicon_of(self.codebook_)
        texts = _texts(X)
        if not texts:
            raise ValueError("X is empty — fit the measure on at least one paragraph")
        extra = [] if exemplars is None else _texts(exemplars["text"])
        # the space (vocabulary, idf) is learned from every word of the corpus; a target
        # window only decides which seed occurrences count when a unit is scored
        self.vectorizer_ = _vectorizer("tfidf", self.lexicon_, sublinear_tf=self.sublinear_tf).fit(
            [self.lexicon_.features(t, targeted=False) for t in texts + extra])
        poles = self.codebook_.poles
        if exemplars is None:
            # a prototype is the codebook's own text, not a unit: no target window applies to it
            self.prototypes_ = self.vectorizer_.transform([self.lexicon_.features(p.prototype(), targeted=False)
                                                           for p in poles])
        else:
            matrix = self.vectorizer_.transform([self.lexicon_.features(t, targeted=False) for t in extra])
            rows = []
            for p in poles:
                hit = (exemplars[p.contrast] == p.name).to_numpy()
                if not hit.any():
                    raise ValueError(f"no exemplar is coded {p.name!r} on {p.contrast!r} — add exemplars of "
                                     "that pole (see corpus/exemplars/README.md)")
                rows.append(sparse.csr_matrix(matrix[hit].mean(axis=0)))
            from sklearn.preprocessing import normalize
            self.prototypes_ = normalize(sparse.vstack(rows).tocsr())
        empty = [p.name for p, n in zip(poles, self.prototypes_.getnnz(axis=1)) if n == 0]
        if empty:
            raise ValueError(f"the prototype of pole {empty[0]!r} shares no term with the corpus — "
                             "fit on a larger corpus or extend the pole's definition and seeds")
        return self

    def similarities(self, X) -> np.ndarray:
        """Cosine of every unit to every pole prototype (n x poles, codebook order)."""
        check_is_fitted(self, "prototypes_")
        return self._similarities(_texts(X))

    def _similarities(self, units) -> np.ndarray:
        matrix = self.vectorizer_.transform(units)
        return np.asarray((matrix @ self.prototypes_.T).todense())

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self, "prototypes_")
        return self._transform(_texts(X))

    def _transform(self, units) -> np.ndarray:
        return self._from_similarities(self._similarities(units))

    def _from_similarities(self, cos: np.ndarray) -> np.ndarray:
        """The scores from :meth:`similarities`' output, however it was computed."""
        columns = []
        for k, _ in enumerate(self.codebook_.contrasts.values()):
            neg, pos = cos[:, 2 * k], cos[:, 2 * k + 1]
            columns += [neg, pos, pos - neg, pos + neg]
        return np.column_stack(columns)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "prototypes_")
        names = []
        for c in self.codebook_.contrasts.values():
            names += [f"tfidf_{c.negative.name}", f"tfidf_{c.positive.name}", f"tfidf_{c.name}",
                      f"tfidf_{c.name}_salience"]
        return np.array(names, dtype=object)

    def prototype_terms(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` heaviest corpus terms of each prototype: ``pole, rank, term, weight``."""
        check_is_fitted(self, "prototypes_")
        terms = self.vectorizer_.get_feature_names_out()
        rows = []
        for pole, row in zip(self.codebook_.poles, self.prototypes_.toarray()):
            order = np.lexsort((terms, -row))[:n]
            rows += [dict(pole=pole.name, rank=r + 1, term=terms[j], weight=row[j])
                     for r, j in enumerate(order) if row[j] > 0]
        return pd.DataFrame(rows, columns=["pole", "rank", "term", "weight"])


def class_tfidf(counts: sparse.spmatrix, classes: Sequence[str]) -> tuple[sparse.csr_matrix, list[str]]:
    """Class-based TF-IDF (Grootendorst 2022): one weighted row per class.

    ``W[c, x] = tf[c, x] / sum_x tf[c, x] * log(1 + A / f_x)``, where ``tf[c, x]`` is the
    count of term ``x`` in class ``c`` (rows of ``counts`` summed by class), ``A`` the mean
    number of tokens per class and ``f_x`` the term's total count over all classes.

    Parameters
    ----------
    counts : sparse matrix (units x terms)
    classes : sequence of str, one label per unit

    Returns
    -------
    weights : csr_matrix (classes x terms)
    labels : list of str, sorted

    Examples
    --------
    >>> w, labels = class_tfidf(sparse.csr_matrix([[2, 1, 0], [0, 1, 1]]), ["A", "B"])
    >>> labels, w.toarray().round(4).tolist()
    (['A', 'B'], [[0.5406, 0.2703, 0.0], [0.0, 0.4055, 0.6264]])
    """
    if counts.shape[0] != len(classes):
        raise ValueError(f"counts has {counts.shape[0]} rows but classes has {len(classes)} labels")
    tf, labels = dtm_group(sparse.csr_matrix(counts, dtype=float), list(classes))
    sizes = np.asarray(tf.sum(axis=1)).ravel()
    total = np.asarray(tf.sum(axis=0)).ravel()
    mean_size = sizes.mean()
    with np.errstate(divide="ignore", invalid="ignore"):
        idf = np.where(total > 0, np.log1p(mean_size / total), 0.0)
        inv = np.where(sizes > 0, 1.0 / sizes, 0.0)
    weights = sparse.diags(inv) @ tf @ sparse.diags(idf)
    return sparse.csr_matrix(weights), labels


def class_terms(texts: Sequence[str], classes: Sequence[str], codebook=None, n: int = 10) -> pd.DataFrame:
    """The ``n`` heaviest c-TF-IDF terms of each class: ``class, rank, term, weight, count``.

    Texts are prepared as for the other measures (false friends masked, negated seeds
    dropped, multiword seeds joined) and counted as stems without stopwords.
    """
    vec = _vectorizer("count", Lexicon(as_codebook(codebook)))
    counts = vec.fit_transform(_texts(texts))
    weights, labels = class_tfidf(counts, classes)
    tf, _ = dtm_group(counts, list(classes))
    terms = vec.get_feature_names_out()
    rows = []
    for k, label in enumerate(labels):
        row = weights.getrow(k).toarray().ravel()
        order = np.lexsort((terms, -row))[:n]
        rows += [dict(**{"class": label}, rank=r + 1, term=terms[j], weight=row[j], count=int(tf[k, j]))
                 for r, j in enumerate(order) if row[j] > 0]
    return pd.DataFrame(rows, columns=["class", "rank", "term", "weight", "count"])


# -- 3. latent semantic scaling ------------------------------------------------------


class LatentScaler(TransformerMixin, BaseEstimator):
    """Latent semantic scaling (Watanabe 2021) of each contrast.

    Parameters
    ----------
    codebook : Codebook, path or None
    n_components : int, default 100
        SVD dimensions; capped at ``min(contexts, terms) - 1``.
    algorithm : {"arpack", "randomized"}
        Passed to :class:`~sklearn.decomposition.TruncatedSVD`.
    random_state : int, default :data:`analysis.config.SEED`
    context : {"sentence", "paragraph"}, default "sentence"
        The documents of the term-document matrix the SVD factorises. Watanabe (2021)
        segments the corpus into sentences so that a term's vector reflects its close
        neighbours; the units passed to ``fit`` are split with Punkt trained on them
        (:mod:`analysis.sentences`). ``transform`` always scores the units it is given.

    Attributes
    ----------
    vocabulary_ : ndarray of str
    embedding_ : ndarray (terms x k), unit-length rows of the right singular vectors
    seeds_ : DataFrame
        ``contrast, pole, term, feature, weight`` of every seed found in the vocabulary.
    polarity_ : ndarray (terms x contrasts)
    """

    def __init__(self, codebook=None, n_components: int = 100, algorithm: str = "arpack",
                 random_state: int = config.SEED, context: str = "sentence"):
        self.codebook = codebook
        self.n_components = n_components
        self.algorithm = algorithm
        self.random_state = random_state
        self.context = context

    def _contexts(self, texts: list[str]) -> list[str]:
        if self.context == "paragraph":
            return texts
        if self.context != "sentence":
            raise ValueError(f"context must be 'sentence' or 'paragraph', not {self.context!r}")
        tokenizer = sentence_tokenizer(texts)
        return [t[a:b] for t in texts for a, b in sentence_spans(tokenizer, t)]

    def fit(self, X, y=None, extra: Sequence[str] | None = None):
        """Fit the TF-IDF space and its SVD on ``X`` (and ``extra``); compute every term's polarity.

        ``extra`` are further texts to learn the space from, such as the written exemplars:
        with ``context="sentence"`` they are split by :func:`analysis.exemplars.exemplar_sentences`
        (the project's own edited prose needs no trained splitter), while ``X`` is split
        by Punkt trained on ``X``.
        """
        from .exemplars import exemplar_sentences

        self.codebook_ = as_codebook(self.codebook)
        self.lexicon_ = lexicon_of(self.codebook_)
        corpus = _texts(X)
        contexts = self._contexts(corpus) if corpus else []
        if extra is not None:
            more = _texts(extra)
            contexts += [s for t in more for s in exemplar_sentences(t)] if self.context == "sentence" else more
        # term vectors are learned from every word of the corpus (no target window)
        texts = [self.lexicon_.features(t, targeted=False) for t in contexts]
        if len(texts) < 3:
            raise ValueError(f"LSS needs at least 3 contexts to fit, got {len(texts)}")
        self.vectorizer_ = _vectorizer("tfidf", self.lexicon_).fit(texts)
        matrix = self.vectorizer_.transform(texts)
        k = min(self.n_components, min(matrix.shape) - 1)
        if k < 1:
            raise ValueError("the corpus is too small for an SVD — fit on more units")
        self.svd_ = TruncatedSVD(n_components=k, algorithm=self.algorithm,
                                 random_state=self.random_state).fit(matrix)
        self.vocabulary_ = self.vectorizer_.get_feature_names_out()
        self.frequency_ = np.asarray(_vectorizer("count", self.lexicon_, vocabulary=self.vocabulary_)
                                     .fit_transform(texts).sum(axis=0)).ravel()
        emb = self.svd_.components_.T
        norms = np.linalg.norm(emb, axis=1, keepdims=True)
        self.embedding_ = np.divide(emb, norms, out=np.zeros_like(emb), where=norms > 0)
        self.seeds_ = self._seeds()
        self.polarity_ = np.column_stack([self._polarity(self.seeds_[self.seeds_.contrast == c])
                                          for c in self.codebook_.contrasts])
        return self

    def _seeds(self) -> pd.DataFrame:
        position = {t: j for j, t in enumerate(self.vocabulary_)}
        rows = []
        for pole in self.codebook_.poles:
            found = []
            for term in pole.terms:
                features = self.lexicon_.features(term, targeted=False)
                if len(features) == 1 and features[0] in position and features[0] not in [f for _, f in found]:
                    found.append((term, features[0]))
            if not found:
                raise ValueError(f"no seed term of pole {pole.name!r} occurs in the corpus — "
                                 "LSS needs at least one seed per pole; fit on a larger corpus")
            rows += [dict(contrast=pole.contrast, pole=pole.name, term=t, feature=f, index=position[f],
                          weight=pole.sign / len(found)) for t, f in found]
        return pd.DataFrame(rows)

    def _polarity(self, seeds: pd.DataFrame) -> np.ndarray:
        cos = self.embedding_ @ self.embedding_[seeds["index"].to_numpy()].T
        return cos @ seeds["weight"].to_numpy()

    def _counts(self, X) -> sparse.csr_matrix:
        check_is_fitted(self, "polarity_")
        return self._count_units(_texts(X))

    def _count_units(self, units) -> sparse.csr_matrix:
        vec = _vectorizer("count", self.lexicon_, vocabulary=self.vocabulary_)
        return vec.fit_transform(units).tocsr()

    @staticmethod
    def _score(counts: sparse.csr_matrix, polarity: np.ndarray):
        n = np.asarray(counts.sum(axis=1)).ravel()
        with np.errstate(invalid="ignore", divide="ignore"):
            score = (counts @ polarity) / n[:, None]
            second = (counts @ polarity ** 2) / n[:, None]
            var = np.clip(second - score ** 2, 0, None)
            se = np.where(n[:, None] > 1, np.sqrt(var) / np.sqrt(n)[:, None], np.nan)
        score[n == 0] = np.nan
        return score, se, n

    def transform(self, X) -> np.ndarray:
        return self._transform(self._counts(X))

    def _transform(self, counts: sparse.csr_matrix) -> np.ndarray:
        score, se, n = self._score(counts, self.polarity_)
        columns = []
        for k, _ in enumerate(self.codebook_.contrasts):
            columns += [score[:, k], se[:, k]]
        return np.column_stack(columns + [n])

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        check_is_fitted(self, "polarity_")
        names = [n for c in self.codebook_.contrasts for n in (f"lss_{c}", f"lss_{c}_se")]
        return np.array(names + ["lss_terms"], dtype=object)

    def polar_terms(self, contrast: str, n: int = 15, include_seeds: bool = False) -> pd.DataFrame:
        """The ``n`` most polar terms towards each pole: ``pole, rank, term, polarity, frequency, seed``."""
        check_is_fitted(self, "polarity_")
        k = list(self.codebook_.contrasts).index(contrast)
        c = self.codebook_.contrasts[contrast]
        seeds = set(self.seeds_.loc[self.seeds_.contrast == contrast, "feature"])
        p = self.polarity_[:, k]
        keep = np.array([include_seeds or t not in seeds for t in self.vocabulary_])
        rows = []
        for pole, sign in ((c.negative.name, -1), (c.positive.name, 1)):
            order = [j for j in np.lexsort((self.vocabulary_, -sign * p)) if keep[j]][:n]
            rows += [dict(pole=pole, rank=r + 1, term=self.vocabulary_[j], polarity=p[j],
                          frequency=int(self.frequency_[j]), seed=self.vocabulary_[j] in seeds)
                     for r, j in enumerate(order)]
        return pd.DataFrame(rows, columns=["pole", "rank", "term", "polarity", "frequency", "seed"])

    def seed_stability(self, X, contrast: str) -> pd.DataFrame:
        """Leave-one-seed-out: unit scores without each seed, correlated with the full model.

        Returns one row per seed: ``pole, term, feature, r`` (Pearson correlation over the
        units of ``X`` that have a score) and ``max_shift`` (largest absolute change of a
        unit score). A pole's only seed cannot be left out (``r`` is NaN).
        """
        counts = self._counts(X)
        k = list(self.codebook_.contrasts).index(contrast)
        full = self._score(counts, self.polarity_[:, [k]])[0].ravel()
        seeds = self.seeds_[self.seeds_.contrast == contrast].reset_index(drop=True)
        rows = []
        for i, seed in seeds.iterrows():
            rest = seeds.drop(index=i)
            same = rest.pole == seed.pole
            r = shift = np.nan
            if same.any():
                rest = rest.assign(weight=np.where(same, np.sign(seed.weight) / same.sum(), rest.weight))
                loo = self._score(counts, self._polarity(rest)[:, None])[0].ravel()
                ok = ~np.isnan(full) & ~np.isnan(loo)
                if ok.sum() > 2:
                    r = float(np.corrcoef(full[ok], loo[ok])[0, 1])
                    shift = float(np.max(np.abs(full[ok] - loo[ok])))
            rows.append(dict(pole=seed.pole, term=seed.term, feature=seed.feature, r=r, max_shift=shift))
        return pd.DataFrame(rows, columns=["pole", "term", "feature", "r", "max_shift"])


# -- combination ---------------------------------------------------------------------


#: The attribute of :class:`FrameScorer` that holds each fitted measure.
_ATTRIBUTES = {"dict": "dictionary_", "tfidf": "prototypes_", "lss": "lss_", "sup": "supervised_"}


class FrameScorer(TransformerMixin, BaseEstimator):
    """The four measures fitted together, with the combined index and salience.

    Parameters
    ----------
    codebook : Codebook, path or None
    n_components, algorithm, random_state, context
        Passed to :class:`LatentScaler`.
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
                 index_measures=None, measures: str = "all"):
        self.codebook = codebook
        self.n_components = n_components
        self.algorithm = algorithm
        self.random_state = random_state
        self.context = context
        self.supervised = supervised
        self.exemplars = exemplars
        self.index_measures = index_measures
        self.measures = measures

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

        texts = _texts(X)
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
            self.dictionary_ = DictionaryScorer(self.codebook_).fit(texts)
        if "tfidf" in which:
            self.prototypes_ = PrototypeScorer(self.codebook_).fit(texts, exemplars=ex)
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

        texts = _texts(X)
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
            # each text is analysed once (matching, negation, masking) and shared by the lexicon measures
            lexicon = lexicon_of(self.codebook_)
            analyses = [lexicon.analyse(t) for t in texts]
            features = [lexicon.features(t, a) for t, a in zip(texts, analyses)]
            scorers = {"dict": (self.dictionary_, lambda: self.dictionary_._transform(analyses)),
                       "tfidf": (self.prototypes_, lambda: self.prototypes_._transform(features)),
                       "lss": (self.lss_, lambda: self.lss_._transform(self.lss_._count_units(features)))}
            blocks = [pd.DataFrame(values(), columns=est.get_feature_names_out())
                      for m, (est, values) in scorers.items() if m in self.measures_]
        if "dict" not in self.measures_:  # the word count weighs paragraphs in article means
            blocks.insert(0, pd.DataFrame({TOKENS: np.array([word_count(t) for t in texts], dtype=float)}))
        if self.supervised_ is not None:
            blocks.append(self.supervised_.transform_frame(texts))
        return pd.concat(blocks, axis=1)

    def transform(self, X) -> np.ndarray:
        return self.transform_frame(X).to_numpy(dtype=float)

    def transform_frame(self, X) -> pd.DataFrame:
        """Scores as a DataFrame: combined index and salience first, then every component."""
        check_is_fitted(self, "scale_")
        return self.combined(self.measure_columns(_texts(X)))

    def combined(self, parts: pd.DataFrame) -> pd.DataFrame:
        """Combined index, salience and standardised scores from the measures' columns."""
        head, z = {}, {}
        for c in self.codebook_.contrasts:
            for m in self.measures_:
                z[f"z_{m}_{c}"] = (parts[f"{m}_{c}"] - self.centre_[(m, c)]) / self.scale_[(m, c)]
            stacked = np.column_stack([z[f"z_{m}_{c}"] for m in self.index_measures_[c]])
            with np.errstate(all="ignore"), _quiet():
                head[f"{c}_index"] = np.nanmean(stacked, axis=1)
        for c in self.codebook_.contrasts:
            if self.supervised_ is not None:
                head[f"{c}_salience"] = parts[f"sup_{c}_salience"].to_numpy(dtype=float)
                continue
            sal = np.column_stack([parts[f"{m}_{c}_salience"] / self.salience_scale_[(m, c)]
                                   for m in ("dict", "tfidf")])
            with _quiet():
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


class _quiet:
    """Silence numpy's 'mean of empty slice' warning for rows with no finite value."""

    def __enter__(self):
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", category=RuntimeWarning)

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)


# -- tables for the study ------------------------------------------------------------

UNIT_KEYS = ("doc_id", "unit_id", "text")


def _check_units(paragraphs: pd.DataFrame) -> None:
    if not isinstance(paragraphs, pd.DataFrame):
        raise ValueError("paragraphs must be a DataFrame with columns doc_id, unit_id, text")
    missing = [c for c in UNIT_KEYS if c not in paragraphs.columns]
    if missing:
        raise ValueError(f"paragraphs has no column {missing[0]!r} — pass a table with doc_id, unit_id and text "
                         "(e.g. load_corpus().paragraphs)")
    if paragraphs["unit_id"].duplicated().any():
        dup = paragraphs.loc[paragraphs["unit_id"].duplicated(), "unit_id"].iloc[0]
        raise ValueError(f"unit_id {dup!r} occurs twice — give every paragraph its own unit_id")
    if paragraphs.empty:
        raise ValueError("paragraphs is empty — there is nothing to score")


def unit_scores(paragraphs: pd.DataFrame, scorer: FrameScorer) -> pd.DataFrame:
    """One row per paragraph: ``doc_id, unit_id, text``, the combined scores, then every component."""
    _check_units(paragraphs)
    units = paragraphs[list(UNIT_KEYS)].reset_index(drop=True)
    return pd.concat([units, scorer.transform_frame(units["text"].tolist())], axis=1)


TOKENS = "dict_tokens"


def unit_weights(units: pd.DataFrame, contrasts: Sequence[str]) -> pd.DataFrame:
    """Weights of each paragraph in article means: ``tokens`` and ``<c>_evidence``.

    ``tokens`` is the paragraph's word count; ``<c>_evidence = <c>_salience * tokens``
    is how much framing evidence on ``c`` it holds (for the dictionary, proportional to
    its number of seed matches).

    Examples
    --------
    >>> u = pd.DataFrame({"dict_tokens": [10, 1], "force_salience": [2.0, 0.0]})
    >>> unit_weights(u, ["force"]).to_dict("list")
    {'tokens': [10.0, 1.0], 'force_evidence': [20.0, 0.0]}
    """
    tokens = units[TOKENS].astype(float)
    out = {"tokens": tokens}
    out.update({f"{c}_evidence": units[f"{c}_salience"].astype(float) * tokens for c in contrasts})
    return pd.DataFrame(out, index=units.index)


def column_weights(columns: Sequence[str], contrasts: Sequence[str]) -> dict[str, str]:
    """``{column: weight column}``: positions on ``c`` by ``<c>_evidence``, everything else by ``tokens``.

    Examples
    --------
    >>> column_weights(["force_index", "dict_force", "dict_credibility", "z_lss_force"], ["force"])
    {'force_index': 'force_evidence', 'dict_force': 'force_evidence', 'dict_credibility': 'tokens', 'z_lss_force': 'force_evidence'}
    """
    positions = {f"{c}_index": c for c in contrasts}
    positions.update({f"{m}_{c}": c for c in contrasts for m in MEASURES})
    positions.update({f"z_{m}_{c}": c for c in contrasts for m in MEASURES})
    return {col: f"{positions[col]}_evidence" if col in positions else "tokens" for col in columns}


def doc_scores(units: pd.DataFrame, contrasts: Sequence[str], *, n_boot: int = config.N_BOOT,
               confidence: float = config.CONFIDENCE, seed: int = config.SEED) -> pd.DataFrame:
    """Article scores with paragraph-bootstrap percentile intervals.

    Columns: ``doc_id``, for each contrast ``<c>_index, <c>_low, <c>_high``, then
    ``<c>_salience`` (with ``_low``/``_high``), ``n_units``, then every measure column
    with its ``_low``/``_high``.

    An article is the sum of its paragraphs. Its *position* on a contrast (the combined
    index, each measure's index and its standardised form) is the mean of its
    paragraphs' positions weighted by their evidence on that contrast (salience times
    length), so that paragraphs silent on the contrast do not pull the article towards
    zero and a one-line heading does not outweigh a paragraph. Every other column
    (saliences, pole rates, similarities) is the length-weighted mean, which for the
    dictionary rates is the article's pooled rate.
    """
    skip = set(UNIT_KEYS) | {TOKENS, "lss_terms"}
    columns = [c for c in units.columns if c not in skip and not c.endswith("_se")]
    table = group_intervals(pd.concat([units, unit_weights(units, contrasts)], axis=1), columns, group="doc_id",
                            weights=column_weights(columns, contrasts), n_boot=n_boot, confidence=confidence,
                            seed=seed)
    renamed = {}
    for c in contrasts:
        renamed.update({f"{c}_index_low": f"{c}_low", f"{c}_index_high": f"{c}_high"})
    table = table.rename(columns=renamed)
    first = ["doc_id"] + [x for c in contrasts for x in (f"{c}_index", f"{c}_low", f"{c}_high")]
    first += [f"{c}_salience" for c in contrasts] + [x for c in contrasts
                                                     for x in (f"{c}_salience_low", f"{c}_salience_high")]
    first += ["n_units"]
    return table[first + [c for c in table.columns if c not in first]]


def score_corpus(paragraphs: pd.DataFrame, codebook=None, *, scorer: FrameScorer | None = None,
                 n_boot: int = config.N_BOOT, confidence: float = config.CONFIDENCE,
                 seed: int = config.SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score paragraphs and articles: the study's ``unit_scores`` and ``doc_scores`` tables.

    Parameters
    ----------
    paragraphs : DataFrame
        ``doc_id, unit_id, text``, one row per paragraph.
    codebook : Codebook, path or None
        Used when ``scorer`` is None to fit a :class:`FrameScorer` on ``paragraphs``.
    scorer : FrameScorer, optional
        An already fitted scorer (e.g. fitted on the study corpus, to score new text).
    n_boot, confidence, seed
        Paragraph bootstrap within each article (:func:`analysis.uncertainty.group_intervals`).

    Returns
    -------
    unit_scores, doc_scores : DataFrame
    """
    _check_units(paragraphs)
    if scorer is None:
        scorer = FrameScorer(codebook).fit(paragraphs["text"].tolist())
    units = unit_scores(paragraphs, scorer)
    docs = doc_scores(units, list(scorer.codebook_.contrasts), n_boot=n_boot, confidence=confidence, seed=seed)
    return units, docs


def doc_differences(units: pd.DataFrame, contrasts: Sequence[str], *, n_perm: int = config.N_PERM,
                    n_boot: int = config.N_BOOT, confidence: float = config.CONFIDENCE,
                    seed: int = config.SEED) -> pd.DataFrame:
    """Every pairwise article difference on each combined index, with interval, p and BH q.

    Positions are evidence-weighted as in :func:`doc_scores`; q-values control the false
    discovery rate across every row of the table (all contrasts together).
    """
    columns = [f"{c}_index" for c in contrasts]
    table = pd.concat([units, unit_weights(units, contrasts)], axis=1)
    return pairwise_differences(table, columns, group="doc_id", weights=column_weights(columns, contrasts),
                                n_perm=n_perm, n_boot=n_boot, confidence=confidence, seed=seed)


def measures_in(table: pd.DataFrame, contrast: str) -> list[str]:
    """The measures of :data:`MEASURES` whose scores on ``contrast`` are columns of ``table``.

    Examples
    --------
    >>> measures_in(pd.DataFrame(columns=["dict_force", "lss_force"]), "force")
    ['dict', 'lss']
    """
    return [m for m in MEASURES if f"{m}_{contrast}" in table.columns]


def measure_agreement(units: pd.DataFrame, contrast: str) -> tuple[pd.DataFrame, pd.Series]:
    """Do the measures agree on the side of a *framed* paragraph?

    A paragraph is framed on ``contrast`` when the dictionary finds at least one
    (non-negated) seed of either pole in it (``dict_<c>_salience > 0``). The side each
    measure gives is the sign of its index (the LSS score centred on the corpus mean,
    i.e. the sign of ``z_lss_<c>``).

    Returns
    -------
    table : DataFrame
        The framed paragraphs with each measure's sign and ``agree`` (all the same
        non-zero sign).
    summary : Series
        ``framed``, ``agree`` (count), ``share`` and the pairwise agreement shares.
    """
    framed = units[units[f"dict_{contrast}_salience"] > 0]
    measures = measures_in(units, contrast)
    signs = pd.DataFrame({m: np.sign(framed[f"z_{m}_{contrast}"]) for m in measures}, index=framed.index)
    agree = (signs.nunique(axis=1) == 1) & (signs["dict"] != 0) & signs.notna().all(axis=1)
    table = pd.concat([framed[["doc_id", "unit_id", "text"]], signs.add_prefix("sign_"),
                       agree.rename("agree")], axis=1)
    n = len(framed)
    summary = {"framed": n, "agree": int(agree.sum()), "share": agree.mean() if n else np.nan}
    for a, b in itertools.combinations(measures, 2):
        summary[f"{a}_{b}"] = (signs[a] == signs[b]).mean() if n else np.nan
    return table, pd.Series(summary, name=contrast)


def pole_classes(units: pd.DataFrame, codebook: Codebook, contrast: str) -> pd.Series:
    """Label each framed paragraph with the pole its combined index leans to ("" when unframed)."""
    c = codebook.contrasts[contrast]
    framed = units[f"dict_{contrast}_salience"] > 0
    side = np.where(units[f"{contrast}_index"] >= 0, c.positive.name, c.negative.name)
    return pd.Series(np.where(framed, side, ""), index=units.index, name=f"{contrast}_pole")


def measure_table(docs: pd.DataFrame, contrast: str, standardised: bool = False) -> pd.DataFrame:
    """Each measure's article position on ``contrast`` with its interval, one row per article.

    Columns ``doc_id`` and, per measure ``m``, ``m``, ``m_low``, ``m_high`` (the raw index,
    or its standardised form ``z_<m>_<c>`` when ``standardised``), then the combined index.

    Examples
    --------
    >>> d = pd.DataFrame({"doc_id": ["a"], "force_index": [1.0], "force_low": [0.0], "force_high": [2.0],
    ...                   **{f"{m}_force{s}": [0.5] for m in MEASURES for s in ("", "_low", "_high")}})
    >>> measure_table(d, "force").columns.tolist()[:4]
    ['doc_id', 'dict', 'dict_low', 'dict_high']
    """
    out = {"doc_id": docs["doc_id"]}
    for m in measures_in(docs, contrast):
        col = f"z_{m}_{contrast}" if standardised else f"{m}_{contrast}"
        out.update({m: docs[col], f"{m}_low": docs[f"{col}_low"], f"{m}_high": docs[f"{col}_high"]})
    out.update({"combined": docs[f"{contrast}_index"], "combined_low": docs[f"{contrast}_low"],
                "combined_high": docs[f"{contrast}_high"]})
    return pd.DataFrame(out).reset_index(drop=True)


def seed_concordance(units: pd.DataFrame, codebook: Codebook, pole: str, width: int = 90) -> pd.DataFrame:
    """Keyword-in-context lines of a pole's seed terms (nltk's concordance, matched on stems).

    Each line says whether the dictionary counted the occurrence: ``counted``, ``negated``,
    ``off target`` (no target word near it, when the contrast has a target window),
    ``false friend`` (inside a masked phrase) or ``within a longer term``.

    Parameters
    ----------
    units : DataFrame with ``unit_id`` and ``text``
    codebook : Codebook
    pole : str
    width : int
        Characters per concordance line.

    Returns
    -------
    DataFrame
        ``unit_id, term, line, status``.
    """
    from nltk.text import ConcordanceIndex

    lexicon = Lexicon(codebook)
    terms = codebook.pole(pole).terms
    rows = []
    for unit_id, text in zip(units["unit_id"], units["text"]):
        spans, masked, matches = lexicon.analyse(text)
        words = [w for _, _, w in spans]
        if not words:
            continue
        index = ConcordanceIndex(words, key=stem)
        by_first = {m.first: m for m in matches}
        for term in terms:
            for line in index.find_concordance([w for _, _, w in word_spans(term)], width=width):
                hit = by_first.get(line.offset)
                if masked[line.offset]:
                    status = "false friend"
                elif hit is None or hit.term != term:
                    status = "within a longer term"
                else:
                    status = "negated" if hit.negated else "off target" if hit.off_target else "counted"
                rows.append(dict(unit_id=unit_id, term=term, line=line.line, status=status))
    return pd.DataFrame(rows, columns=["unit_id", "term", "line", "status"])


def top_units(units: pd.DataFrame, codebook: Codebook, n: int = 3) -> pd.DataFrame:
    """The ``n`` paragraphs scoring furthest towards each pole (combined index)."""
    rows = []
    for c in codebook.contrasts.values():
        for pole in c.poles:
            order = units.sort_values([f"{c.name}_index", "unit_id"], ascending=[pole.sign < 0, True]).head(n)
            rows.append(order.assign(pole=pole.name)[["pole", "unit_id", f"{c.name}_index",
                                                      f"{c.name}_salience", "text"]]
                        .rename(columns={f"{c.name}_index": "index", f"{c.name}_salience": "salience"}))
    return pd.concat(rows, ignore_index=True)
