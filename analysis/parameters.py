"""Notebook parameters: the names a notebook's ``parameters`` cell declares, and the values ``-p`` gives."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from .errors import InputError, Problem


#: Parameters that ``--corpus`` and ``--out`` set; ``-p`` may not set them.
ROUTED_PARAMETERS = {"corpus_dir": "--corpus", "out_dir": "--out"}


_CELL = re.compile(r"^# %%(.*)$", re.MULTILINE)


def notebook_parameters(source: Path) -> list[str]:
    """Names assigned in the cell of the py:percent ``source`` tagged ``parameters`` (:func:`parameters_declared`)."""
    return parameters_declared(source.read_text(encoding="utf-8"))


def parameters_declared(text: str) -> list[str]:
    """Names assigned in the cell of a py:percent ``text`` tagged ``parameters`` (none without one).

    The text is read directly: the scheduling process never imports jupytext (see the
    note on imports above).

    Examples
    --------
    >>> parameters_declared('# %% tags=["parameters"]\\nk = 3  # topics\\nname = None\\n\\n# %%\\nz = 1\\n')
    ['k', 'name']
    """
    headers = list(_CELL.finditer(text))
    for header, following in zip(headers, headers[1:] + [None]):
        if re.search(r"""\btags=\[[^\]]*["']parameters["']""", header.group(1)):
            body = text[header.end():following.start() if following else len(text)]
            names = set()
            for node in ast.parse(body).body:
                targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            return sorted(names)
    return []


def parameter_parse(text: str) -> tuple[str, object]:
    """``name=value`` as given to ``-p``: the value is a Python literal if it reads as one, else a string.

    Examples
    --------
    >>> parameter_parse("topic_k=6"), parameter_parse("progress=True"), parameter_parse("label=two words")
    (('topic_k', 6), ('progress', True), ('label', 'two words'))
    >>> parameter_parse("claims=[]"), parameter_parse("when=2020-01-01")
    (('claims', []), ('when', '2020-01-01'))
    """
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise InputError(Problem("-p", f"{text!r} is not name=value",
                                 "write -p name=value, e.g. -p topic_k=6 (a Python literal, else a string)"))
    try:
        return name, ast.literal_eval(value.strip())
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return name, value


def parameters_parse(texts: list[str]) -> dict[str, object]:
    """``-p`` arguments as a dictionary; raise :class:`InputError` listing every malformed or repeated one.

    Examples
    --------
    >>> parameters_parse(["topic_k=6", "target_window=0"])
    {'topic_k': 6, 'target_window': 0}
    """
    parameters, problems = {}, []
    for text in texts:
        try:
            name, value = parameter_parse(text)
        except InputError as exc:
            problems += exc.problems
            continue
        if name in parameters:
            problems.append(Problem("-p", f"{name} is given twice", "give each parameter once"))
        parameters[name] = value
    if problems:
        raise InputError(problems)
    return parameters
