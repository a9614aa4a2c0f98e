#!/usr/bin/env python3
"""Merges the readings of the evaluation set version 2 into data/evaluation/ici_labels_v2.csv and
reports inter-reader agreement (Cohen's kappa).

Usage: scripts/merge_ici_labels.py [--adjudications FILE]

Reads data/evaluation/ici_label_sample_v2.csv (the design), ici_labels_2014_2020.csv (the 180
labels read before the codebook, by the authors of the rules), readings/reading_B*.csv (first
readings of the 420 new projects against codebook version 1) and readings/reading_S*.csv (the
independent second readings of 120 projects). The label of a project is its first reading; where
the two readings of a double-read project disagree, the adjudication (readings/adjudication.csv,
a third reader who saw both readings and the text) decides, and the row says so.
readings/reading_R*.csv are readings of the 180 earlier labels against codebook version 1 by
readers who saw neither those labels nor any other reading (2026-12-05). They do not change
ici_labels_v2.csv yet; their agreement with the earlier labels and with the second readings is
reported, so that the switch of the 180 to codebook labels is a decision made on the numbers.
Only the Python standard library is used.
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
    first, second, reread = {}, {}, {}
    for path in sorted(glob.glob(os.path.join(EVAL, "readings", "reading_*.csv"))):
        batch = os.path.basename(path)[len("reading_"):-4]
        for r in read(path):
            if design[r["eval_id"]]["project_id"] != r["project_id"]:
                sys.exit(f"{path}: eval_id {r['eval_id']} is project {design[r['eval_id']]['project_id']}, not {r['project_id']}")
            if batch.startswith("R") and design[r["eval_id"]]["read_before_codebook"] != "true":
                sys.exit(f"{path}: eval_id {r['eval_id']} is no earlier label; R readings re-read the 180 earlier labels")
            target = second if batch.startswith("S") else reread if batch.startswith("R") else first
            if r["eval_id"] in target:
                sys.exit(f"{path}: eval_id {r['eval_id']} read twice in the same role")
            target[r["eval_id"]] = r
    for eid, r in old.items():
        first[eid] = {"eval_id": eid, "project_id": r["project_id"], "is_ici": r["is_ici"], "confidence": "",
                      "specializations": r["specializations"], "rationale": r["rationale"], "reader": "v1-rule-authors",
                      "codebook_version": ""}
    missing = set(design) - set(first)
    if missing:
        sys.exit(f"no first reading for eval_ids {sorted(missing, key=int)[:10]}...")
    adjudicated = {}
    adj_path = os.path.join(EVAL, "readings", "adjudication.csv")
    if os.path.exists(adj_path):
        adjudicated = {r["eval_id"]: r for r in read(adj_path)}

    rows = []
    for eid in sorted(design, key=int):
        d, f, s = design[eid], first[eid], second.get(eid)
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
        "all double-read": [e for e in second],
        "read before the codebook (v1 labels) vs codebook reading": [e for e in second if design[e]["read_before_codebook"] == "true"],
        "both against the codebook": [e for e in second if design[e]["read_before_codebook"] == "false"],
        "both readings high confidence": [e for e in second if design[e]["read_before_codebook"] == "false"
                                          and first[e]["confidence"] == "high" and second[e]["confidence"] == "high"],
    }
    print("agreement (Cohen's kappa on is_ici):")
    for name, ids in groups.items():
        k, agree = kappa([(int(first[e]["is_ici"]), int(second[e]["is_ici"])) for e in ids])
        if k is not None:
            print(f"  {name:60s} n={len(ids):3d}  observed {agree:.3f}  kappa {k:.3f}")
    if reread:
        pairs = {
            "earlier label vs codebook re-reading (R)": [(first[e], reread[e]) for e in reread],
            "second reading (S) vs codebook re-reading (R), both codebook": [(second[e], reread[e]) for e in reread if e in second],
        }
        for name, ps in pairs.items():
            k, agree = kappa([(int(a["is_ici"]), int(b["is_ici"])) for a, b in ps])
            if k is not None:
                print(f"  {name:60s} n={len(ps):3d}  observed {agree:.3f}  kappa {k:.3f}")
        flips = Counter((first[e]["is_ici"], reread[e]["is_ici"]) for e in reread)
        print(f"re-read (not merged): {len(reread)} of the 180 earlier labels; earlier -> codebook: "
              f"{', '.join(f'{a}->{b}: {n}' for (a, b), n in sorted(flips.items()))}")
    disputed = [e for e in second if second[e]["is_ici"] != first[e]["is_ici"]]
    print(f"disagreements: {len(disputed)} ({sum(1 for e in disputed if e in adjudicated)} adjudicated): "
          f"{', '.join(sorted(disputed, key=int))}")


if __name__ == "__main__":
    main()
