"""The one exception type for bad input, formatted as ``path[:line]: problem — fix``."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Problem:
    """One problem found in the input.

    Examples
    --------
    >>> str(Problem("corpus/metadata.csv", "duplicate doc_id 'a'", "give each row its own id", line=3))
    "corpus/metadata.csv:3: duplicate doc_id 'a' — give each row its own id"
    """

    path: str | Path
    problem: str
    fix: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else f"{self.path}"
        return f"{where}: {self.problem} — {self.fix}"


class InputError(ValueError):
    """Bad input: carries one or more :class:`Problem` and prints one line per problem.

    The command line catches it and prints the lines instead of a traceback. An error
    without a problem would print nothing and still stop the run, so it is refused.

    Examples
    --------
    >>> InputError([])
    Traceback (most recent call last):
    ...
    ValueError: an InputError needs at least one Problem — raise it only when a check found one
    """

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        if not self.problems:
            raise ValueError("an InputError needs at least one Problem — raise it only when a check found one")
        super().__init__("\n".join(str(p) for p in self.problems))
