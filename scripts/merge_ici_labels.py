#!/usr/bin/env python3
"""Merges the readings of the evaluation set version 2 into data/evaluation/ici_labels_v2.csv and
reports inter-reader agreement (Cohen's kappa).

Usage: scripts/merge_ici_labels.py [--adjudications FILE]

Reads data/evaluation/ici_label_sample_v2.csv (the design), ici_labels_2014_2020.csv (the 180
labels read before the codebook, by the authors of the rules), readings/reading_B*.csv (first
readings of the 420 new projects against codebook version 1), readings/reading_R*.csv (readings of
the 180 earlier projects against codebook version 1, 2026-12-05, by readers who saw neither the
earlier labels nor any other reading) and readings/reading_S*.csv (the independent second readings
of 120 projects). Every label is a codebook reading: the first reading of a project is its B or R
reading; the earlier label of the 180 stays beside it (earlier_is_ici, earlier_rationale), it no
longer decides. Where the two readings of a double-read project disagree, the adjudication
(readings/adjudication.csv, a third reader who saw both readings and the text) decides, and the row
says so. Only the Python standard library is used.
"""
import csv
import glob
import os
import sys
from collections import Counter

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVAL = os.path.join(HERE, "data", "evaluation")


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def kappa(pairs):
    """Cohen's kappa of two binary readings: (p_o - p_e) / (1 - p_e)."""
    n = len(pairs)
    if n == 0:
        return None, 0
    agree = sum(1 for a, b in pairs if a == b) / n
    pa = sum(a for a, _ in pairs) / n
    pb = sum(b for _, b in pairs) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return ((agree - expected) / (1 - expected) if expected < 1 else 1.0), agree


def main():
    design = {r["eval_id"]: r for r in read(os.path.join(EVAL, "ici_label_sample_v2.csv"))}
    old = {r["eval_id"]: r for r in read(os.path.join(EVAL, "ici_labels_2014_2020.csv"))}
    first, second = {}, {}
    for path in sorted(glob.glob(os.path.join(EVAL, "readings", "reading_*.csv"))):
        batch = os.path.basename(path)[len("reading_"):-4]
        for r in read(path):
            if design[r["eval_id"]]["project_id"] != r["project_id"]:
                sys.exit(f"{path}: eval_id {r['eval_id']} is project {design[r['eval_id']]['project_id']}, not {r['project_id']}")
            if batch.startswith("R") and design[r["eval_id"]]["read_before_codebook"] != "true":
                sys.exit(f"{path}: eval_id {r['eval_id']} is no earlier label; R readings re-read the 180 earlier labels")
            target = second if batch.startswith("S") else first
            if r["eval_id"] in target:
                sys.exit(f"{path}: eval_id {r['eval_id']} read twice in the same role")
            target[r["eval_id"]] = r
    unread = sorted(set(old) - set(first), key=int)
    if unread:
        sys.exit(f"no codebook reading (readings/reading_R*.csv) for the earlier labels of eval_ids {unread[:10]}...")
    missing = set(design) - set(first)
    if missing:
        sys.exit(f"no first reading for eval_ids {sorted(missing, key=int)[:10]}...")
    adjudicated = {}
    adj_path = os.path.join(EVAL, "readings", "adjudication.csv")
    if os.path.exists(adj_path):
        adjudicated = {r["eval_id"]: r for r in read(adj_path)}

    rows = []
    for eid in sorted(design, key=int):
        d, f, s, e = design[eid], first[eid], second.get(eid), old.get(eid)
        label = f
        decided_by = "first_reading"
        if s and s["is_ici"] != f["is_ici"]:
            a = adjudicated.get(eid)
            if a:
                label, decided_by = a, "adjudication"
            else:
                decided_by = "first_reading_disputed"
        rows.append({
            "eval_id": eid, "project_id": d["project_id"], "programme": d["programme"], "acronym": d["acronym"],
            "themed": d["themed"], "strand": d["strand"], "text_language": d["text_language"], "weight": d["weight"],
            "is_ici": label["is_ici"], "confidence": label.get("confidence", ""),
            "specializations": label["specializations"], "rationale": label["rationale"], "reader": label["reader"],
            "read_before_codebook": d["read_before_codebook"], "decided_by": decided_by,
            "first_is_ici": f["is_ici"], "first_reader": f["reader"],
            "second_is_ici": s["is_ici"] if s else "", "second_confidence": s["confidence"] if s else "",
            "second_reader": s["reader"] if s else "",
            "earlier_is_ici": e["is_ici"] if e else "", "earlier_rationale": e["rationale"] if e else "",
        })
    out = os.path.join(EVAL, "ici_labels_v2.csv")
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)

    print(f"{len(rows)} labelled projects -> {out}")
    print(f"ICIs: {sum(1 for r in rows if r['is_ici'] == '1')}; by confidence: "
          f"{dict(Counter((r['is_ici'], r['confidence'] or 'not recorded') for r in rows))}")
    weighted = sum(float(r["weight"]) for r in rows if r["is_ici"] == "1")
    print(f"weighted to the export: {weighted:.0f} ICIs of {sum(float(r['weight']) for r in rows):.0f} projects")
    groups = {
        "all double-read, both against the codebook": list(second),
        "of them, projects with an earlier label": [e for e in second if e in old],
        "of them, the 420 new projects": [e for e in second if e not in old],
        "both readings high confidence": [e for e in second if first[e]["confidence"] == "high" and second[e]["confidence"] == "high"],
    }
    print("agreement (Cohen's kappa on is_ici):")
    for name, ids in groups.items():
        k, agree = kappa([(int(first[e]["is_ici"]), int(second[e]["is_ici"])) for e in ids])
        if k is not None:
            print(f"  {name:60s} n={len(ids):3d}  observed {agree:.3f}  kappa {k:.3f}")
    k, agree = kappa([(int(old[e]["is_ici"]), int(first[e]["is_ici"])) for e in old])
    print(f"  {'earlier label (before the codebook) vs codebook reading':60s} n={len(old):3d}  observed {agree:.3f}  kappa {k:.3f}")
    flips = Counter((old[e]["is_ici"], first[e]["is_ici"]) for e in old)
    print(f"the {len(old)} earlier labels, earlier -> codebook: "
          f"{', '.join(f'{a}->{b}: {n}' for (a, b), n in sorted(flips.items()))}")
    disputed = [e for e in second if second[e]["is_ici"] != first[e]["is_ici"]]
    print(f"disagreements: {len(disputed)} ({sum(1 for e in disputed if e in adjudicated)} adjudicated): "
          f"{', '.join(sorted(disputed, key=int))}")
    unused = sorted(set(adjudicated) - set(disputed), key=int)
    if unused:
        print(f"adjudications of readings that now agree (kept in the file, not used): {', '.join(unused)}")


if __name__ == "__main__":
    main()
