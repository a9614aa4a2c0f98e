#!/usr/bin/env python3
"""compare_bi.py A B: every bi/*.csv of two runs, cell by cell, timestamps and run ids aside.

Used to show that a change kept every output (issues 12 and 13): exit 0 when the two bi/ folders
hold the same tables with the same header and the same cells in the same order, else 1 with the
first differences per table. Columns that differ between any two runs by design (when and as which
run a row was written) are left out: run_id, _run_id, ingested_at, _ingested_at, started_at,
ended_at, command_line, code_version, and run_manifest as a whole.
"""
import csv
import os
import sys

RUN_COLUMNS = {"run_id", "_run_id", "ingested_at", "_ingested_at", "started_at", "ended_at",
               "command_line", "code_version"}


def rows(path):
    csv.field_size_limit(sys.maxsize)
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def main(a, b):
    tables_a = {n for n in os.listdir(a) if n.endswith(".csv")}
    tables_b = {n for n in os.listdir(b) if n.endswith(".csv")}
    problems = 0
    for missing, where in ((tables_a - tables_b, b), (tables_b - tables_a, a)):
        for n in sorted(missing):
            print(f"{n}: not in {where}")
            problems += 1
    cells = 0
    for name in sorted(tables_a & tables_b):
        if name == "run_manifest.csv":
            continue
        x, y = rows(os.path.join(a, name)), rows(os.path.join(b, name))
        if not x or not y or x[0] != y[0]:
            print(f"{name}: headers differ: {x[:1]} vs {y[:1]}")
            problems += 1
            continue
        keep = [i for i, c in enumerate(x[0]) if c not in RUN_COLUMNS]
        if len(x) != len(y):
            print(f"{name}: {len(x) - 1} rows vs {len(y) - 1}")
            problems += 1
            continue
        shown = 0
        for r, (rx, ry) in enumerate(zip(x, y)):
            for i in keep:
                cells += 1
                if rx[i] != ry[i]:
                    if shown < 3:
                        print(f"{name} row {r} column {x[0][i]}: {rx[i][:80]!r} vs {ry[i][:80]!r}")
                    shown += 1
        if shown:
            print(f"{name}: {shown} cell(s) differ")
            problems += 1
    print(f"compared {len(tables_a & tables_b)} tables, {cells:,} cells: "
          + ("identical" if problems == 0 else f"{problems} table(s) differ"))
    return 0 if problems == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.splitlines()[0])
    sys.exit(main(os.path.join(sys.argv[1], "bi") if os.path.isdir(os.path.join(sys.argv[1], "bi")) else sys.argv[1],
                  os.path.join(sys.argv[2], "bi") if os.path.isdir(os.path.join(sys.argv[2], "bi")) else sys.argv[2]))
