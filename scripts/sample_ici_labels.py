#!/usr/bin/env python3
"""The labelled evaluation set, version 2: which 2014-2020 projects are read, and the reading packs.

Usage: scripts/sample_ici_labels.py BI_DIR OUT_DIR
  BI_DIR   the bi/ folder of a sample run with the silver copies
           (bin/ici-atlas run --output DIR --regions baltic --set bi.silver=true: DIR/bi)
  OUT_DIR  where the reading packs go (batch_*.md, one per reader; not committed)

Writes data/evaluation/ici_label_sample_v2.csv: the 180 projects of ici_labels_2014_2020.csv
(read before the codebook) and 420 new ones, every project with its stratum, its batch and
whether it is read twice.

Design (seed 20261201):
- population: the 1,852 projects of the bundled 2014-2020 export that have a project record;
- strata: themed ("Clustering and economic cooperation" among the Keep.eu themes) or not, x the
  programme's strand (silver_programmes.strand), x the language of the text (English
  description present, or national language only);
- every themed project is read (the 77 not yet labelled are added: the stratum is a census);
- the other 343 new ones are allocated to the non-themed strata in proportion to what is left of
  each (largest remainder), and drawn systematically from the stratum sorted by programme and a
  seeded random key, so every large programme is represented;
- 120 projects are read twice, independently: 40 of the old 180 and 80 of the new 420;
- post-stratification weights (stratum size / labelled in the stratum) weight the set to the export.
Only the Python standard library is used, so the script runs wherever the pipeline's output is.
"""
import csv
import hashlib
import os
import random
import sys
from collections import defaultdict

csv.field_size_limit(10**9)
SEED = 20261201
NEW_TOTAL = 420
BATCHES = 6
SECOND_OLD, SECOND_NEW = 40, 80
THEME = "Clustering and economic cooperation"
MAX_TEXT = 3500
MAX_PARTNERS = 40


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def key(seed, text):
    return hashlib.sha256(f"{seed}|{text}".encode()).hexdigest()


def main(bi_dir, out_dir):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    projects = [p for p in read(os.path.join(bi_dir, "silver_projects.csv"))
                if p["period"] == "2014-2020" and p["has_project_record"] == "true"]
    strands = {p["programme_key"]: p["strand"] for p in read(os.path.join(bi_dir, "silver_programmes.csv"))}
    partners = defaultdict(list)
    for row in read(os.path.join(bi_dir, "silver_participations.csv")):
        partners[row["project_id"]].append(row)
    old = read(os.path.join(repo, "data", "evaluation", "ici_labels_2014_2020.csv"))
    old_ids = {r["project_id"] for r in old}

    def stratum(p):
        themed = "themed" if THEME in p["themes"].split("|") else "not_themed"
        language = "en" if p["description_en"].strip() else "national_only"
        return (themed, strands.get(p["programme_key"], "cross_border"), language)

    by_stratum = defaultdict(list)
    for p in projects:
        by_stratum[stratum(p)].append(p)
    missing = old_ids - {p["project_id"] for p in projects}
    if missing:
        sys.exit(f"sample_ici_labels: {len(missing)} labelled project ids are not in {bi_dir}/silver_projects.csv")

    chosen = []
    themed_new = [p for s, ps in by_stratum.items() if s[0] == "themed" for p in ps if p["project_id"] not in old_ids]
    chosen += themed_new
    remaining = {s: [p for p in ps if p["project_id"] not in old_ids] for s, ps in by_stratum.items() if s[0] == "not_themed"}
    to_draw = NEW_TOTAL - len(chosen)
    total_left = sum(len(v) for v in remaining.values())
    quotas = {s: to_draw * len(v) / total_left for s, v in remaining.items()}
    alloc = {s: int(q) for s, q in quotas.items()}
    for s in sorted(quotas, key=lambda s: (-(quotas[s] - alloc[s]), s))[: to_draw - sum(alloc.values())]:
        alloc[s] += 1
    for s in sorted(remaining):
        pool = sorted(remaining[s], key=lambda p: (p["programme"], key(SEED, p["project_id"])))
        n = alloc[s]
        if n == 0:
            continue
        step = len(pool) / n
        offset = random.Random(f"{SEED}|{s}").random() * step
        chosen += [pool[int(offset + i * step)] for i in range(n)]

    rng = random.Random(SEED)
    rng.shuffle(chosen)
    new_rows = []
    for i, p in enumerate(chosen):
        new_rows.append({"project": p, "eval_id": 181 + i, "batch": f"B{i % BATCHES + 1}", "read_before_codebook": "false"})
    by_id = {p["project_id"]: p for p in projects}
    old_rows = [{"project": by_id[r["project_id"]], "eval_id": int(r["eval_id"]), "batch": "V1",
                 "read_before_codebook": "true"} for r in old]
    rows = old_rows + new_rows
    second = set(r["eval_id"] for r in rng.sample(old_rows, SECOND_OLD)) | set(r["eval_id"] for r in rng.sample(new_rows, SECOND_NEW))

    labelled = defaultdict(int)
    for r in rows:
        labelled[stratum(r["project"])] += 1
    out_csv = os.path.join(repo, "data", "evaluation", "ici_label_sample_v2.csv")
    with open(out_csv, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["eval_id", "project_id", "programme", "acronym", "themed", "strand", "text_language",
                    "stratum_size", "stratum_labelled", "weight", "first_reading", "read_before_codebook", "second_reading"])
        for r in sorted(rows, key=lambda r: r["eval_id"]):
            p = r["project"]
            s = stratum(p)
            w.writerow([r["eval_id"], p["project_id"], p["programme"], p["acronym"], s[0], s[1], s[2],
                        len(by_stratum[s]), labelled[s], f"{len(by_stratum[s]) / labelled[s]:.6f}", r["batch"],
                        r["read_before_codebook"], "S1" if r["eval_id"] in second and r["eval_id"] % 2 == 0
                        else "S2" if r["eval_id"] in second else ""])
    os.makedirs(out_dir, exist_ok=True)
    packs = defaultdict(list)
    for r in rows:
        if r["batch"] != "V1":
            packs[r["batch"]].append(r)
        if r["eval_id"] in second:
            packs["S1" if r["eval_id"] % 2 == 0 else "S2"].append(r)
    for batch, items in sorted(packs.items()):
        with open(os.path.join(out_dir, f"batch_{batch}.md"), "w", encoding="utf-8") as f:
            f.write(f"# Reading pack {batch}: {len(items)} projects of the 2014-2020 Keep.eu export\n\n")
            for r in sorted(items, key=lambda r: r["eval_id"]):
                f.write(render(r["eval_id"], r["project"], strands, partners[r["project"]["project_id"]]))
    print(f"{len(rows)} projects ({len(new_rows)} new, {len(second)} read twice) -> {out_csv}; packs in {out_dir}")
    for s in sorted(by_stratum):
        print(f"  {'/'.join(s):45s} population {len(by_stratum[s]):5d}  labelled {labelled[s]:4d}")


def cut(text):
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT] + " [...]"


def render(eval_id, p, strands, partner_rows):
    lines = [f"## eval_id {eval_id} | project_id {p['project_id']}",
             f"- programme: {p['programme']} (strand: {strands.get(p['programme_key'], 'cross_border')})",
             f"- acronym: {p['acronym']}",
             f"- title: {p['title']}"]
    for field in ("title_lang2", "title_lang3"):
        if p[field].strip() and p[field].strip() != p["title"].strip():
            lines.append(f"- {field}: {p[field]}")
    lines.append(f"- Keep.eu themes: {p['themes'].replace('|', '; ') or '(none)'}")
    for field in ("description_en", "expected_results_en", "description_1", "expected_results_1",
                  "description_2", "expected_results_2"):
        if p[field].strip():
            lines.append(f"- {field}: {cut(p[field])}")
    countries = sorted({r["country_code"] for r in partner_rows if r["country_code"]})
    lines.append(f"- partners: {len(partner_rows)} from {', '.join(countries) or '?'}")
    for r in sorted(partner_rows, key=lambda r: (r["is_lead"] != "true", r["country_code"], r["organisation"]))[:MAX_PARTNERS]:
        lead = "LEAD " if r["is_lead"] == "true" else ""
        lines.append(f"  - {lead}{r['organisation']} ({r['town']}, {r['country_code']}; {r['legal_status'] or 'status ?'})")
    if len(partner_rows) > MAX_PARTNERS:
        lines.append(f"  - ... and {len(partner_rows) - MAX_PARTNERS} more")
    return "\n".join(lines) + "\n\n"


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
