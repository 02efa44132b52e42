"""Benchmarks of the study's pipeline on a synthetic corpus of any size.

``python -m benchmarks --paragraphs N`` builds a corpus of ``N`` paragraphs from the
study's own text and times each stage of scoring it, printing one JSON object per stage:
``{"stage", "paragraphs", "seconds", "paragraphs_per_s", "peak_mb"}``.

The corpus (:func:`synthetic_paragraphs`)
    Each paragraph is one or more study paragraphs drawn at random with replacement
    (enough, on average, for ``words`` words), in which every purely alphabetic word is,
    with probability ``perturb``, given a suffix of letters whose rank follows a Zipf
    law (exponent :data:`ZIPF_A`). New word forms therefore keep appearing as the corpus
    grows, as they do in news text, so that nothing is measured on a vocabulary that
    stops growing: with the defaults (``perturb=0.25``, exponent 1.8) the number of
    distinct lowercase words stays within about 20% of Heaps' law with the constants of
    the Reuters RCV1 news collection (``44 * tokens ** 0.49``; Manning, Raghavan &
    Schütze 2008, section 5.1.1) between one and five million words, and grows with
    exponent 0.55. It is written to disk as ``.txt`` files of ``per_file`` paragraphs,
    one per line.

The stages (:data:`STAGES`), each timed from the files on disk, a chunk at a time
    ``load_tokenise``   read the files and mark and tokenise every paragraph as the supervised
                        measure does, a chunk in one pass
                        (:meth:`analysis.stance.StanceAnalyzer.joined_tokens`)
    ``vectorise``       ... and weigh its features over the fitted vocabulary (the measure's
                        fitted ``TfidfVectorizer.transform``)
    ``score``           ... and compute the measures and the combined index
                        (``FrameScorer.transform_frame``, the one implementation every path
                        uses): the unit score table of each chunk, in memory (like the
                        hashing baseline's matrix)
    ``score_all``       ``score`` with every measure of the study (``score --measures all``: the
                        dictionary, TF-IDF prototypes and LSS besides the index's measures)
    ``score_write``     ... and write the unit scores (``unit_id`` and every score column) as
                        CSV: end to end, from text files to a table on disk
    ``score_parallel``  ``score_write`` in ``jobs`` worker processes (each formats its own CSV)
    ``topics_lda``      one online LDA pass (``total_samples`` = N) over a fixed vocabulary
    ``topics_nmf``      one mini-batch NMF pass over the same vocabulary's TF-IDF
    ``baseline_hashing`` scikit-learn ``HashingVectorizer(alternate_sign=False).transform`` of
                        the same text, read the same way: the yardstick every throughput
                        can be divided by, measured in the same run
    ``baseline_naive``  ``FrameScorer.transform_frame`` called on one paragraph at a time
                        from a Python loop (on the first ``naive`` paragraphs only)
    ``reference_batch`` ``FrameScorer.transform_frame`` on chunks, the estimator's own path
                        (on the same paragraphs as ``baseline_naive``)
    The measures are those ``score`` uses by default, :func:`analysis.scoring.study_scorer`
    with ``measures="index"`` (fitted on the study corpus before any stage runs); the topic vocabulary is that of
    :func:`analysis.topics.topic_vectorizer` fitted on the study corpus.

Time and memory
    ``seconds`` is wall-clock time (``time.perf_counter``) of the stage's work, inside a
    fresh process started for the stage; it includes starting the stage's worker
    processes, not starting the stage process itself. ``peak_mb`` comes from
    ``resource.getrusage``: the stage process's peak resident set size (``ru_maxrss``)
    plus, when it has worker processes, their number times the largest worker's peak
    resident set size — an upper bound on the memory the stage held at any one time.
"""
from __future__ import annotations

import json
import re
import multiprocessing
import platform
import resource
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from analysis import config
from analysis.online_topics import OnlineTopicModel
from analysis.outputs import table_to_csv
from analysis.streaming import CHUNK_SIZE, stream_map, text_chunks
from analysis.words import WORD_PATTERN

#: Keys of every JSON line, in print order.
FIELDS = ("stage", "paragraphs", "seconds", "paragraphs_per_s", "peak_mb")
#: Zipf exponent of the perturbation suffixes' ranks.
ZIPF_A = 1.8
_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_SPLIT = re.compile(f"({WORD_PATTERN.pattern})").split


def suffix(rank: int) -> str:
    """Letters naming a positive integer in base 26 (1 → 'a', 26 → 'z', 27 → 'aa').

    Examples
    --------
    >>> [suffix(r) for r in (1, 26, 27, 703)]
    ['a', 'z', 'aa', 'aaa']
    """
    if rank < 1:
        raise ValueError(f"rank must be a positive integer, not {rank!r}")
    out = []
    while rank:
        rank, digit = divmod(rank - 1, 26)
        out.append(_LETTERS[digit])
    return "".join(reversed(out))


def synthetic_paragraphs(source: Sequence[str], n: int, *, words: float = 100.0, perturb: float = 0.25,
                         seed: int = config.SEED) -> Iterator[str]:
    """``n`` paragraphs resampled from ``source`` with seeded vocabulary perturbation.

    Parameters
    ----------
    source : sequence of str
        The paragraphs to resample (the study's).
    n : int
        Paragraphs to make.
    words : float
        Mean words per paragraph wanted: each paragraph joins ``k`` source paragraphs, with
        ``k`` the integer part of ``words / mean source words`` plus one with probability
        its fractional part (at least 1).
    perturb : float
        Probability that an alphabetic word gets a Zipf-ranked suffix.
    seed : int

    Examples
    --------
    >>> out = list(synthetic_paragraphs(["One two three.", "Four five."], 3, words=2, perturb=0.5, seed=1))
    >>> len(out), all(isinstance(p, str) and "\\n" not in p for p in out)
    (3, True)
    """
    if int(n) != n or n < 0:
        raise ValueError(f"n must be a non-negative integer, not {n!r}")
    if not 0 <= perturb <= 1:
        raise ValueError(f"perturb must lie between 0 and 1, not {perturb!r}")
    parts = [_SPLIT(" ".join(p.split())) for p in source]
    sizes = np.array([len(p) // 2 for p in parts], dtype=float)
    if not len(parts) or sizes.sum() == 0:
        raise ValueError("source has no words — pass the paragraphs of a corpus")
    ratio = max(words / sizes.mean(), 1.0)
    rng = np.random.default_rng(seed)
    for _ in range(int(n)):
        k = int(ratio) + int(rng.random() < ratio - int(ratio))
        pieces = []
        for j in rng.integers(0, len(parts), k).tolist():
            p = list(parts[j])
            hits = np.flatnonzero(rng.random(len(p) // 2) < perturb).tolist()
            for h, rank in zip(hits, rng.zipf(ZIPF_A, len(hits)).tolist()):
                if p[2 * h + 1].isalpha():
                    p[2 * h + 1] += suffix(min(rank, 26 ** 6))
            pieces.append("".join(p))
        yield " ".join(pieces)


def write_corpus(folder: str | Path, paragraphs: Iterable[str], per_file: int = 100) -> tuple[int, int, int]:
    """Write paragraphs as ``NNNNNNN.txt`` files of ``per_file`` lines; return (files, paragraphs, words)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = count = n_words = 0
    for chunk in text_chunks(paragraphs, per_file):
        (folder / f"{files:07d}.txt").write_text("\n".join(chunk) + "\n", encoding="utf-8")
        files += 1
        count += len(chunk)
        n_words += sum(len(WORD_PATTERN.findall(p)) for p in chunk)
    return files, count, n_words


def folder_lines(folder: str | Path, limit: int | None = None) -> Iterator[str]:
    """Every non-empty line of the folder's ``.txt`` files, files in name order."""
    seen = 0
    for path in sorted(Path(folder).glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                if limit is not None and seen >= limit:
                    return
                seen += 1
                yield line


# -- stages ------------------------------------------------------------------------------


def _units_csv(scorer, item: tuple[int, list[str]]) -> str:
    start, texts = item
    table = scorer.transform_frame(texts)
    table.insert(0, "unit_id", [f"p{start + i:09d}" for i in range(len(texts))])
    text = table_to_csv(table)
    return text if start == 0 else text.split("\n", 1)[1]


def _numbered(chunks: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    start = 0
    for chunk in chunks:
        yield start, chunk
        start += len(chunk)


def _stage_tokenise(ctx) -> int:
    analyzer = ctx["scorer"].supervised_.vectorizer_.analyzer
    n = 0
    for chunk in text_chunks(folder_lines(ctx["folder"]), ctx["chunk_size"]):
        analyzer.joined_tokens(chunk)
        n += len(chunk)
    return n


def _stage_vectorise(ctx) -> int:
    n = 0
    for chunk in text_chunks(folder_lines(ctx["folder"]), ctx["chunk_size"]):
        ctx["scorer"].supervised_.vectorizer_.transform(chunk)
        n += len(chunk)
    return n


def _score(ctx, n_jobs: int) -> int:
    n = 0
    chunks = _numbered(text_chunks(folder_lines(ctx["folder"]), ctx["chunk_size"]))
    with open(Path(ctx["workdir"]) / "unit_scores.csv", "w", encoding="utf-8") as out:
        for item_csv in stream_map(_units_csv, chunks, ctx["scorer"], n_jobs=n_jobs):
            out.write(item_csv)
            n += item_csv.count("\n")
    return n - 1  # the header line


def _frames(ctx, scorer: str, limit: int | None = None) -> int:
    """Score the paragraphs (the first ``limit``) a chunk at a time with ``ctx[scorer]``, in memory."""
    n = 0
    for chunk in text_chunks(folder_lines(ctx["folder"], limit), ctx["chunk_size"]):
        ctx[scorer].transform_frame(chunk)
        n += len(chunk)
    return n


def _stage_score(ctx) -> int:
    return _frames(ctx, "scorer")


def _stage_score_all(ctx) -> int:
    return _frames(ctx, "scorer_all")


def _stage_score_write(ctx) -> int:
    return _score(ctx, 1)


def _stage_score_parallel(ctx) -> int:
    return _score(ctx, ctx["jobs"])


def _topics(ctx, method: str) -> int:
    model = OnlineTopicModel(method, ctx["topics"], vectorizer=ctx["topic_vectorizers"][method],
                             total_samples=ctx["paragraphs"], chunk_size=ctx["chunk_size"],
                             random_state=ctx["seed"])
    model.fit(folder_lines(ctx["folder"]))
    return model.n_seen_


def _stage_topics_lda(ctx) -> int:
    return _topics(ctx, "lda")


def _stage_topics_nmf(ctx) -> int:
    return _topics(ctx, "nmf")


def _stage_hashing(ctx) -> int:
    from sklearn.feature_extraction.text import HashingVectorizer

    vec = HashingVectorizer(alternate_sign=False)
    n = 0
    for chunk in text_chunks(folder_lines(ctx["folder"]), ctx["chunk_size"]):
        vec.transform(chunk)
        n += len(chunk)
    return n


def _stage_naive(ctx) -> int:
    n = 0
    for text in folder_lines(ctx["folder"], ctx["naive"]):
        ctx["scorer"].transform_frame([text])
        n += 1
    return n


def _stage_reference(ctx) -> int:
    return _frames(ctx, "scorer", ctx["naive"])


#: Stage name → (function, uses worker processes).
STAGES: dict[str, tuple[Callable, bool]] = {
    "load_tokenise": (_stage_tokenise, False),
    "vectorise": (_stage_vectorise, False),
    "score": (_stage_score, False),
    "score_all": (_stage_score_all, False),
    "score_write": (_stage_score_write, False),
    "score_parallel": (_stage_score_parallel, True),
    "topics_lda": (_stage_topics_lda, False),
    "topics_nmf": (_stage_topics_nmf, False),
    "baseline_hashing": (_stage_hashing, False),
    "baseline_naive": (_stage_naive, False),
    "reference_batch": (_stage_reference, False),
}


def stage_measure(name: str, ctx: dict) -> tuple[int, float, float]:
    """Run one stage here; return (paragraphs, seconds, peak MB) — see the module docstring."""
    func, parallel = STAGES[name]
    start = time.perf_counter()
    n = func(ctx)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if parallel and ctx["jobs"] > 1:
        peak += ctx["jobs"] * resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return n, seconds, peak / 1024  # ru_maxrss is in KiB on Linux


def _stage_main(name: str, ctx: dict, pipe) -> None:
    pipe.send(stage_measure(name, ctx))
    pipe.close()


def stage_run(name: str, ctx: dict, isolate: bool = True) -> dict:
    """Run one stage, in a fresh process unless ``isolate`` is False; return its JSON record.

    Without isolation ``peak_mb`` is this process's peak so far, not the stage's own.
    """
    if name not in STAGES:
        raise ValueError(f"unknown stage {name!r} — use one of {', '.join(STAGES)}")
    if isolate:
        mp = multiprocessing.get_context("spawn")
        receive, send = mp.Pipe(duplex=False)
        proc = mp.Process(target=_stage_main, args=(name, ctx, send))
        proc.start()
        send.close()
        try:
            n, seconds, peak = receive.recv()
        except EOFError:
            proc.join()
            raise RuntimeError(f"stage {name} failed (exit code {proc.exitcode})") from None
        proc.join()
    else:
        n, seconds, peak = stage_measure(name, ctx)
    return dict(stage=name, paragraphs=int(n), seconds=round(seconds, 3),
                paragraphs_per_s=round(n / seconds, 1) if seconds > 0 else None, peak_mb=round(peak, 1))


def machine() -> dict:
    """Cores, CPU model and memory of this machine (Linux ``/proc``; blanks elsewhere)."""
    import os

    info = {"nproc": os.cpu_count(), "cpu": platform.processor() or "", "ram_gb": None,
            "python": platform.python_version()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 ** 2, 1)
    except OSError:
        pass
    if hasattr(os, "sched_getaffinity"):
        info["nproc"] = len(os.sched_getaffinity(0))
    return info


def workdir_problem(workdir: str | Path | None) -> str | None:
    """What is wrong with a ``--workdir`` (it must be an existing folder), or None.

    Examples
    --------
    >>> workdir_problem(None) is None, workdir_problem(".") is None
    (True, True)
    >>> workdir_problem("no/such/folder")
    '--workdir no/such/folder is not a folder: create it, or leave --workdir out to use the temporary folder'
    """
    if workdir is None or Path(workdir).is_dir():
        return None
    return f"--workdir {workdir} is not a folder: create it, or leave --workdir out to use the temporary folder"


def benchmark_run(paragraphs: int, *, stages: Sequence[str] = tuple(STAGES), jobs: int = 2,
                  chunk_size: int = CHUNK_SIZE, words: float = 100.0, perturb: float = 0.25,
                  naive: int = 1000, topics: int = 8, per_file: int = 100, seed: int = config.SEED,
                  workdir: str | Path | None = None, corpus_dir: str | Path | None = None,
                  isolate: bool = True, emit: Callable[[dict], None] | None = None,
                  log: Callable[[str], None] | None = None) -> list[dict]:
    """Build the synthetic corpus and run ``stages``; return (and ``emit``) one record per stage."""
    from analysis.corpus import load_corpus
    from analysis.scoring import study_scorer
    from analysis.topics import topic_vectorizer

    if int(paragraphs) != paragraphs or paragraphs < 1:
        raise ValueError(f"--paragraphs must be a positive integer, not {paragraphs!r}")
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise ValueError(f"unknown stage {unknown[0]!r} — use one of {', '.join(STAGES)}")
    log = log or (lambda message: None)
    source = load_corpus(corpus_dir).paragraphs["text"].tolist()
    scorer = study_scorer(corpus_dir, measures="index")
    scorer_all = study_scorer(corpus_dir, measures="all") if "score_all" in stages else None
    topic_vectorizers = {m: topic_vectorizer(m).fit(source) for m in ("lda", "nmf")}
    records = []
    with tempfile.TemporaryDirectory(prefix="benchmarks-", dir=workdir) as tmp:
        folder = Path(tmp) / "texts"
        start = time.perf_counter()
        files, n, n_words = write_corpus(folder, synthetic_paragraphs(source, paragraphs, words=words,
                                                                       perturb=perturb, seed=seed), per_file)
        log(json.dumps({"corpus": {"paragraphs": n, "words": n_words, "files": files,
                                   "seconds_to_build": round(time.perf_counter() - start, 1)},
                        "machine": machine(), "jobs": jobs, "chunk_size": chunk_size}))
        ctx = dict(folder=str(folder), workdir=tmp, scorer=scorer, scorer_all=scorer_all, jobs=jobs,
                   chunk_size=chunk_size, paragraphs=n, naive=min(naive, n), topics=topics, seed=seed,
                   topic_vectorizers=topic_vectorizers)
        for name in stages:
            record = stage_run(name, ctx, isolate)
            records.append(record)
            if emit:
                emit(record)
    return records
