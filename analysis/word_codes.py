"""Word forms as integer codes: fast word patterns, a bounded table of forms, checked texts.

Counting at scale (:mod:`analysis.online_topics`) analyses every distinct word form once
and then works on integer codes.
"""
from __future__ import annotations

import re
from collections.abc import Callable



#: Distinct word forms remembered before the table is emptied (bounds memory on corpora
#: whose vocabulary keeps growing; emptying changes nothing but speed).
MAX_TYPES = 2_000_000


def pattern_findall(pattern: str) -> Callable[[str], list[str]]:
    r"""``findall`` of the word patterns with their shared first letter factored out.

    With ``L`` a letter (``[^\W\d_]``), ``(?:L\.){2,}|L+(?:'L+)*`` and
    ``L(?:\.(?:L\.)+|L*(?:'L+)*)`` match the same strings with
    the same branch preferred (both branches begin with one letter, which has no
    alternatives to backtrack into), and Python's regex engine runs the second about
    1.7 times as fast. Any other pattern is used as it is.
    """
    factored = {
        r"(?:[^\W\d_]\.){2,}|[^\W\d_]+(?:'[^\W\d_]+)*": r"[^\W\d_](?:\.(?:[^\W\d_]\.)+|[^\W\d_]*(?:'[^\W\d_]+)*)",
        r"(?:[^\W\d_]\.){2,}(?:'[sS](?![^\W\d_]))?|[^\W\d_]+(?:[-'][^\W\d_]+)*":
            r"[^\W\d_](?:\.(?:[^\W\d_]\.)+(?:'[sS](?![^\W\d_]))?|[^\W\d_]*(?:[-'][^\W\d_]+)*)",
    }
    return re.compile(factored.get(pattern, pattern)).findall


class FormCodes(dict):
    """Word form → integer code; an unseen form is analysed on first lookup."""

    def __init__(self, add: Callable[[str], int]):
        super().__init__()
        self._add = add

    def __missing__(self, form: str) -> int:
        code = self[form] = self._add(form)
        return code
