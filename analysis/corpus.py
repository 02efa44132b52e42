"""The corpus as tidy tables: articles, furniture, paragraphs, sentences and repairs.

Units are derived, never edited: every paragraph and sentence carries ``start`` and
``end``, character offsets into its decoded source file, and its ``text`` is that
source span with the declared corrections applied (see :func:`repair_span`). Byte
offsets follow from the character offsets (``source[:start].encode()``), so any unit
can be traced back to its exact source bytes.

Ids are citable and stable: ``<doc_id>.p<NN>`` for the NN-th body paragraph and
``<doc_id>.p<NN>.s<NN>`` for its sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import config
from .errors import InputError, Problem
from .sentences import sentence_spans, sentence_tokenizer
from .sources import (Correction, FurnitureRule, corpus_check, corrections_read, furniture_read,
                      metadata_read, texts_read)

PARAGRAPH_MODES = ("line", "block")
_BLOCK_BREAK = re.compile(r"\n[ \t\r]*\n")


@dataclass(frozen=True)
class Edit:
    """A correction located in source offsets."""

    start: int
    end: int
    replace: str
    correction: Correction


def line_spans(text: str) -> list[tuple[int, int, int]]:
    """``(line_number, start, end)`` of every line, excluding ``\\n`` and a final ``\\r``.

    Examples
    --------
    >>> line_spans("ab\\r\\n\\ncd")
    [(1, 0, 2), (2, 4, 4), (3, 5, 7)]
    """
    spans, start = [], 0
    for number, line in enumerate(text.split("\n"), start=1):
        end = start + len(line)
        spans.append((number, start, end - 1 if line.endswith("\r") else end))
        start = end + 1
    return spans


def block_spans(text: str, mode: str = "line") -> list[tuple[int, int, int]]:
    """``(first_line, start, end)`` of each paragraph candidate: non-empty lines or blank-line blocks.

    Examples
    --------
    >>> block_spans("a\\nb\\n\\nc", "line")
    [(1, 0, 1), (2, 2, 3), (4, 5, 6)]
    >>> block_spans("a\\nb\\n\\nc", "block")
    [(1, 0, 3), (4, 5, 6)]
    """
    if mode not in PARAGRAPH_MODES:
        raise ValueError(f"paragraph mode must be one of {PARAGRAPH_MODES}, not {mode!r}")
    lines = [(n, s, e) for n, s, e in line_spans(text) if text[s:e].strip()]
    if mode == "line":
        return [(n, s + _lead(text[s:e]), e - _trail(text[s:e])) for n, s, e in lines]
    blocks: list[tuple[int, int, int]] = []
    for n, s, e in lines:
        if blocks and not _BLOCK_BREAK.search(text, blocks[-1][2], s):
            blocks[-1] = (blocks[-1][0], blocks[-1][1], e)
        else:
            blocks.append((n, s, e))
    return [(n, s + _lead(text[s:e]), e - _trail(text[s:e])) for n, s, e in blocks]


def _lead(s: str) -> int:
    return len(s) - len(s.lstrip())


def _trail(s: str) -> int:
    return len(s) - len(s.rstrip())


def edits_locate(text: str, corrections: list[Correction]) -> list[Edit]:
    """Source offsets of each correction (validated to occur once on its line)."""
    spans = {n: (s, e) for n, s, e in line_spans(text)}
    edits = []
    for corr in corrections:
        line_start, line_end = spans[corr.line]
        at = text.index(corr.find, line_start, line_end)
        edits.append(Edit(at, at + len(corr.find), corr.replace, corr))
    return sorted(edits, key=lambda e: e.start)


def repair_span(text: str, start: int, end: int, edits: list[Edit]) -> str:
    """The source span ``text[start:end]`` with every edit inside it applied.

    Examples
    --------
    >>> c = Correction("c1", "d", 1, "Is rael", "Israel", "split word", "")
    >>> repair_span("Is rael's war", 0, 13, [Edit(0, 7, "Israel", c)])
    "Israel's war"
    """
    out, pos = [], start
    for edit in edits:
        if edit.start >= start and edit.end <= end:
            out.append(text[pos:edit.start])
            out.append(edit.replace)
            pos = edit.end
    out.append(text[pos:end])
    return "".join(out)


def offset_to_source(offset: int, start: int, edits: list[Edit], side: str) -> int:
    """Map an offset in a repaired span (beginning at source ``start``) back to the source.

    An offset inside a replaced stretch maps to the edit's start (``side='start'``) or
    end (``side='end'``), so a unit always covers whole edits.
    """
    src, rep = start, 0
    for edit in edits:
        if edit.start < start:
            continue
        unchanged = edit.start - src
        if offset <= rep + unchanged:
            return src + (offset - rep)
        rep += unchanged
        src = edit.start
        if offset < rep + len(edit.replace) or (offset == rep + len(edit.replace) and side == "start"):
            return edit.start if side == "start" or offset == rep else edit.end
        rep += len(edit.replace)
        src = edit.end
    return src + (offset - rep)


def furniture_role(line: str, doc_id: str, rules: list[FurnitureRule]) -> FurnitureRule | None:
    """The first rule whose pattern matches the whole (stripped) line, if any."""
    for rule in rules:
        if rule.doc_id in ("*", doc_id) and rule.pattern.fullmatch(line.strip()):
            return rule
    return None


@dataclass
class Corpus:
    """Tidy tables of one corpus folder; see :func:`load_corpus`."""

    root: Path
    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    sentences: pd.DataFrame
    furniture: pd.DataFrame
    repairs: pd.DataFrame
    texts: dict[str, str] = field(repr=False)

    def source(self, doc_id: str) -> str:
        """The decoded source text of ``doc_id``, exactly as received."""
        return self.texts[doc_id]


def _units(doc_id: str, text: str, rules, edits, mode: str):
    paragraphs, furniture, used_rules = [], [], set()
    for line, start, end in block_spans(text, mode):
        raw = text[start:end]
        rule = furniture_role(raw, doc_id, rules)
        if rule is not None:
            used_rules.add(rule.rule_id)
            furniture.append(dict(doc_id=doc_id, unit_id=f"{doc_id}.f{len(furniture) + 1:02d}", line=line,
                                  role=rule.role, rule_id=rule.rule_id, start=start, end=end,
                                  text=repair_span(text, start, end, edits)))
            continue
        paragraphs.append(dict(doc_id=doc_id, line=line, start=start, end=end,
                               text=repair_span(text, start, end, edits)))
    width = max(2, len(str(len(paragraphs))))
    for i, par in enumerate(paragraphs, start=1):
        par["unit_id"] = f"{doc_id}.p{i:0{width}d}"
    return paragraphs, furniture, used_rules


def load_corpus(corpus_dir: str | Path | None = None, paragraphs: str = "line") -> Corpus:
    """Load, validate and segment a corpus folder.

    Parameters
    ----------
    corpus_dir : str or Path, optional
        Folder with ``metadata.csv`` and the texts (default: the study's ``corpus/``).
    paragraphs : {"line", "block"}, default "line"
        A paragraph is a non-empty line, or a block of lines between blank lines.

    Returns
    -------
    Corpus
        With ``documents`` (metadata), ``paragraphs`` and ``sentences`` (body units with
        offsets), ``furniture`` (non-body lines and the rule that matched them) and
        ``repairs`` (every correction with its location).

    Raises
    ------
    InputError
        Listing every problem of the folder, one ``path:line: problem — fix`` each.
    """
    root = Path(corpus_dir) if corpus_dir is not None else config.CORPUS_DIR
    problems = corpus_check(root)
    if problems:
        raise InputError(problems)
    rows, _ = metadata_read(root)
    texts, _ = texts_read(root, rows)
    doc_ids = [row["doc_id"] for _, row in rows]
    rules, _ = furniture_read(root, set(doc_ids))
    corrections, _ = corrections_read(root, texts)

    pars, furn, reps = [], [], []
    edits_by_doc = {}
    for doc_id in doc_ids:
        edits = edits_locate(texts[doc_id], [c for c in corrections if c.doc_id == doc_id])
        edits_by_doc[doc_id] = edits
        p, f, _ = _units(doc_id, texts[doc_id], rules, edits, paragraphs)
        pars += p
        furn += f
    paragraphs_df = pd.DataFrame(pars, columns=["doc_id", "unit_id", "line", "start", "end", "text"])
    furniture_df = pd.DataFrame(furn, columns=["doc_id", "unit_id", "line", "role", "rule_id", "start", "end", "text"])

    unit_of = [(r.doc_id, r.start, r.end, r.unit_id) for r in
               pd.concat([paragraphs_df, furniture_df]).itertuples()]
    for doc_id in doc_ids:
        for e in edits_by_doc[doc_id]:
            unit = next((u for d, s, t, u in unit_of if d == doc_id and s <= e.start and e.end <= t), "")
            c = e.correction
            reps.append(dict(correction_id=c.correction_id, doc_id=doc_id, unit_id=unit, line=c.line,
                             start=e.start, end=e.end, find=c.find, replace=c.replace, kind=c.kind, note=c.note))
    repairs_df = pd.DataFrame(reps, columns=["correction_id", "doc_id", "unit_id", "line", "start", "end",
                                             "find", "replace", "kind", "note"])

    tokenizer = sentence_tokenizer(paragraphs_df["text"])
    sents = []
    for par in paragraphs_df.itertuples():
        edits = edits_by_doc[par.doc_id]
        spans = sentence_spans(tokenizer, par.text)
        for i, (s, e) in enumerate(spans, start=1):
            src_s = offset_to_source(s, par.start, edits, "start")
            src_e = offset_to_source(e, par.start, edits, "end")
            sents.append(dict(doc_id=par.doc_id, paragraph_id=par.unit_id, unit_id=f"{par.unit_id}.s{i:02d}",
                              start=src_s, end=src_e, text=par.text[s:e]))
    sentences_df = pd.DataFrame(sents, columns=["doc_id", "paragraph_id", "unit_id", "start", "end", "text"])

    documents = pd.DataFrame([row for _, row in rows])
    return Corpus(root=root, documents=documents, paragraphs=paragraphs_df, sentences=sentences_df,
                  furniture=furniture_df, repairs=repairs_df, texts=texts)
