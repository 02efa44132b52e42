"""The framing codebook: contrasts, poles, seed terms, false friends and negation rules.

The codebook is versioned data (``corpus/codebook.toml``), read with the standard
library's :mod:`tomllib` and validated when loaded. Every problem is reported as
``path[:line]: problem — fix`` naming the field, so an edited codebook never fails
with a traceback deep inside a measure.

Terms are normalised the way the measures match them: lowercase words (a hyphen
separates words, a possessive ``'s`` is dropped), each reduced to its Snowball stem.
Two terms with the same normalised form are duplicates.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from . import config
from .errors import InputError, Problem
from .words import term_key, term_words, word_spans

CODEBOOK_FILE = "codebook.toml"
SCHEMA = 1
DEFINITION_FIELDS = ("problem", "cause", "evaluation", "remedy")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


def default_path() -> Path:
    """The study's codebook, ``corpus/codebook.toml``."""
    return config.CORPUS_DIR / CODEBOOK_FILE


@dataclass(frozen=True)
class Definition:
    """A pole in Entman's (1993) four framing functions."""

    problem: str
    cause: str
    evaluation: str
    remedy: str

    def text(self) -> str:
        """The four functions as one passage."""
        return " ".join(getattr(self, f) for f in DEFINITION_FIELDS)


@dataclass(frozen=True)
class Pole:
    """One end of a contrast; ``sign`` is -1 for the negative pole and +1 for the positive."""

    name: str
    contrast: str
    sign: int
    label: str
    definition: Definition
    indicators: tuple[str, ...]
    seeds: tuple[str, ...]
    multiword: tuple[str, ...]
    references: tuple[str, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        """Seed words followed by multiword expressions."""
        return self.seeds + self.multiword

    def prototype(self) -> str:
        """Definition, indicators and terms as one text (the pole's prototype document)."""
        return " ".join([self.definition.text(), *self.indicators, *self.terms])


@dataclass(frozen=True)
class Contrast:
    """A framing contrast between a negative and a positive pole."""

    name: str
    label: str
    question: str
    negative: Pole
    positive: Pole
    references: tuple[str, ...]
    #: Words naming what the contrast is about (matched on stems); see ``target_window``.
    targets: tuple[str, ...] = ()
    #: With a window w > 0, a seed match counts for this contrast only when one of the
    #: ``targets`` lies within w words of it (Watanabe 2021's target-word contexts);
    #: 0 counts every match.
    target_window: int = 0

    @property
    def poles(self) -> tuple[Pole, Pole]:
        return (self.negative, self.positive)


@dataclass(frozen=True)
class FalseFriend:
    """A phrase masked before counting; ``case_sensitive`` matches the exact spelling only."""

    phrase: str
    reason: str
    case_sensitive: bool = False


@dataclass(frozen=True)
class Negation:
    """Negation cues, pseudo-negations, scope terminators and the scope window."""

    cues: tuple[str, ...]
    pseudo: tuple[str, ...]
    terminators: tuple[str, ...]
    window: int
    rule: str
    references: tuple[str, ...]


@dataclass(frozen=True)
class Codebook:
    """A validated codebook; build it with :func:`load_codebook`."""

    version: str
    title: str
    description: str
    contrasts: dict[str, Contrast]
    false_friends: tuple[FalseFriend, ...]
    negation: Negation
    references: dict[str, str]
    path: Path | None = None

    @property
    def poles(self) -> list[Pole]:
        """Every pole, contrast by contrast, negative first."""
        return [pole for contrast in self.contrasts.values() for pole in contrast.poles]

    def pole_names(self) -> dict[str, tuple[str, str]]:
        """``{contrast: (negative pole, positive pole)}``, by name.

        Examples
        --------
        >>> load_codebook().pole_names()["force"]
        ('deterrence', 'credibility')
        """
        return {c: (con.negative.name, con.positive.name) for c, con in self.contrasts.items()}

    def pole(self, name: str) -> Pole:
        """The pole called ``name``."""
        for pole in self.poles:
            if pole.name == name:
                return pole
        raise KeyError(f"no pole {name!r}; the codebook has {[p.name for p in self.poles]}")

    def seed_terms(self, contrast: str | None = None) -> dict[str, list[str]]:
        """``{pole: [seed words and multiword expressions]}``, for one contrast or all.

        Examples
        --------
        >>> cb = load_codebook()
        >>> sorted(cb.seed_terms("alliance"))
        ['ideological', 'transactional']
        """
        contrasts = [self.contrasts[contrast]] if contrast else list(self.contrasts.values())
        return {p.name: list(p.terms) for c in contrasts for p in c.poles}

    def citation(self, key: str) -> str:
        """The full reference for ``key``."""
        return self.references[key]


def with_target_window(codebook: Codebook, contrast: str, window: int) -> Codebook:
    """A copy of ``codebook`` in which ``contrast`` counts a seed only within ``window``
    words of one of its targets (0: every seed counts).

    Examples
    --------
    >>> cb = with_target_window(load_codebook(), "alliance", 10)
    >>> cb.contrasts["alliance"].target_window, load_codebook().contrasts["alliance"].target_window
    (10, 0)
    """
    if contrast not in codebook.contrasts:
        raise ValueError(f"no contrast {contrast!r}; the codebook has {sorted(codebook.contrasts)}")
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        raise ValueError(f"window must be a whole number of words >= 0, not {window!r}")
    if window and not codebook.contrasts[contrast].targets:
        raise ValueError(f"contrast {contrast!r} lists no targets — add targets = [...] to its table in the codebook")
    contrasts = dict(codebook.contrasts)
    contrasts[contrast] = replace(contrasts[contrast], target_window=window)
    return replace(codebook, contrasts=contrasts)


def pole_seeds(codebook: Codebook | None = None, contrast: str | None = None) -> dict[str, list[str]]:
    """``{pole: [seed terms]}`` of the study codebook (or of ``codebook``).

    Examples
    --------
    >>> "marriage of convenience" in pole_seeds()["transactional"]
    True
    """
    return (codebook or load_codebook()).seed_terms(contrast)


# -- validation --------------------------------------------------------------------


class _Checker:
    """Collects problems while reading the parsed TOML, locating lines where it can."""

    def __init__(self, path: Path, text: str):
        self.path = path
        self.lines = text.splitlines()
        self.problems: list[Problem] = []

    def line_of(self, table: str, key: str | None = None) -> int | None:
        if table:
            header = re.compile(r"^\s*\[\[?\s*" + re.escape(table) + r"\s*\]\]?\s*(#.*)?$")
            start = next((i for i, line in enumerate(self.lines) if header.match(line)), None)
            if start is None:
                return None
        else:
            start = -1
        if key is None:
            return start + 1
        keyline = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for i in range(start + 1, len(self.lines)):
            if self.lines[i].lstrip().startswith("["):
                break
            if keyline.match(self.lines[i]):
                return i + 1
        return start + 1 if table else None

    def add(self, table: str, key: str | None, problem: str, fix: str) -> None:
        field = ".".join(part for part in (table, key) if part)
        self.problems.append(Problem(self.path, f"{field}: {problem}", fix, line=self.line_of(table, key)))

    def text(self, data: dict, table: str, key: str, required: bool = True) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.add(table, key, "missing field", f"add {key} = \"...\" to [{table}]")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(table, key, "must be a non-empty string", f"write the {key} as text")
            return ""
        return value.strip()

    def strings(self, data: dict, table: str, key: str, required: bool = True) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            if required:
                self.add(table, key, "missing field", f"add {key} = [\"...\"] to [{table}]")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.add(table, key, "must be a list of non-empty strings", f"write {key} as [\"...\", \"...\"]")
            return ()
        if required and not value:
            self.add(table, key, "is empty", f"list at least one entry in {key}")
        return tuple(v.strip() for v in value)

    def table(self, data: dict, table: str, key: str) -> dict:
        value = data.get(key)
        if not isinstance(value, dict):
            self.add(table, key, "missing table" if value is None else "must be a table",
                     f"add a [{table}.{key}] table")
            return {}
        return value


def _pole(ck: _Checker, contrast: str, name: str, sign: int, data: dict, refs: dict) -> Pole:
    table = f"contrasts.{contrast}.poles.{name}"
    definition_data = ck.table(data, table, "definition")
    definition = Definition(*(ck.text(definition_data, f"{table}.definition", f) for f in DEFINITION_FIELDS)
                            ) if definition_data else Definition("", "", "", "")
    seeds = ck.strings(data, table, "seeds")
    multiword = ck.strings(data, table, "multiword", required=False)
    for term in seeds:
        if not term_words(term) or re.search(r"\s", term):
            ck.add(table, "seeds", f"'{term}' is not a single word", "move it to multiword")
    for term in multiword:
        if len(term_words(term)) < 2:
            ck.add(table, "multiword", f"'{term}' has fewer than two words", "move it to seeds")
    references = ck.strings(data, table, "references")
    for key in references:
        if key not in refs:
            ck.add(table, "references", f"unknown reference '{key}'", "add it to [references] or fix the key")
    return Pole(name=name, contrast=contrast, sign=sign, label=ck.text(data, table, "label"),
                definition=definition, indicators=ck.strings(data, table, "indicators"),
                seeds=seeds, multiword=multiword, references=references)


def _contrast(ck: _Checker, name: str, data: dict, refs: dict) -> Contrast | None:
    table = f"contrasts.{name}"
    if not _NAME.fullmatch(name):
        ck.add(table, None, f"contrast name '{name}' is not a lowercase identifier",
               "use lowercase letters, digits and underscores (it names output columns)")
    negative = ck.text(data, table, "negative")
    positive = ck.text(data, table, "positive")
    poles = ck.table(data, table, "poles")
    if negative and negative == positive:
        ck.add(table, "positive", f"both poles are '{negative}'", "give the two poles different names")
    for pole in sorted(poles):
        if pole not in (negative, positive):
            ck.add(f"{table}.poles.{pole}", None, f"unknown pole '{pole}' (the contrast's poles are "
                   f"'{negative}' and '{positive}')", "rename the table or set negative/positive to name it")
    built = []
    for pole, sign in ((negative, -1), (positive, +1)):
        if not pole:
            continue
        if not _NAME.fullmatch(pole):
            ck.add(table, "negative" if sign < 0 else "positive", f"pole name '{pole}' is not a lowercase identifier",
                   "use lowercase letters, digits and underscores")
        if pole not in poles:
            if poles:
                ck.add(table, "poles", f"pole '{pole}' has no table", f"add [{table}.poles.{pole}]")
            continue
        if not isinstance(poles[pole], dict):
            ck.add(f"{table}.poles", pole, "must be a table", f"add [{table}.poles.{pole}]")
            continue
        built.append(_pole(ck, name, pole, sign, poles[pole], refs))
    label = ck.text(data, table, "label")
    question = ck.text(data, table, "question")
    references = ck.strings(data, table, "references")
    for key in references:
        if key not in refs:
            ck.add(table, "references", f"unknown reference '{key}'", "add it to [references] or fix the key")
    targets = ck.strings(data, table, "targets", required=False)
    for target in targets:
        if len(word_spans(target)) != 1:
            ck.add(table, "targets", f"target '{target}' is not one word",
                   "list single words; a target is matched on its stem, anywhere in the window")
    window = data.get("target_window", 0)
    if isinstance(window, bool) or not isinstance(window, int) or window < 0:
        ck.add(table, "target_window", f"must be a whole number of words >= 0, not {window!r}",
               "write 0 to count every match, or e.g. 10")
        window = 0
    elif window > 0 and not targets:
        ck.add(table, "target_window", f"is {window} but the contrast lists no targets",
               "add targets = [\"...\"] or set target_window = 0")
    if len(built) != 2:
        return None
    return Contrast(name=name, label=label, question=question, negative=built[0], positive=built[1],
                    references=references, targets=targets, target_window=window)


def _negation(ck: _Checker, data: dict, refs: dict) -> Negation:
    cues = ck.strings(data, "negation", "cues")
    window = data.get("window")
    if not isinstance(window, int) or isinstance(window, bool) or window < 1:
        ck.add("negation", "window", f"must be a positive whole number of tokens, not {window!r}",
               "set window = 5 (the NegEx default)")
        window = 1
    references = ck.strings(data, "negation", "references", required=False)
    for key in references:
        if key not in refs:
            ck.add("negation", "references", f"unknown reference '{key}'", "add it to [references] or fix the key")
    return Negation(cues=cues, pseudo=ck.strings(data, "negation", "pseudo", required=False),
                    terminators=ck.strings(data, "negation", "terminators", required=False),
                    window=window, rule=ck.text(data, "negation", "rule"), references=references)


def _false_friends(ck: _Checker, entries) -> tuple[FalseFriend, ...]:
    if entries is None:
        return ()
    if not isinstance(entries, list):
        ck.add("false_friends", None, "must be an array of tables", "write each as [[false_friends]]")
        return ()
    out = []
    for i, entry in enumerate(entries, start=1):
        where = f"false_friends[{i}]"
        if not isinstance(entry, dict):
            ck.add(where, None, "must be a table", "write it as [[false_friends]] with phrase = \"...\"")
            continue
        phrase = ck.text(entry, where, "phrase")
        reason = ck.text(entry, where, "reason")
        case_sensitive = entry.get("case_sensitive", False)
        if not isinstance(case_sensitive, bool):
            ck.add(where, "case_sensitive", "must be true or false", "write case_sensitive = true")
            case_sensitive = False
        if phrase and not term_words(phrase):
            ck.add(where, "phrase", f"'{phrase}' contains no word", "write the phrase in letters")
        if phrase:
            out.append(FalseFriend(phrase, reason, case_sensitive))
    return tuple(out)


def _check_terms(ck: _Checker, codebook_contrasts: list[Contrast], false_friends) -> None:
    """No term twice (after stemming) and no seed that is also a false friend."""
    seen: dict[tuple[str, ...], str] = {}
    for contrast in codebook_contrasts:
        for pole in contrast.poles:
            for field, terms in (("seeds", pole.seeds), ("multiword", pole.multiword)):
                for term in terms:
                    key = term_key(term)
                    table = f"contrasts.{contrast.name}.poles.{pole.name}"
                    if key in seen:
                        ck.add(table, field, f"'{term}' duplicates {seen[key]} (same stems {' '.join(key)})",
                               "keep one of the two")
                    else:
                        seen[key] = f"'{term}' of pole {pole.name}"
    for friend in false_friends:
        if not friend.case_sensitive and term_key(friend.phrase) in seen:
            ck.add("false_friends", None, f"'{friend.phrase}' is also a seed ({seen[term_key(friend.phrase)]})",
                   "remove it from one of the two lists")


def parse_codebook(data: dict, path: str | Path = "<codebook>", text: str = "") -> Codebook:
    """Validate parsed TOML ``data`` and build a :class:`Codebook`.

    Parameters
    ----------
    data : dict
        The parsed TOML document.
    path : str or Path
        Named in error messages.
    text : str
        The TOML source, used only to give problems a line number.

    Raises
    ------
    InputError
        Every problem found, each naming the field and the fix.
    """
    path = Path(path)
    ck = _Checker(path, text)
    if data.get("schema") != SCHEMA:
        ck.add("", "schema", f"unsupported schema {data.get('schema')!r}", f"set schema = {SCHEMA} at the top")
    version = ck.text(data, "", "version")
    refs = data.get("references", {})
    if not isinstance(refs, dict) or not refs or not all(isinstance(v, str) and v.strip() for v in refs.values()):
        ck.add("references", None, "must be a table of key = \"full reference\"",
               "add a [references] table with one full reference per key")
        refs = refs if isinstance(refs, dict) else {}
    contrasts_data = data.get("contrasts")
    contrasts = []
    if not isinstance(contrasts_data, dict) or not contrasts_data:
        ck.add("contrasts", None, "no contrast defined", "add at least one [contrasts.<name>] table")
    else:
        for name, body in contrasts_data.items():
            if not isinstance(body, dict):
                ck.add("contrasts", name, "must be a table", f"add a [contrasts.{name}] table")
                continue
            contrast = _contrast(ck, name, body, refs)
            if contrast is not None:
                contrasts.append(contrast)
    pole_names = [p.name for c in contrasts for p in c.poles]
    for name in sorted({n for n in pole_names if pole_names.count(n) > 1}):
        ck.add("contrasts", None, f"pole name '{name}' is used by more than one contrast",
               "give every pole a unique name")
    negation_data = data.get("negation")
    if not isinstance(negation_data, dict):
        ck.add("negation", None, "missing table", "add a [negation] table with cues, window and rule")
        negation_data = {}
    negation = _negation(ck, negation_data, refs)
    false_friends = _false_friends(ck, data.get("false_friends"))
    _check_terms(ck, contrasts, false_friends)
    if ck.problems:
        raise InputError(ck.problems)
    return Codebook(version=version, title=str(data.get("title", "")).strip(),
                    description=str(data.get("description", "")).strip(),
                    contrasts={c.name: c for c in contrasts}, false_friends=false_friends,
                    negation=negation, references=dict(refs), path=path)


_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and validate a codebook file (default: the study's ``corpus/codebook.toml``).

    Raises
    ------
    InputError
        When the file is missing, unreadable, not UTF-8, not valid TOML, or fails
        validation; each problem names the field (and line, when known) and the fix.

    Examples
    --------
    >>> cb = load_codebook()
    >>> [(c.negative.name, c.positive.name) for c in cb.contrasts.values()]
    [('transactional', 'ideological'), ('deterrence', 'credibility')]
    """
    path = Path(path) if path is not None else default_path()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(Problem(path, f"cannot read the codebook ({exc.strerror})",
                                 "check the path; the study's codebook is corpus/codebook.toml")) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(path, f"not valid UTF-8 at byte offset {exc.start}", "re-save the file as UTF-8",
                                 line=data.count(b"\n", 0, exc.start) + 1)) from None
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        raise InputError(Problem(path, f"not valid TOML ({_TOML_LINE.sub('', str(exc)).strip()})",
                                 "fix the TOML syntax", line=int(found.group(1)) if found else None)) from None
    return parse_codebook(parsed, path, text)


def as_codebook(codebook: "Codebook | str | Path | None") -> "Codebook":
    """``codebook`` itself when it is a :class:`Codebook`, else :func:`load_codebook` of it
    (a path, or None for the study's)."""
    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)


def corpus_codebook(corpus_dir: str | Path | None = None) -> Codebook:
    """The codebook of a corpus folder: its own ``codebook.toml`` if it has one, else the study's.

    Examples
    --------
    >>> corpus_codebook().version == load_codebook().version
    True
    """
    if corpus_dir is not None and (Path(corpus_dir) / CODEBOOK_FILE).exists():
        return load_codebook(Path(corpus_dir) / CODEBOOK_FILE)
    return load_codebook()


def codebook_check(corpus_dir: str | Path) -> list[Problem]:
    """Problems of ``<corpus_dir>/codebook.toml``; none when the folder has no codebook.

    A corpus without its own codebook is measured with the study's codebook.
    """
    path = Path(corpus_dir) / CODEBOOK_FILE
    if not path.exists():
        return []
    try:
        load_codebook(path)
    except InputError as exc:
        return exc.problems
    return []


def codebook_table(codebook: Codebook) -> pd.DataFrame:
    """One row per pole: its contrast, side, label, the four framing functions and terms.

    Examples
    --------
    >>> codebook_table(load_codebook())[["contrast", "pole", "side"]].iloc[0].tolist()
    ['alliance', 'transactional', 'negative']
    """
    rows = []
    for contrast in codebook.contrasts.values():
        for pole in contrast.poles:
            rows.append(dict(contrast=contrast.name, pole=pole.name,
                             side="negative" if pole.sign < 0 else "positive", label=pole.label,
                             **{f: getattr(pole.definition, f) for f in DEFINITION_FIELDS},
                             indicators="; ".join(pole.indicators), seeds=", ".join(pole.seeds),
                             multiword=", ".join(pole.multiword), references=", ".join(pole.references)))
    return pd.DataFrame(rows)


def references_table(codebook: Codebook) -> pd.DataFrame:
    """The codebook's literature, one full reference per key, sorted by key."""
    return pd.DataFrame(sorted(codebook.references.items()), columns=["key", "reference"])
