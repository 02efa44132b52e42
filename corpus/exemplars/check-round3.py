"""Format checker for paired training paragraphs: python check.py WRITER.jsonl"""
import collections
import difflib
import json
import re
import sys

KEYS = ["exemplar_id", "writer", "brief", "pair", "edit", "partner", "year", "genre", "text",
        "alliance", "force", "kind", "note"]
CODES = {"alliance": {"transactional", "ideological", "mixed", "none"},
         "force": {"deterrence", "credibility", "mixed", "none"}}
KINDS = {"clear", "rejected", "attributed", "negated", "hedged", "mixed", "false_friend", "plain"}
EDITS = {"pole": 30, "stance": 24, "removal": 16, "mixed": 10}
GENRES = {"wire report", "analysis", "op-ed", "state-media commentary"}


def words(t):
    return re.findall(r"[a-z0-9']+", t.lower())


def main(path):
    problems, rows = [], []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip():
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"line {n}: not JSON ({e.msg})")
            continue
        missing = [k for k in KEYS if k not in r or str(r[k]).strip() == ""]
        if missing:
            problems.append(f"line {n}: missing {missing}")
            continue
        rows.append((n, r))
    for n, r in rows:
        for c, allowed in CODES.items():
            if r[c] not in allowed:
                problems.append(f"line {n}: {c} {r[c]!r} not one of {sorted(allowed)}")
        if r["kind"] not in KINDS:
            problems.append(f"line {n}: kind {r['kind']!r} unknown")
        if r["edit"] not in EDITS:
            problems.append(f"line {n}: edit {r['edit']!r} not one of {sorted(EDITS)}")
        if r["genre"] not in GENRES:
            problems.append(f"line {n}: genre {r['genre']!r} not one of {sorted(GENRES)}")
        w = len(r["text"].split())
        if not 60 <= w <= 120:
            problems.append(f"line {n}: {w} words (write 60-120)")
        if len(re.findall(r"[.!?][\"'\u201d\u2019)]?(\s|$)", r["text"])) < 3:
            problems.append(f"line {n}: fewer than three sentences")
        if "\n" in r["text"]:
            problems.append(f"line {n}: line break in text")
        if not re.fullmatch(r"\d{4}", str(r["year"])) or not 2005 <= int(r["year"]) <= 2025:
            problems.append(f"line {n}: year {r['year']!r} not 2005-2025")
    ids = [r["exemplar_id"] for _, r in rows]
    writer = rows[0][1]["writer"] if rows else "WRITER"
    expected = [f"{writer}-{i:04d}" for i in range(1, len(rows) + 1)]
    if ids != expected:
        problems.append("exemplar_ids are not WRITER-0001, WRITER-0002, ... in order")
    texts = collections.Counter(" ".join(words(r["text"])) for _, r in rows)
    for t, k in texts.items():
        if k > 1:
            problems.append(f"a text occurs {k} times: {t[:60]}...")
    edits = collections.Counter()
    for i in range(0, len(rows) - 1, 2):
        (na, a), (nb, b) = rows[i], rows[i + 1]
        if a["pair"] != b["exemplar_id"] or b["pair"] != a["exemplar_id"]:
            problems.append(f"lines {na}-{nb}: pair fields do not name each other")
        if a["edit"] != b["edit"]:
            problems.append(f"lines {na}-{nb}: edit differs within the pair")
        edits[a["edit"]] += 1
        if a["alliance"] == b["alliance"] and a["force"] == b["force"]:
            problems.append(f"lines {na}-{nb}: the twins have the same codes")
        wa, wb = words(a["text"]), words(b["text"])
        sm = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
        same = sum(m.size for m in sm.get_matching_blocks())
        changed = max(len(wa), len(wb)) - same
        if changed > max(len(wa), len(wb)) * 0.4:
            problems.append(f"lines {na}-{nb}: {changed} of {max(len(wa), len(wb))} words differ "
                            "(change one clause or sentence; keep the rest identical)")
        if changed == 0:
            problems.append(f"lines {na}-{nb}: the twins have the same words")
        if a["edit"] == "pole":
            flipped = [c for c in CODES if a[c] != b[c]]
            if len(flipped) != 1 or "none" in (a[flipped[0]], b[flipped[0]]) or "mixed" in (a[flipped[0]], b[flipped[0]]):
                problems.append(f"lines {na}-{nb}: a pole pair flips exactly one contrast from one pole to the other")
    if len(rows) % 2:
        problems.append("odd number of paragraphs: every paragraph needs its twin")
    print(f"{len(rows)} paragraphs, {len(rows) // 2} pairs")
    print("pairs by edit:", dict(sorted(edits.items())), "target:", EDITS)
    for c in CODES:
        print(c, dict(sorted(collections.Counter(r[c] for _, r in rows).items())))
    print("kind", dict(sorted(collections.Counter(r["kind"] for _, r in rows).items())))
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
