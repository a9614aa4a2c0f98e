#!/usr/bin/env python3
"""Joins the star schema's CSVs under DIR/bi in pandas as an analyst would: plain read_csv, no dtype
hints, then merge of every fact row with every dimension (and of the bridge with its dimensions).
Fails (exit 1) when a join loses or duplicates a row; prints one line per join.

Usage: check_bi_joins.py DIR/bi
"""
import json
import sys
from pathlib import Path

import pandas as pd

JOINS = [
    ("star_fact_participation", "project_key", "star_dim_project"),
    ("star_fact_participation", "programme_sk", "star_dim_programme"),
    ("star_fact_participation", "region_key", "star_dim_region"),
    ("star_dim_project", "programme_sk", "star_dim_programme"),
    ("star_bridge_project_specialization", "project_key", "star_dim_project"),
    ("star_bridge_project_specialization", "specialization_key", "star_dim_specialization"),
    ("star_bridge_programme_country", "programme_sk", "star_dim_programme"),
    ("star_bridge_project_reason", "project_key", "star_dim_project"),
]


def main() -> int:
    bi = Path(sys.argv[1])
    tables = {}
    for left, _, right in JOINS:
        for name in (left, right):
            if name not in tables:
                tables[name] = pd.read_csv(bi / f"{name}.csv", low_memory=False)
    failures = []
    result = {}
    for left, key, right in JOINS:
        facts, dim = tables[left], tables[right]
        merged = facts.merge(dim[[key]], on=key, how="inner", validate="many_to_one")
        line = f"{left}.{key} -> {right}: {len(merged)} of {len(facts)} rows matched (key dtype {facts[key].dtype})"
        print(line)
        result[f"{left}.{key}"] = {"rows": len(facts), "matched": len(merged)}
        if len(merged) != len(facts) or facts[key].isna().any():
            failures.append(line)
    print(json.dumps(result))
    if failures:
        print("joins that lose rows:\n  " + "\n  ".join(failures))
        return 1
    print("every fact and bridge row joins its dimensions in pandas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
