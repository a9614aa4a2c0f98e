#!/usr/bin/env python3
"""Turns the logs of benchmarks/run into benchmarks/results/<date>-<machine>.md (standard library only)."""
import datetime
import os
import platform
import re
import subprocess
import sys


def gnu_time(path):
    """wall, cpu (user+sys) seconds and peak RSS (MiB) from a GNU `time -v` file."""
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    user = float(re.search(r"User time \(seconds\): (\S+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): (\S+)", text).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) / 1024
    return seconds, user + system, rss


def du(path):
    if not os.path.exists(path):
        return 0
    return int(subprocess.check_output(["du", "-sb", path]).split()[0])


STAGE = re.compile(r"^\[ici-atlas\] (.+?)\s{2,}(.*?)\s+([0-9.]+) s  \(total\s+([0-9.]+) s\)")


def stages(log):
    """Progress lines of the pipeline: (stage, detail, seconds, total)."""
    out = []
    for line in open(log, errors="replace"):
        m = STAGE.match(line.rstrip("\n"))
        if m:
            out.append((m.group(1).strip(), m.group(2).strip(), float(m.group(3)), float(m.group(4))))
    return out


def grouped(rows):
    """ingest / classify / aggregate / write, from the progress lines (Spark is lazy: a write stage
    includes the computation of what it writes; 'bi export' is the CSV/Parquet copy for BI, made on a
    background thread while the next table is computed; 'wait for bi exports' is the wait at the end)."""
    groups = {"ingest (incl. its Delta writes)": 0.0, "classify (write silver_project_classification)": 0.0, "aggregate (incl. its Delta writes)": 0.0, "linkage networks (measures, betweenness, their 3 writes)": 0.0, "BI exports (CSV + Parquet copies; a background thread, overlapping the groups above)": 0.0}
    in_analysis = False
    for stage, detail, secs, _ in rows:
        if stage.startswith("assign projects"):
            in_analysis = True
        if stage == "linkage network tables":  # from the start of the network stage to its last write
            groups["linkage networks (measures, betweenness, their 3 writes)"] += secs
            continue
        if stage.startswith("network ") or stage == "linkage networks measured" or stage.startswith("write gold_network_"):
            continue  # inside the line above
        if stage == "classify projects":
            continue  # the line below, and reading the projects
        if stage.startswith("write silver_project_classification"):  # its name is wider than the column: no gap before the rows
            groups["classify (write silver_project_classification)"] += secs
        elif stage.startswith("write ") and in_analysis:
            groups["aggregate (incl. its Delta writes)"] += secs
        elif stage.startswith("write "):
            groups["ingest (incl. its Delta writes)"] += secs
        elif stage in ("statistics", "assign projects to regions", "star schema for BI"):
            continue  # these lines sum writes already counted
        elif in_analysis and (stage.startswith("write gold_") or stage.startswith("write star_")):
            continue  # written concurrently: their wall time is the "gold and star tables" line
        else:
            groups["ingest (incl. its Delta writes)" if not in_analysis else "aggregate (incl. its Delta writes)"] += secs
    exports = 0.0
    for stage, detail, secs, _ in rows:
        m = re.search(r"bi export ([0-9.]+) s", detail)
        if m:
            exports += float(m.group(1))
    groups["BI exports (CSV + Parquet copies; a background thread, overlapping the groups above)"] = exports
    return groups


def reference(d, name):
    """A reference run's wall seconds and table cells; a failed one (NAME.failed.time) has no wall time."""
    path = os.path.join(d, f"{name}.time")
    if os.path.exists(path):
        wall, _, rss = gnu_time(path)
        return {"wall": wall, "cell": f"{wall:.0f}", "rss": f"{rss:.0f} MiB"}
    failed = os.path.join(d, f"{name}.failed.time")
    if os.path.exists(failed):
        wall, _, rss = gnu_time(failed)
        return {"wall": None, "cell": f"failed after {wall:.0f} s", "rss": f"{rss:.0f} MiB"}
    return {"wall": None, "cell": "not run", "rss": "n/a"}


def ratio(pipeline_wall, ref):
    return f"{pipeline_wall / ref['wall']:.2f}" if ref["wall"] else "n/a"


def main():
    work, results_dir, scales = sys.argv[1], sys.argv[2], sys.argv[3:]
    lines = []
    machine = platform.node() or "machine"
    cpu = subprocess.run(["sh", "-c", "lscpu | sed -n 's/^Model name: *//p' | head -n 1"], capture_output=True, text=True).stdout.strip()
    mem = subprocess.run(["sh", "-c", "free -g | awk '/Mem:/ {print $2}'"], capture_output=True, text=True).stdout.strip()
    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    lines.append(f"# Benchmark {datetime.date.today().isoformat()} on {machine}\n")
    lines.append(f"Machine: {os.cpu_count()} cores ({cpu}), {mem} GiB RAM, {platform.system()} {platform.release()}, {java}.")
    lines.append("Spark local[2], driver heap as given to benchmarks/run, Eurostat and NUTS inputs: the bundled sample.")
    lines.append("Wall and CPU seconds and peak RSS by GNU time for the whole process (JVM start included).\n")
    lines.append("| SF | projects | participations | input MB | output MB | pipeline wall s | CPU s | peak RSS MiB | floor wall s | DuckDB wall s | pipeline / floor | pipeline / DuckDB |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|")
    details = []
    summary = {}
    for sf in scales:
        d = os.path.join(work, f"sf{sf}")
        if os.path.exists(os.path.join(d, "pipeline.failed.time")):
            f_wall, _, f_rss = gnu_time(os.path.join(d, "pipeline.failed.time"))
            lines.append(f"| {sf} | failed after {f_wall:.0f} s (peak RSS {f_rss:.0f} MiB): see {d}/pipeline.log |||||||||||")
            continue
        if not os.path.exists(os.path.join(d, "pipeline.time")):
            lines.append(f"| {sf} | skipped (not enough disk, see the run's output) |||||||||||")
            continue
        p_wall, p_cpu, p_rss = gnu_time(os.path.join(d, "pipeline.time"))
        floor, duckdb = reference(d, "floor"), reference(d, "duckdb")
        g_wall, _, _ = gnu_time(os.path.join(d, "generate.time"))
        duck = open(os.path.join(d, "duckdb.log"), errors="replace").read() if os.path.exists(os.path.join(d, "duckdb.log")) else ""
        m = re.search(r"participations=(\d+) projects=(\d+)", duck)
        counts = f"{int(m.group(2)):,} | {int(m.group(1)):,}" if m else "n/a (from DuckDB) | n/a"
        summary[sf] = p_wall
        lines.append(f"| {sf} | {counts} | {du(os.path.join(d, 'keep')) / 1e6:.0f} | {du(os.path.join(d, 'out')) / 1e6:.0f} "
                     f"| {p_wall:.0f} | {p_cpu:.0f} | {p_rss:.0f} | {floor['cell']} | {duckdb['cell']} | {ratio(p_wall, floor)} "
                     f"| {ratio(p_wall, duckdb)} |")
        rows = stages(os.path.join(d, "pipeline.log"))
        groups = grouped(rows)
        details.append(f"\n## SF {sf}\n")
        floor_said = (open(os.path.join(d, 'floor.log'), errors="replace").read().strip().splitlines() or [""])[-1] \
            if floor["wall"] is not None else f"failed, see {d}/floor.log"
        duck_said = "; ".join(re.findall(r"duckdb (stage=\S+ s=\S+)", duck)) if duckdb["wall"] is not None \
            else f"failed, see {d}/duckdb.log"
        details.append(f"Generation: {g_wall:.0f} s. Floor: {floor_said}; peak RSS {floor['rss']}. DuckDB: {duck_said}; "
                       f"peak RSS {duckdb['rss']}.\n")
        details.append("| pipeline stage group | seconds |\n|---|---|")
        for k, v in groups.items():
            details.append(f"| {k} | {v:.1f} |")
        details.append("\nSlowest pipeline stages:\n\n| stage | detail | seconds |\n|---|---|---|")
        for stage, detail, secs, _ in sorted(rows, key=lambda r: -r[2])[:8]:
            details.append(f"| {stage} | {detail} | {secs:.1f} |")
    lines.append("")
    first = os.path.join(work, "first-contact")
    if os.path.exists(os.path.join(first, "sample.time")):
        s_wall, s_cpu, s_rss = gnu_time(os.path.join(first, "sample.time"))
        t_wall, t_cpu, t_rss = gnu_time(os.path.join(first, "ten-rows.time"))
        lines.append("| first contact | wall s | CPU s | peak RSS MiB |\n|---|---|---|---|")
        lines.append(f"| README sample command (`bin/ici-atlas run --output DIR --regions baltic`, built) | {s_wall:.0f} | {s_cpu:.0f} | {s_rss:.0f} |")
        if os.path.exists(os.path.join(first, "sample-rerun.time")):
            r_wall, r_cpu, r_rss = gnu_time(os.path.join(first, "sample-rerun.time"))
            lines.append(f"| the same command again into the same output (a rerun) | {r_wall:.0f} | {r_cpu:.0f} | {r_rss:.0f} |")
        lines.append(f"| a 10-row Keep.eu partner file through `ingest` | {t_wall:.0f} | {t_cpu:.0f} | {t_rss:.0f} |")
        lines.append("")
    micro = os.path.join(work, "micro.json")
    if os.path.exists(micro):
        import json
        lines.append("One small-table write (500 rows) through TableWriter on local[2], JMH average of 5 x 5 s after 3 x 5 s warm-up:\n")
        lines.append("| mode | BI copy | ms per write | error (99.9 %) |\n|---|---|---|---|")
        for b in json.load(open(micro)):
            m = b["primaryMetric"]
            lines.append(f"| {b['params']['mode']} | {b['params']['bi']} | {m['score']:.0f} | {m['scoreError']:.0f} |")
        lines.append("")
    if "1" in summary and "10" in summary:
        lines.append(f"SF 10 / SF 1 wall time: {summary['10'] / summary['1']:.2f} (target < 8).")
    if "10" in summary and "30" in summary:
        lines.append(f"SF 30 / SF 10 wall time: {summary['30'] / summary['10']:.2f} (target < 3.2).")
    lines.extend(details)
    os.makedirs(results_dir, exist_ok=True)
    suffix = "" if scales else "-micro"  # benchmarks/run --micro-only must not replace the day's full results
    target = os.path.join(results_dir, f"{datetime.date.today().isoformat()}-{machine}{suffix}.md")
    with open(target, "w") as f:
        f.write("\n".join(lines) + "\n")
    print(target)


if __name__ == "__main__":
    main()
