#!/usr/bin/env python3
"""Joins the star schema's CSVs under DIR/bi in pandas as an analyst would: plain read_csv, no dtype
hints, then merge of every fact row with every dimension (and of the bridge with its dimensions).
The joins are the foreign keys that DIR/bi/datapackage.json declares. Fails (exit 1) when a join
loses or duplicates a row; prints one line per join.

Usage: check_bi_joins.py DIR/bi
"""
import json
import sys
from pathlib import Path

import pandas as pd

def joins(bi: Path):
    """Every foreign key of datapackage.json (written with the CSVs), as (table, column, referenced table)."""
    package = json.loads((bi / "datapackage.json").read_text(encoding="utf-8"))
    out = []
    for resource in package["resources"]:
        for fk in resource.get("schema", {}).get("foreignKeys", []):
            if fk["fields"] != fk["reference"]["fields"]:
                raise SystemExit(f"{resource['name']}: a foreign key with another name in its dimension: {fk}")
            out.append((resource["name"], fk["fields"], fk["reference"]["resource"]))
    if not out:
        raise SystemExit(f"{bi / 'datapackage.json'} declares no foreign key")
    return out


def main() -> int:
    bi = Path(sys.argv[1])
    declared = joins(bi)
    tables = {}
    for left, _, right in declared:
        for name in (left, right):
            if name not in tables:
                tables[name] = pd.read_csv(bi / f"{name}.csv", low_memory=False)
    failures = []
    result = {}
    for left, key, right in declared:
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
