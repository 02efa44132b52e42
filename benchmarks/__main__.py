"""``python -m benchmarks --paragraphs N``: one JSON line per stage on stdout (see :mod:`benchmarks`).

The corpus and machine are described in one JSON line on stderr.
"""
from __future__ import annotations

import argparse
import json
import sys

from analysis.streaming import CHUNK_SIZE

from . import STAGES, benchmark_run, workdir_problem


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, required=True, help="paragraphs in the synthetic corpus")
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=list(STAGES), metavar="STAGE",
                        help=f"stages to run, in this order (default: all: {' '.join(STAGES)})")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of score_parallel (default 2)")
    parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE, help="paragraphs per chunk")
    parser.add_argument("--words", type=float, default=100.0, help="mean words per paragraph (default 100)")
    parser.add_argument("--perturb", type=float, default=0.25, help="share of words given a new suffix")
    parser.add_argument("--naive", type=int, default=1000,
                        help="paragraphs scored one at a time by baseline_naive and reference_batch")
    parser.add_argument("--workdir", default=None, help="where the temporary corpus is written")
    parser.add_argument("--seed", type=int, default=None, help="seed of the synthetic corpus")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.paragraphs < 1 or args.jobs < 1 or args.chunk_size < 1 or args.naive < 1:
        print("--paragraphs, --jobs, --chunk-size and --naive must be positive integers", file=sys.stderr)
        return 2
    problem = workdir_problem(args.workdir)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    extra = {} if args.seed is None else {"seed": args.seed}
    benchmark_run(args.paragraphs, stages=args.stages, jobs=args.jobs, chunk_size=args.chunk_size,
                  words=args.words, perturb=args.perturb, naive=args.naive, workdir=args.workdir,
                  emit=lambda record: print(json.dumps(record), flush=True),
                  log=lambda message: print(message, file=sys.stderr, flush=True), **extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
