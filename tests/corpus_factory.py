"""Build small corpus folders for tests (the project's own toy text)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

TOY_TEXTS = {
    "alpha-2020": "Alpha Headline\n\nThe pact is a marriage of convenience.\n\nIt may not last.\n",
    "beta-2021": "Beta Headline\nThe bloc shares an ideology. Gen. Smith said so on Oct. 7.\n",
}

TOY_METADATA = [
    {"doc_id": "alpha-2020", "file": "texts/alpha-2020.txt", "headline": "Alpha Headline",
     "headline_basis": "stated: line 1", "date": "2020-05-01", "date_basis": "stated: line 1",
     "genre": "analysis", "genre_basis": "inferred: tone"},
    {"doc_id": "beta-2021", "file": "texts/beta-2021.txt", "headline": "Beta Headline",
     "headline_basis": "stated: line 1", "date": "2021-02-28", "date_basis": "inferred: events",
     "genre": "opinion", "genre_basis": "inferred: first person"},
]


def csv_text(rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def make_corpus(root: Path, texts: dict[str, str | bytes] | None = None,
                metadata: list[dict] | None = None, furniture: str | None = None,
                corrections: str | None = None) -> Path:
    """Write a corpus folder under ``root`` and return its path."""
    texts = TOY_TEXTS if texts is None else texts
    metadata = TOY_METADATA if metadata is None else metadata
    (root / "texts").mkdir(parents=True, exist_ok=True)
    for doc_id, content in texts.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (root / "texts" / f"{doc_id}.txt").write_bytes(data)
    (root / "metadata.csv").write_text(csv_text(metadata), encoding="utf-8")
    (root / "furniture.csv").write_text(
        furniture if furniture is not None else
        "rule_id,doc_id,pattern,role,note\nheadline,*,(?:Alpha|Beta) Headline,headline,\n", encoding="utf-8")
    if corrections is not None:
        (root / "corrections.csv").write_text(corrections, encoding="utf-8")
    return root


def demo_copy(root: Path, writers: tuple[str, ...] = ("w1", "w2", "w3"), per_writer: int = 60,
              annotations: bool = True) -> Path:
    """A copy of ``examples/demo-corpus`` under ``root`` whose ``exemplars/`` holds the first
    ``per_writer`` of the study's exemplars by each of ``writers`` (fast to fit, every code
    of both contrasts present); without ``annotations/`` when ``annotations`` is False."""
    import json
    import shutil

    from analysis import config
    from analysis.exemplars import REQUIRED, load_exemplars

    shutil.copytree(config.ROOT / "examples" / "demo-corpus", root)
    if not annotations:
        shutil.rmtree(root / "annotations")
    ex = load_exemplars()
    (root / "exemplars").mkdir()
    for writer in writers:
        rows = ex[ex["writer"] == writer].head(per_writer)[[*REQUIRED, "alliance", "force"]]
        lines = [json.dumps(row, ensure_ascii=False) for row in rows.to_dict(orient="records")]
        (root / "exemplars" / f"{writer}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root
