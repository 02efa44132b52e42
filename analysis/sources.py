"""Reading and validating a corpus folder: texts, metadata, furniture rules, corrections.

A corpus folder holds

- ``metadata.csv`` — one row per article (see :data:`REQUIRED_FIELDS`); every filled
  descriptive field ``x`` has a ``x_basis`` saying whether it is ``stated:`` in the text
  or ``inferred:`` (and from what), or ``absent:`` when the field is empty;
- the text files the metadata names (UTF-8, no BOM, no NUL bytes, not empty);
- ``furniture.csv`` (optional) — declared rules that mark non-body lines;
- ``corrections.csv`` (optional) — the repairs applied at load time.

Every check collects :class:`~analysis.errors.Problem` objects instead of stopping at
the first one, and nothing here writes to disk.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, Problem

METADATA_FILE = "metadata.csv"
FURNITURE_FILE = "furniture.csv"
CORRECTIONS_FILE = "corrections.csv"
TEXTS_DIR = "texts"

REQUIRED_FIELDS = ("doc_id", "file", "headline", "date")
#: Descriptive fields that must say where their value comes from.
BASIS_FIELDS = ("headline", "outlet", "authors", "date", "genre")
BASIS_LABELS = ("stated:", "inferred:", "absent:")
GENRES = ("news report", "analysis", "opinion")
FURNITURE_FIELDS = ("rule_id", "doc_id", "pattern", "role", "note")
FURNITURE_ROLES = ("headline", "dateline", "byline", "standfirst", "kicker", "separator",
                   "timestamp", "subheading", "biography", "tags")
CORRECTION_FIELDS = ("correction_id", "doc_id", "line", "find", "replace", "kind", "note")
#: A text file above this many bytes draws a warning from ``validate``: an article is
#: loaded, scored and bootstrapped whole, so one this large may exhaust memory.
LARGE_TEXT_BYTES = 20_000_000
UTF8_BOM = b"\xef\xbb\xbf"
#: First characters that make a spreadsheet read a cell as a formula (CSV injection), and
#: the mark :func:`cell_neutralise` puts before them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CELL_MARK = "'"
DOC_ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*")
_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")


@dataclass(frozen=True)
class Correction:
    """One declared repair: replace ``find`` by ``replace`` on ``line`` of a document."""

    correction_id: str
    doc_id: str
    line: int
    find: str
    replace: str
    kind: str
    note: str


@dataclass(frozen=True)
class FurnitureRule:
    """A line whose whole text matches ``pattern`` in ``doc_id`` (``*``: any) has ``role``."""

    rule_id: str
    doc_id: str
    pattern: re.Pattern
    role: str
    note: str


def unescape(value: str) -> str:
    r"""Decode ``\uXXXX`` escapes so invisible characters can be written visibly.

    Examples
    --------
    >>> unescape(r"a\u00a0b") == "a\xa0b"
    True
    """
    return _UNICODE_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)


def text_decode(data: bytes, path: Path | str) -> tuple[str | None, list[Problem]]:
    """Decode a text file's bytes strictly, reporting every reason it is not usable.

    Returns the text (``None`` when it cannot be used) and the problems found.

    Examples
    --------
    >>> text_decode(b"ok\\n", "a.txt")
    ('ok\\n', [])
    >>> print(text_decode(b"ab\\xff", "a.txt")[1][0])
    a.txt:1: not valid UTF-8 at byte offset 2 — re-save the file as UTF-8
    """
    if data.startswith(UTF8_BOM):
        return None, [Problem(path, "starts with a UTF-8 byte-order mark (BOM)",
                              "re-save the file as UTF-8 without BOM", line=1)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, [Problem(path, f"not valid UTF-8 at byte offset {exc.start}",
                              "re-save the file as UTF-8", line=line)]
    if "\x00" in text:
        offset = data.index(b"\x00")
        return None, [Problem(path, f"contains a NUL byte at byte offset {offset}",
                              "remove the NUL bytes (the file may be binary or UTF-16)",
                              line=data.count(b"\n", 0, offset) + 1)]
    if not text.strip():
        what = "is empty" if not text else "contains only whitespace"
        return None, [Problem(path, what, "add the article text or remove the file and its metadata row")]
    return text, []


def cell_neutralise(value: str) -> str:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula.

    A value starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets
    :data:`CELL_MARK` (``'``) in front, and so does a value already starting with the
    mark, so that :func:`cell_restore` can always take exactly one mark off again.

    Examples
    --------
    >>> cell_neutralise("=SUM(A1:A9)"), cell_neutralise("-5% in a year"), cell_neutralise("Iran")
    ("'=SUM(A1:A9)", "'-5% in a year", 'Iran')
    >>> cell_neutralise("'Tis"), cell_restore(cell_neutralise("'Tis"))
    ("''Tis", "'Tis")
    """
    return CELL_MARK + value if value.startswith((*FORMULA_STARTS, CELL_MARK)) else value


def cell_restore(value: str) -> str:
    """The value :func:`cell_neutralise` was given: one leading :data:`CELL_MARK` taken off.

    Examples
    --------
    >>> cell_restore("'=1+1"), cell_restore("=1+1"), cell_restore("Iran")
    ('=1+1', '=1+1', 'Iran')
    """
    return value.removeprefix(CELL_MARK)


def csv_records(reader, header: list[str], path: Path | str,
                problems: list[Problem]) -> Iterator[tuple[int, dict]]:
    """The rows of a ``csv.reader`` after its header: ``(line, {field: value stripped})``.

    Blank rows are skipped; a row with another number of fields than the header is not
    yielded but reported in ``problems`` with its line.

    Examples
    --------
    >>> reader, found = csv.reader(["a,b", "", "1,2,3", " 4 , 5"]), []
    >>> header = next(reader)
    >>> list(csv_records(reader, header, "f.csv", found))
    [(4, {'a': '4', 'b': '5'})]
    >>> print(found[0])
    f.csv:3: has 3 fields where the header has 2 — quote values that contain commas with double quotes
    """
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(Problem(path, f"has {len(values)} fields where the header has {len(header)}",
                                    "quote values that contain commas with double quotes", line=line))
            continue
        yield line, dict(zip(header, (v.strip() for v in values)))


def csv_read(path: Path, fields: tuple[str, ...], required: bool,
              bom: bool = False) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Rows of a CSV file with their line numbers, or the problems that stop parsing.

    ``bom=True`` accepts a UTF-8 byte-order mark, as spreadsheets write one, for files a
    coder saves (the corpus' own files must have none)."""
    if not path.exists():
        if required:
            return [], [Problem(path, "file not found", f"create {path.name} with columns {', '.join(fields)}")]
        return [], []
    if path.is_dir():
        return [], [Problem(path, "is a folder, not a CSV file", f"replace it with a {path.name} file")]
    data = path.read_bytes()
    text, problems = text_decode(data.removeprefix(UTF8_BOM) if bom else data, path)
    if text is None:
        return [], problems
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        header = [h.strip() for h in header]
        missing = [f for f in fields if f not in header]
        if missing:
            return [], [Problem(path, f"header lacks column(s) {', '.join(missing)}",
                                f"add them to line 1; expected at least {', '.join(fields)}", line=1)]
        rows = list(csv_records(reader, header, path, problems))
    except csv.Error as exc:
        return [], [Problem(path, f"cannot be parsed as CSV ({exc})",
                            "check quoting: a value with a comma or quote must be wrapped in double quotes",
                            line=reader.line_num)]
    return rows, problems


def _check_date(value: str) -> str | None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return value
    return None if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else value


def metadata_read(corpus_dir: Path) -> tuple[list[tuple[int, dict]], list[Problem]]:
    """Parse and check ``metadata.csv``: required fields, ids, dates, bases, paths."""
    path = corpus_dir / METADATA_FILE
    rows, problems = csv_read(path, REQUIRED_FIELDS, required=True)
    seen: dict[str, int] = {}
    good = []
    for line, row in rows:
        row_problems = []
        for field in REQUIRED_FIELDS:
            if not row.get(field):
                row_problems.append(Problem(path, f"missing required field '{field}'",
                                            f"fill in '{field}' for this article", line=line))
        doc_id = row.get("doc_id", "")
        if doc_id and not DOC_ID_RE.fullmatch(doc_id):
            row_problems.append(Problem(path, f"doc_id '{doc_id}' is not a short lowercase id",
                                        "use lowercase letters, digits and hyphens, e.g. 'outlet-2024'", line=line))
        if doc_id in seen:
            row_problems.append(Problem(path, f"duplicate doc_id '{doc_id}' (first on line {seen[doc_id]})",
                                        "give every article its own doc_id", line=line))
        elif doc_id:
            seen[doc_id] = line
        if row.get("date") and _check_date(row["date"]):
            row_problems.append(Problem(path, f"impossible date '{row['date']}' in field 'date'",
                                        "write a real calendar date as YYYY-MM-DD", line=line))
        if row.get("genre") and row["genre"] not in GENRES:
            row_problems.append(Problem(path, f"unknown genre '{row['genre']}'",
                                        f"use one of: {', '.join(GENRES)}", line=line))
        for field in BASIS_FIELDS:
            if field not in row:
                continue
            basis = row.get(f"{field}_basis", "")
            if not basis.startswith(BASIS_LABELS):
                row_problems.append(Problem(
                    path, f"field '{field}_basis' must start with 'stated:', 'inferred:' or 'absent:'",
                    f"say whether '{field}' is printed in the text or inferred, and from what", line=line))
            elif basis.startswith("absent:") and row.get(field):
                row_problems.append(Problem(path, f"'{field}' has a value but its basis says 'absent:'",
                                            "label the value 'stated:' or 'inferred:'", line=line))
            elif not basis.startswith("absent:") and not row.get(field) and field not in REQUIRED_FIELDS:
                row_problems.append(Problem(path, f"'{field}' is empty but its basis is not 'absent:'",
                                            "fill in the value or label the basis 'absent:'", line=line))
        file_value = row.get("file", "")
        if file_value:
            target = (corpus_dir / file_value).resolve()
            if Path(file_value).is_absolute() or not target.is_relative_to(corpus_dir.resolve()):
                row_problems.append(Problem(path, f"file '{file_value}' leaves the corpus folder",
                                            "give a path relative to the corpus folder, e.g. texts/name.txt", line=line))
            elif not target.is_file():
                row_problems.append(Problem(path, f"file '{file_value}' not found",
                                            "add the text file or correct the path", line=line))
        problems.extend(row_problems)
        if not row_problems:
            good.append((line, row))
    return good, problems


def texts_read(corpus_dir: Path, rows: list[tuple[int, dict]],
               listed_files: set[str] | None = None) -> tuple[dict[str, str], list[Problem]]:
    """Decode every text the metadata names, checking its bytes and optional sha256.

    ``listed_files`` are all ``file`` values of the metadata, including rows with
    problems, so that a bad row does not also report its file as unlisted.
    """
    texts, problems = {}, []
    meta_path = corpus_dir / METADATA_FILE
    for line, row in rows:
        path = corpus_dir / row["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(path, f"cannot be read ({exc.strerror})", "check the file's permissions"))
            continue
        if row.get("sha256") and hashlib.sha256(data).hexdigest() != row["sha256"]:
            problems.append(Problem(meta_path, f"'{row['file']}' no longer has the sha256 recorded for it",
                                    "restore the source bytes as received; repairs belong in corrections.csv",
                                    line=line))
        text, found = text_decode(data, path)
        problems.extend(found)
        if text is not None:
            texts[row["doc_id"]] = text
    listed_files = listed_files if listed_files is not None else {row["file"] for _, row in rows}
    listed = {(corpus_dir / f).resolve() for f in listed_files if f}
    text_dir = corpus_dir / TEXTS_DIR
    candidates = sorted(text_dir.glob("*.txt")) if text_dir.is_dir() else []
    candidates += sorted(corpus_dir.glob("*.txt"))
    for path in candidates:
        if path.resolve() not in listed:
            problems.append(Problem(path, "text file has no row in metadata.csv",
                                    "add a metadata row for it or move it out of the corpus folder"))
    return texts, problems


def furniture_read(corpus_dir: Path, doc_ids: set[str]) -> tuple[list[FurnitureRule], list[Problem]]:
    """Parse ``furniture.csv`` into rules; patterns must compile and roles be known."""
    path = corpus_dir / FURNITURE_FILE
    rows, problems = csv_read(path, FURNITURE_FIELDS, required=False)
    rules = []
    for line, row in rows:
        if row["doc_id"] != "*" and row["doc_id"] not in doc_ids:
            problems.append(Problem(path, f"unknown doc_id '{row['doc_id']}'",
                                    "use a doc_id from metadata.csv or '*' for every article", line=line))
            continue
        if row["role"] not in FURNITURE_ROLES:
            problems.append(Problem(path, f"unknown role '{row['role']}'",
                                    f"use one of: {', '.join(FURNITURE_ROLES)}", line=line))
            continue
        try:
            pattern = re.compile(unescape(row["pattern"]))
        except re.error as exc:
            problems.append(Problem(path, f"pattern does not compile ({exc})",
                                    "write a Python regular expression matching the whole line", line=line))
            continue
        rules.append(FurnitureRule(row["rule_id"], row["doc_id"], pattern, row["role"], row["note"]))
    return rules, problems


def corrections_read(corpus_dir: Path, texts: dict[str, str]) -> tuple[list[Correction], list[Problem]]:
    """Parse ``corrections.csv``; each ``find`` must occur exactly once on its line."""
    path = corpus_dir / CORRECTIONS_FILE
    rows, problems = csv_read(path, CORRECTION_FIELDS, required=False)
    corrections, seen = [], set()
    for line, row in rows:
        cid, doc_id = row["correction_id"], row["doc_id"]
        if cid in seen:
            problems.append(Problem(path, f"duplicate correction_id '{cid}'", "give each repair its own id", line=line))
            continue
        seen.add(cid)
        if doc_id not in texts:
            problems.append(Problem(path, f"unknown doc_id '{doc_id}'", "use a doc_id from metadata.csv", line=line))
            continue
        if not row["line"].isdigit():
            problems.append(Problem(path, f"field 'line' is '{row['line']}', not a line number",
                                    "give the 1-based line of the source text", line=line))
            continue
        find = unescape(row["find"])
        source_lines = texts[doc_id].split("\n")
        n = int(row["line"])
        if not find or "\n" in find:
            problems.append(Problem(path, "field 'find' is empty or spans lines",
                                    "give the exact text to replace, within one line", line=line))
            continue
        if not 1 <= n <= len(source_lines):
            problems.append(Problem(path, f"line {n} is outside {doc_id} ({len(source_lines)} lines)",
                                    "give the 1-based line of the source text", line=line))
            continue
        count = source_lines[n - 1].count(find)
        if count != 1:
            problems.append(Problem(path, f"'{row['find']}' occurs {count} times on line {n} of {doc_id}",
                                    "make 'find' long enough to occur exactly once on that line", line=line))
            continue
        corrections.append(Correction(cid, doc_id, n, find, unescape(row["replace"]), row["kind"], row["note"]))
    return corrections, problems


def corpus_check(corpus_dir: str | Path) -> list[Problem]:
    """Every problem found in a corpus folder (an empty list when it is sound)."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        return [Problem(corpus_dir, "corpus folder not found", "give the path of a folder holding metadata.csv")]
    rows, problems = metadata_read(corpus_dir)
    all_rows, _ = csv_read(corpus_dir / METADATA_FILE, REQUIRED_FIELDS, required=True)
    texts, found = texts_read(corpus_dir, rows, {row.get("file", "") for _, row in all_rows})
    problems += found
    doc_ids = {row["doc_id"] for _, row in rows}
    rules, found = furniture_read(corpus_dir, doc_ids)
    problems += found + furniture_unused(corpus_dir, rules, texts)
    problems += corrections_read(corpus_dir, texts)[1]
    return problems


def corpus_warnings(corpus_dir: str | Path) -> list[Problem]:
    """What in a corpus folder may cause trouble without being wrong: text files larger than
    :data:`LARGE_TEXT_BYTES` (sizes are read from the file system, not the files).

    Examples
    --------
    >>> import tempfile
    >>> root = Path(tempfile.mkdtemp())
    >>> with open(root / "a.txt", "wb") as f:
    ...     _ = f.truncate(21_000_000)  # a sparse file: the size without the bytes
    >>> _ = (root / "metadata.csv").write_text("doc_id,file,headline,date\\na,a.txt,A,2020-01-01\\n")
    >>> print(corpus_warnings(root)[0])  # doctest: +ELLIPSIS
    /.../a.txt: is 21.0 MB, above the 20 MB beyond which one article may exhaust memory ...
    """
    corpus_dir = Path(corpus_dir)
    if not (corpus_dir / METADATA_FILE).is_file():
        return []
    warnings = []
    # every row naming a file, even one with other problems: those are reported as errors
    for _, row in csv_read(corpus_dir / METADATA_FILE, REQUIRED_FIELDS, required=True)[0]:
        path = corpus_dir / row["file"]
        size = path.stat().st_size if row["file"] and path.is_file() else 0
        if size > LARGE_TEXT_BYTES:
            warnings.append(Problem(
                path, f"is {size / 1e6:.1f} MB, above the {LARGE_TEXT_BYTES / 1e6:.0f} MB beyond which one article "
                "may exhaust memory (it is loaded, scored and bootstrapped whole)",
                "if a run fails for want of memory, split it into several articles, each a file with its own "
                "metadata row"))
    return warnings


def furniture_unused(corpus_dir: Path, rules: list[FurnitureRule], texts: dict[str, str]) -> list[Problem]:
    """Article-specific rules that match no whole line of their article (stale rules)."""
    problems = []
    for rule in rules:
        if rule.doc_id == "*" or rule.doc_id not in texts:
            continue
        lines = (line.strip() for line in texts[rule.doc_id].split("\n"))
        if not any(rule.pattern.fullmatch(line) for line in lines):
            problems.append(Problem(corpus_dir / FURNITURE_FILE, f"rule '{rule.rule_id}' matches no line of {rule.doc_id}",
                                    "correct its pattern (it must match a whole line) or delete the rule"))
    return problems


def corpus_hash(corpus_dir: str | Path) -> str:
    """sha256 over every file of the corpus folder (names and bytes, sorted)."""
    digest = hashlib.sha256()
    root = Path(corpus_dir)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def require_sound(corpus_dir: str | Path) -> None:
    """Raise :class:`InputError` listing every problem of the corpus folder, if any."""
    problems = corpus_check(corpus_dir)
    if problems:
        raise InputError(problems)
