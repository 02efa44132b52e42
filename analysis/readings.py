"""A reader's expectations about a corpus, kept as data: ``<corpus>/readings.toml``.

Notebooks 02, 05 and 07 read the articles of a corpus in prose. What a researcher
expected before the measures ran, which articles they group, which words and phrases
they follow, and what they would say about an article in words are not code: they are
this file, checked like the rest of the corpus (``python -m analysis validate``). Every
number a reading cites is computed by :mod:`analysis.narrative`; the file only says
*what* to look at and adds the researcher's own words (``note``). A corpus without the
file gets readings computed from its own results, never silence.

The file (every part optional)::

    [notes]                      # words added to a computed reading of notebook 02
    tfidf = "…"                  # after the TF-IDF reading
    collocations = "…"
    concordances = "…"

    phrases = ["axis of resistance"]   # followed in collocations and concordances
    words = ["retaliation"]            # counted beside the concordances

    [[grouping]]                 # articles pooled and compared in notebook 02
    target = "east"
    target_docs = ["tribune-2021", "herald-2018"]
    reference = "west"
    reference_docs = ["courier-2023"]
    note = "…"

    [[term]]                     # a word read against the rest in one article (notebook 02)
    doc = "tribune-2021"
    term = "ideological"
    note = "…"

    [[article]]                  # the researcher's words about one article
    doc = "courier-2023"
    terms = ["strike"]           # key terms whose counts the vocabulary reading cites
    vocabulary = "…"             # notebook 02
    framing = { force = "…" }    # notebook 05, per contrast

    [[expectation]]              # notebook 05: expected before the measures ran
    kind = "most"                # "leans", "most" or "more" (see below)
    pole = "ideological"
    a = "tribune-2021"
    label = "tribune-2021 is the most ideological"   # optional
    note = "…"                   # read when the expectation fails

    [[claim]]                    # notebook 07: the claims tested in the multiverse
    kind = "leans"
    pole = "transactional"
    a = "ledger-2019"

The kinds read the same way in both tables, with one difference of strictness: an
expectation of kind "leans" is met when the article's 95% interval lies wholly on the
pole's side of zero (notebook 05 reads one estimate and its uncertainty), while a claim of
kind "leans" holds in a specification when the article's estimate is on that side (notebook
07 counts the specifications in which it does; :mod:`analysis.claims`). "most" and "more"
compare estimates in both.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .claims import KINDS
from .errors import InputError, Problem

#: The file, inside a corpus folder.
READINGS_FILE = "readings.toml"
#: Notes that a computed reading of notebook 02 may carry.
NOTE_KEYS = ("tfidf", "collocations", "concordances")

#: Fields of each array of tables: (required, optional).
_ENTRIES = {
    "grouping": ({"target", "target_docs", "reference", "reference_docs"}, {"note"}),
    "term": ({"doc", "term"}, {"note"}),
    "article": ({"doc"}, {"terms", "vocabulary", "framing"}),
    "expectation": ({"kind", "pole", "a"}, {"b", "label", "note"}),
    "claim": ({"kind", "pole", "a"}, {"b", "label"}),
}
_TOP = {"notes", "phrases", "words", *_ENTRIES}
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")


@dataclass(frozen=True)
class Grouping:
    """Two sets of articles compared with each other (notebook 02)."""

    target: str
    target_docs: tuple[str, ...]
    reference: str
    reference_docs: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class TermReading:
    """A word read against the rest of the corpus in one article (notebook 02)."""

    doc: str
    term: str
    note: str = ""


@dataclass(frozen=True)
class ArticleNote:
    """The researcher's words about one article and the terms they cite."""

    doc: str
    terms: tuple[str, ...] = ()
    vocabulary: str = ""
    framing: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Readings:
    """The readings of a corpus; :func:`load_readings` builds it (an empty one without a file)."""

    path: Path | None = None
    notes: dict = field(default_factory=dict)
    phrases: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    groupings: tuple[Grouping, ...] = ()
    terms: tuple[TermReading, ...] = ()
    articles: dict = field(default_factory=dict)
    expectations: tuple[dict, ...] = ()
    claims: tuple[dict, ...] = ()

    def note(self, key: str) -> str:
        """The note on a reading of notebook 02 (``tfidf``, ``collocations``, ``concordances``), or ``""``."""
        return self.notes.get(key, "")

    def groups(self) -> dict[str, list[str]]:
        """``{group name: [doc_id, …]}`` of every grouping, for :func:`analysis.keyness.keyness_table`."""
        out: dict[str, list[str]] = {}
        for g in self.groupings:
            out[g.target] = list(g.target_docs)
            out[g.reference] = list(g.reference_docs)
        return out

    def group_contrasts(self) -> list[tuple[str, str]]:
        """``[(target, reference), …]``, one per grouping."""
        return [(g.target, g.reference) for g in self.groupings]


def _header_line(text: str, name: str, index: int) -> int | None:
    """Line of the ``index``-th ``[[name]]`` header (or of ``name =`` / ``[name]`` when ``index`` is -1)."""
    if index < 0:
        pattern = re.compile(rf"^[ \t]*(\[{re.escape(name)}\]|{re.escape(name)}\s*=)", re.MULTILINE)
        found = pattern.search(text)
        return text.count("\n", 0, found.start()) + 1 if found else None
    headers = list(re.finditer(rf"^[ \t]*\[\[[ \t]*{re.escape(name)}[ \t]*\]\]", text, re.MULTILINE))
    return text.count("\n", 0, headers[index].start()) + 1 if index < len(headers) else None


def _strings(value) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _entry_problems(path: Path, text: str, name: str, i: int, raw, doc_ids: set[str],
                    poles: set[str], contrasts: set[str]) -> list[Problem]:
    """Problems of the ``i``-th ``[[name]]`` entry."""
    line = _header_line(text, name, i)
    where = f"[[{name}]] {i + 1}"
    if not isinstance(raw, dict):
        return [Problem(path, f"{where} is not a table", f"write it as [[{name}]] with key = value lines", line)]
    required, optional = _ENTRIES[name]
    problems = [Problem(path, f"{where} has no field {f!r}", f"add {f} = …", line)
                for f in sorted(required - set(raw))]
    problems += [Problem(path, f"{where} has an unknown field {f!r}",
                         f"use only {', '.join(sorted(required | optional))}", line)
                 for f in sorted(set(raw) - required - optional)]
    for f in ("doc", "a", "b", "kind", "pole"):
        if f in raw and not isinstance(raw[f], str):
            problems.append(Problem(path, f"{where}: {f} must be a string, not {type(raw[f]).__name__}",
                                    f'write {f} = "…"', line))
    raw = {f: v for f, v in raw.items() if f not in ("doc", "a", "b", "kind", "pole") or isinstance(v, str)}
    for f in ("doc", "a", "b"):
        if f in raw and raw[f] not in doc_ids:
            problems.append(Problem(path, f"{where}: {f} = {raw[f]!r} is not a doc_id of metadata.csv",
                                    f"use one of {', '.join(sorted(doc_ids))}", line))
    for f in ("target_docs", "reference_docs"):
        if f in raw and not (_strings(raw[f]) and set(raw[f]) <= doc_ids):
            problems.append(Problem(path, f"{where}: {f} must list doc_ids of metadata.csv",
                                    f"use some of {', '.join(sorted(doc_ids))}", line))
    if name == "grouping" and {"target_docs", "reference_docs"} <= set(raw) \
            and _strings(raw["target_docs"]) and _strings(raw["reference_docs"]) \
            and set(raw["target_docs"]) & set(raw["reference_docs"]):
        problems.append(Problem(path, f"{where}: an article is on both sides", "put each article on one side", line))
    if "kind" in raw and raw["kind"] not in KINDS:
        problems.append(Problem(path, f"{where}: kind = {raw['kind']!r}", f"use one of {', '.join(KINDS)}", line))
    if "pole" in raw and raw["pole"] not in poles:
        problems.append(Problem(path, f"{where}: pole = {raw['pole']!r} is not a pole of the codebook",
                                f"use one of {', '.join(sorted(poles))}", line))
    if raw.get("kind") == "more" and ("b" not in raw or raw.get("b") == raw.get("a")):
        problems.append(Problem(path, f"{where}: a 'more' {name} compares two articles", "add b = another doc_id",
                                line))
    if raw.get("kind") in ("most", "leans") and "b" in raw:
        problems.append(Problem(path, f"{where}: b is only used by 'more'", "remove b", line))
    for f in ("target", "reference", "term", "label", "note", "vocabulary"):
        if f in raw and not (isinstance(raw[f], str) and raw[f].strip()):
            problems.append(Problem(path, f"{where}: {f} must be a non-empty string", f"write {f} = \"…\"", line))
    if "terms" in raw and not _strings(raw["terms"]):
        problems.append(Problem(path, f"{where}: terms must be a list of words", 'write terms = ["…", "…"]', line))
    if "framing" in raw and not (isinstance(raw["framing"], dict) and set(raw["framing"]) <= contrasts
                                 and all(isinstance(v, str) and v for v in raw["framing"].values())):
        problems.append(Problem(path, f"{where}: framing must map contrasts of the codebook to text",
                                f"write framing = {{ {sorted(contrasts)[0]} = \"…\" }}", line))
    return problems


def readings_problems(path: Path, text: str, doc_ids: Iterable[str], poles: Iterable[str],
                      contrasts: Iterable[str]) -> tuple[dict, list[Problem]]:
    """Parse and check the text of a readings file; return (parsed, problems).

    Examples
    --------
    >>> _, problems = readings_problems(Path("r.toml"), '[[term]]\\ndoc = "x"\\n', ["a"], [], [])
    >>> [str(p) for p in problems]
    ["r.toml:1: [[term]] 1 has no field 'term' — add term = …", "r.toml:1: [[term]] 1: doc = 'x' is not a \
doc_id of metadata.csv — use one of a"]
    """
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LINE.search(str(exc))
        return {}, [Problem(path, f"not valid TOML ({_TOML_LINE.sub('', str(exc)).strip()})", "fix the TOML syntax",
                            int(found.group(1)) if found else None)]
    doc_ids, poles, contrasts = set(doc_ids), set(poles), set(contrasts)
    problems = [Problem(path, f"unknown key {k!r}", f"use only {', '.join(sorted(_TOP))}", _header_line(text, k, -1))
                for k in parsed if k not in _TOP]
    notes = parsed.get("notes", {})
    if not isinstance(notes, dict) or set(notes) - set(NOTE_KEYS) \
            or not all(isinstance(v, str) and v.strip() for v in notes.values()):
        problems.append(Problem(path, "[notes] must map tfidf, collocations or concordances to text",
                                'write tfidf = "…"', _header_line(text, "notes", -1)))
    for k in ("phrases", "words"):
        if k in parsed and not _strings(parsed[k]):
            problems.append(Problem(path, f"{k} must be a list of words or phrases", f'write {k} = ["…"]',
                                    _header_line(text, k, -1)))
    for name in _ENTRIES:
        entries = parsed.get(name, [])
        if not isinstance(entries, list):
            problems.append(Problem(path, f"{name} must be written as [[{name}]] tables", f"write [[{name}]]",
                                    _header_line(text, name, -1)))
            continue
        for i, raw in enumerate(entries):
            problems += _entry_problems(path, text, name, i, raw, doc_ids, poles, contrasts)
    groupings = parsed.get("grouping", [])
    if isinstance(groupings, list):
        problems += _group_name_problems(path, text, groupings, doc_ids)
    return parsed, problems


def _group_name_problems(path: Path, text: str, groupings: list, doc_ids: set[str]) -> list[Problem]:
    """Group names that keyness cannot take: ``rest``, an article's doc_id, one name for two
    sets of articles, or the same pair of groups twice."""
    problems, members, pairs = [], {}, set()
    for i, raw in enumerate(groupings):
        if not isinstance(raw, dict):
            continue
        line, where = _header_line(text, "grouping", i), f"[[grouping]] {i + 1}"
        for side, docs in (("target", "target_docs"), ("reference", "reference_docs")):
            group = raw.get(side)
            if not isinstance(group, str) or not _strings(raw.get(docs)):
                continue
            if group == "rest" or group in doc_ids:
                problems.append(Problem(path, f"{where}: {side} = {group!r} is "
                                        + ("reserved for all other articles" if group == "rest" else "a doc_id"),
                                        "give the group a name of its own", line))
            elif members.setdefault(group, sorted(raw[docs])) != sorted(raw[docs]):
                problems.append(Problem(path, f"{where}: group {group!r} lists other articles than before",
                                        "give each set of articles its own name", line))
        pair = (raw.get("target"), raw.get("reference"))
        if pair in pairs:
            problems.append(Problem(path, f"{where}: the pair {pair[0]!r} / {pair[1]!r} is listed twice",
                                    "remove the repeated grouping", line))
        pairs.add(pair)
    return problems


def readings_from(parsed: dict, path: Path | None = None) -> Readings:
    """A :class:`Readings` from a parsed, checked file."""
    article = {a["doc"]: ArticleNote(a["doc"], tuple(a.get("terms", ())), a.get("vocabulary", ""),
                                     dict(a.get("framing", {})))
               for a in parsed.get("article", [])}
    return Readings(
        path=path, notes=dict(parsed.get("notes", {})),
        phrases=tuple(parsed.get("phrases", ())), words=tuple(parsed.get("words", ())),
        groupings=tuple(Grouping(g["target"], tuple(g["target_docs"]), g["reference"], tuple(g["reference_docs"]),
                                 g.get("note", "")) for g in parsed.get("grouping", [])),
        terms=tuple(TermReading(t["doc"], t["term"], t.get("note", "")) for t in parsed.get("term", [])),
        articles=article,
        expectations=tuple(dict(e) for e in parsed.get("expectation", [])),
        claims=tuple(dict(c) for c in parsed.get("claim", [])),
    )


def load_readings(corpus_dir: str | Path | None, doc_ids: Iterable[str], codebook) -> Readings:
    """The readings of a corpus folder (default: the study's ``corpus/``); empty without a file.

    Parameters
    ----------
    corpus_dir : str or Path, optional
        The corpus folder; None for the study's.
    doc_ids : iterable of str
        The articles of the corpus: every article the file names must be one of them.
    codebook : Codebook
        The codebook the corpus is measured with: poles and contrasts must be its own.

    Raises
    ------
    InputError
        One ``path:line: problem — fix`` line per problem.

    Examples
    --------
    >>> from analysis.codebook import load_codebook
    >>> load_readings("nowhere", ["a"], load_codebook()).expectations
    ()
    """
    from . import config

    folder = Path(corpus_dir) if corpus_dir is not None else config.CORPUS_DIR
    path = folder / READINGS_FILE
    if not path.is_file():
        return Readings()
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(Problem(path, f"not valid UTF-8 at byte offset {exc.start}", "re-save the file as UTF-8",
                                 data.count(b"\n", 0, exc.start) + 1)) from None
    parsed, problems = readings_problems(path, text, doc_ids, [p.name for p in codebook.poles], codebook.contrasts)
    if problems:
        raise InputError(problems)
    return readings_from(parsed, path)


def readings_check(corpus_dir: str | Path) -> list[Problem]:
    """Problems of ``<corpus_dir>/readings.toml`` (none without one); for ``python -m analysis validate``.

    Called once the texts, metadata and codebook are sound.
    """
    from .codebook import corpus_codebook
    from .sources import metadata_read

    rows, problems = metadata_read(Path(corpus_dir))
    if problems:
        return problems
    try:
        load_readings(corpus_dir, [row["doc_id"] for _, row in rows], corpus_codebook(corpus_dir))
    except InputError as exc:
        return exc.problems
    return []
