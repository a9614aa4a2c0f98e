#!/usr/bin/env python3
"""Rebuild a Keep.eu-layout partner export for 2000-2006 and 2007-2013 from the R copy.

Input:  shared/data/keep/derived/PartnersIDProj.rds.csv (R write.table: every field quoted,
        ';' separated, R-mangled column names, 3 columns added by the source repo's author).
Output: data/sample/keep/keep_partners_2000_2013.csv in the Keep.eu partner-export dialect:
        ';' separated, UTF-8 without BOM, CRLF record ends, '"' quoting only where needed.

What changes: the 15 Keep.eu column names are restored (Project.Partner -> Project Partner,
NUTS2..or.equivalent. -> NUTS2 (or equivalent), ...); the added columns Join, ID_PARTICIPATION and
ID_PARTNER are dropped; rows of 2014-2020 programmes are dropped (the bundled
keep_closed_1420.xlsx is the fuller 2014-2020 export). Cell values are not changed.
Usage: python3 scripts/make_sample_partners_2000_2013.py SRC.csv DEST.csv
"""
import csv
import re
import sys

KEEP_COLUMNS = {
    "Programme": "Programme", "Acronym": "Acronym", "Project.Partner": "Project Partner",
    "Lead.Partner": "Lead Partner", "Street": "Street", "Postal.code": "Postal code",
    "Town": "Town", "Country": "Country", "Website": "Website", "Department": "Department",
    "Legal.Status": "Legal Status", "Country.code": "Country code",
    "NUTS1..or.equivalent.": "NUTS1 (or equivalent)", "NUTS2..or.equivalent.": "NUTS2 (or equivalent)",
    "NUTS3..or.equivalent.": "NUTS3 (or equivalent)",
}
KEPT_PERIOD = re.compile(r"^\s*(2000|2007)\s*[-\u2013]\s*(2006|2013)")


def main(src, dest):
    read = written = 0
    with open(src, encoding="utf-8", newline="") as fin, open(dest, "w", encoding="utf-8", newline="") as fout:
        reader = csv.DictReader(fin, delimiter=";")
        missing = [c for c in KEEP_COLUMNS if c not in reader.fieldnames]
        if missing:
            sys.exit(f"{src}: missing columns {missing}")
        writer = csv.writer(fout, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(KEEP_COLUMNS.values())
        for row in reader:
            read += 1
            if KEPT_PERIOD.match(row["Programme"]):
                writer.writerow(row[c] for c in KEEP_COLUMNS)
                written += 1
    print(f"{src}: {read} rows read, {written} rows of 2000-2013 programmes written to {dest}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
