"""Command line: ``python -m analysis {validate,report,score,sample}``.

Bad input is reported as one ``path[:line]: problem — fix`` line per problem on
stderr with exit status 2; it never produces a traceback. ``score`` running out of
memory is reported the same way, naming the file to split. ``validate`` also prints
``warning: path: ...`` lines for what may cause trouble without being wrong (a very
large text file); warnings alone leave the exit status 0. ``report`` prints its
progress on stderr and only the page it wrote on stdout; a failed run exits with 1, an
interrupted one with 130 (SIGINT) or 143 (SIGTERM), and neither changes any output.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import config
from .errors import InputError, Problem

EXIT_BAD_INPUT = 2
EXIT_FAILED = 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    validate = sub.add_parser("validate", help="check a corpus folder; writes nothing")
    validate.add_argument("corpus", nargs="?", default=str(config.CORPUS_DIR),
                          help="corpus folder (default: the study's corpus/)")

    report = sub.add_parser(
        "report", help="execute every notebook and render the report",
        description="Check the corpus (as validate does) and the options, execute every notebook, then move "
                    "notebooks, tables, figures and HTML into place. A failed or interrupted run changes nothing.")
    report.add_argument("--corpus", default=None,
                        help="corpus folder (default: the study's corpus/); another corpus needs --out")
    report.add_argument("--out", default=None,
                        help="write notebooks, results and reports under this folder instead of the repository")
    report.add_argument("--only", nargs="*", default=None, metavar="NOTEBOOK",
                        help="run only these notebooks (e.g. 01-corpus) and replace only their outputs; "
                             "the index page and results/MANIFEST.json are not rewritten")
    report.add_argument("-p", dest="parameters", action="append", default=[], metavar="NAME=VALUE",
                        help="set a parameter of every notebook whose parameters cell declares NAME (repeatable); "
                             "VALUE is read as a Python literal (6, 0.5, True, None, [1, 2], 'text') and "
                             "otherwise taken as a string")

    score = sub.add_parser(
        "score", help="score every *.txt in a folder with the measures fitted on the study corpus (or --corpus)",
        description="Score every *.txt in a folder. The output folder receives unit_scores.csv, doc_scores.csv "
                    "and scorer.json (what scored them), all three or none.")
    score.add_argument("text_dir", help="folder of .txt files (doc_id = file name without .txt)")
    score.add_argument("--out", required=True,
                       help="folder that receives unit_scores.csv, doc_scores.csv and scorer.json")
    score.add_argument("--corpus", default=None,
                       help="fit the measures for this corpus folder (its paragraphs, codebook and exemplars; "
                            "checked as validate does) instead of the study's")
    score.add_argument("--retrain", action="store_true",
                       help="add the corpus' reconciled hand codes (annotations/) to the exemplars the measures "
                            "learn from; needs --corpus")
    score.add_argument("--paragraphs", choices=("line", "block"), default="line",
                       help="a paragraph is a non-empty line (default) or a block between blank lines")
    score.add_argument("--jobs", type=int, default=1,
                       help="worker processes for scoring (default 1); the tables do not depend on it")
    score.add_argument("--measures", choices=("index", "all"), default="index",
                       help="score with the measures of the combined index only (default), or add a column "
                            "per measure of the study (slower)")
    score.add_argument("--n-boot", type=int, default=config.N_BOOT,
                       help=f"bootstrap replicates of each article's interval (default {config.N_BOOT})")

    sample = sub.add_parser("sample", help="draw a blind coding sheet of a corpus' paragraphs")
    sample.add_argument("corpus", help="corpus folder")
    sample.add_argument("--n", type=int, required=True, help="paragraphs to draw")
    sample.add_argument("--out", required=True, help="CSV file to write (never overwritten)")
    sample.add_argument("--seed", type=int, default=config.SEED,
                        help="seeds the draw; the same seed gives every coder the same paragraphs "
                             f"(default {config.SEED})")
    sample.add_argument("--coder", default="", help="coder's name: the same paragraphs in this coder's own order")
    sample.add_argument("--exclude", nargs="+", action="extend", default=[], metavar="CSV",
                        help="earlier sheets or coding files (a unit_id column) whose paragraphs are never drawn")
    return parser


def _validate(args) -> int:
    from .report import corpus_problems
    from .sources import corpus_warnings

    problems = corpus_problems(Path(args.corpus))
    for problem in problems:
        print(problem, file=sys.stderr)
    for warning in corpus_warnings(Path(args.corpus)):  # worth knowing, but the corpus can still be used
        print(f"warning: {warning}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found in {args.corpus}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"{args.corpus}: corpus is sound")
    return 0


def _report(args) -> int:
    from .kernels import ReportError
    from .parameters import parameters_parse
    from .report import Interrupted, report_run

    parameters = parameters_parse(args.parameters)
    try:
        paths = report_run(corpus=args.corpus, out=args.out, only=args.only, parameters=parameters)
    except ReportError as exc:
        if exc.details:
            print(exc.details.rstrip(), file=sys.stderr)
        print(f"report failed: {exc}", file=sys.stderr)
        print("previous outputs left unchanged", file=sys.stderr)
        return EXIT_FAILED
    except Interrupted as exc:
        print("interrupted — previous outputs left unchanged", file=sys.stderr)
        return 128 + exc.signum
    print(f"report written to {paths.reports / 'index.html' if not args.only else paths.reports}")
    return 0


def _score(args) -> int:
    from .scoring import retrain_problems, score_folder

    if args.jobs < 1 or args.n_boot < 1:
        raise InputError(Problem("--jobs/--n-boot", "must be at least 1", "pass a positive whole number"))
    corpus = Path(args.corpus) if args.corpus is not None else None
    if corpus is not None:
        from .report import corpus_problems

        problems = corpus_problems(corpus)
        if problems:
            raise InputError(problems)
    if args.retrain:
        problems = retrain_problems(corpus)
        if problems:
            raise InputError(problems)
    try:
        written = score_folder(Path(args.text_dir), Path(args.out), paragraphs=args.paragraphs, corpus_dir=corpus,
                               n_jobs=args.jobs, n_boot=args.n_boot, measures=args.measures, retrain=args.retrain)
    except MemoryError:  # outside a batch (a batch names its largest file itself)
        raise InputError(Problem(args.text_dir, "ran out of memory while scoring",
                                 "split its largest files into smaller ones, lower --jobs, or score on a "
                                 "machine with more memory")) from None
    for path in written:
        print(path)
    return 0


def _sample(args) -> int:
    from .codebook import corpus_codebook
    from .sampling import sheet_summary, sheet_write

    sheet = sheet_write(args.corpus, args.out, args.n, seed=args.seed, coder=args.coder, exclude=args.exclude)
    print(sheet_summary(sheet, args.out, corpus_codebook(args.corpus)))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    handler = {"validate": _validate, "report": _report, "score": _score, "sample": _sample}[args.command]
    try:
        return handler(args)
    except InputError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
