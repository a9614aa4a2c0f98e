#!/usr/bin/env python3
"""Independent check of the linkage network tables with networkx (Debian's python3-networkx).

Rebuilds every network from the BI copies of the star schema alone (star_dim_project: a project's
region and ICI flag; star_fact_participation: its organisations, countries and NUTS 2 regions),
computes each measure with networkx, and compares them, metric by metric, with
gold_network_summary and gold_network_organisations. The only thing taken from the pipeline is
its de-duplicated organisation_key: the network and every measure are computed here.

    python3 scripts/independent_networks.py OUT/bi [--period 2014-2020] [--min-regions 3] [--max-exact-nodes N]
                                                   [--sample-sources K] [--min-spearman R]

Prints one line per network and a table of the largest differences; exits 1 when a measure
disagrees beyond its tolerance, or when fewer than --min-regions regions (besides the whole input)
were checked. PageRank follows the pipeline's documented convention (GraphX: an isolated node keeps
the teleport share 0.15, the others' raw values sum to their component's size; scaled to sum to 1).
Betweenness is compared where the pipeline computed it exactly (betweenness_sources = all connected
nodes) and networkx's exact computation is affordable (--max-exact-nodes, default: always; networkx
takes about 80 s for 6,000 nodes); a sampled figure, or one above that size, is compared by its rank
correlation with networkx's own sample of --sample-sources sources (default 1,000), stated, and
asserted only when --min-spearman is given (the sample's own error lowers the correlation).
"""
import argparse
import csv
import itertools
import math
import sys
from collections import defaultdict

import networkx as nx

csv.field_size_limit(sys.maxsize)


def read(bi, name):
    with open(f"{bi}/{name}.csv", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def networks(bi, period):
    projects = {}
    regions = defaultdict(set)
    for r in read(bi, "star_dim_project"):
        if r["period"] != period:
            continue
        projects[r["project_key"]] = r["is_ici"] == "true"
        regions[r["project_key"]].add("all")
        if r["region_id"]:
            regions[r["project_key"]].add(r["region_id"])
    members = defaultdict(set)  # (region, scope, level, project) -> {(node, country)}
    for r in read(bi, "star_fact_participation"):
        p = r["project_key"]
        if r["period"] != period or p not in projects:
            continue
        scopes = ["all", "ici"] if projects[p] else ["all"]
        for region in regions[p]:
            for scope in scopes:
                members[(region, scope, "organisation", p)].add((r["organisation_key"], r["country_code"] or None))
                if r["nuts2"]:
                    members[(region, scope, "nuts2", p)].add((r["nuts2"], r["nuts2"][:2]))
    graphs = {}
    for (region, scope, level, project), nodes in members.items():
        g = graphs.setdefault((region, scope, level), nx.Graph())
        for node, country in nodes:
            g.add_node(node, country=country)
        for (a, _), (b, _) in itertools.combinations(sorted(nodes), 2):
            if a != b:
                w = g.get_edge_data(a, b, {"weight": 0})["weight"]
                g.add_edge(a, b, weight=w + 1)
    return graphs


def summary_measures(g):
    n, e = g.number_of_nodes(), g.number_of_edges()
    comps = list(nx.connected_components(g))
    known = [(u, v) for u, v in g.edges() if g.nodes[u]["country"] and g.nodes[v]["country"]]
    crossing = sum(1 for u, v in known if g.nodes[u]["country"] != g.nodes[v]["country"])
    triples = sum(d * (d - 1) / 2 for _, d in g.degree())
    return {
        "nodes": n, "edges": e,
        "density": nx.density(g) if n >= 2 else None,
        "mean_degree": 2 * e / n,
        "mean_weighted_degree": 2 * sum(w for _, _, w in g.edges(data="weight")) / n,
        "isolated_nodes": nx.number_of_isolates(g),
        "components": len(comps),
        "largest_component_share": max(len(c) for c in comps) / n,
        "clustering": nx.transitivity(g) if triples > 0 else None,
        "cross_border_share": crossing / len(known) if known else None,
    }


def pagerank_graphx_convention(g):
    connected = g.subgraph([v for v in g if g.degree(v) > 0])
    m, isolated = connected.number_of_nodes(), g.number_of_nodes() - connected.number_of_nodes()
    total = m + 0.15 * isolated
    ranks = {v: 0.15 / total for v in g if g.degree(v) == 0}
    if m:
        for v, r in nx.pagerank(connected, alpha=0.85, weight=None, tol=1e-12, max_iter=1000).items():
            ranks[v] = m * r / total
    return ranks


def spearman(xs, ys):
    def ranks(vs):
        order = sorted(range(len(vs)), key=lambda i: vs[i])
        r = [0.0] * len(vs)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and vs[order[j + 1]] == vs[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r
    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sx = math.sqrt(sum((a - mx) ** 2 for a in rx))
    sy = math.sqrt(sum((b - my) ** 2 for b in ry))
    return cov / (sx * sy) if sx and sy else 1.0


def close(a, b, tol):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * max(1.0, abs(b))


def number(v):
    return None if v in ("", None) else float(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("bi")
    ap.add_argument("--period", default="2014-2020")
    ap.add_argument("--min-regions", type=int, default=3)
    ap.add_argument("--max-exact-nodes", type=int, default=None,
                    help="compare betweenness by rank correlation only in larger networks (networkx is slow)")
    ap.add_argument("--sample-sources", type=int, default=1000,
                    help="sources of networkx's sampled betweenness that the rank correlation uses")
    ap.add_argument("--min-spearman", type=float, default=None,
                    help="fail when a rank correlation with networkx's sample is lower")
    args = ap.parse_args()
    graphs = networks(args.bi, args.period)
    summary = {(r["region_id"], r["scope"], r["level"]): r for r in read(args.bi, "gold_network_summary")
               if r["period"] == args.period}
    organisations = defaultdict(dict)
    for r in read(args.bi, "gold_network_organisations"):
        if r["period"] == args.period:
            organisations[(r["region_id"], r["scope"])][r["organisation_key"]] = r
    failures, worst, regions_checked = [], defaultdict(float), set()
    missing = set(summary) ^ set(graphs)
    if missing:
        failures.append(f"networks in one computation only: {sorted(missing)[:5]}")
    print(f"{'region':<28} {'scope':<5} {'level':<12} {'nodes':>6} {'edges':>6} {'density':>8} {'comp':>5} "
          f"{'largest':>7} {'clust':>6} {'x-border':>8}  pagerank  betweenness")
    for key in sorted(set(summary) & set(graphs)):
        region, scope, level = key
        g, row = graphs[key], summary[key]
        expected = summary_measures(g)
        for metric, value in expected.items():
            tol = 0 if metric in ("nodes", "edges", "isolated_nodes", "components") else 1e-9
            ours = number(row[metric])
            if not close(ours, value, tol):
                failures.append(f"{key} {metric}: pipeline {ours}, networkx {value}")
            elif ours is not None and value is not None:
                worst[metric] = max(worst[metric], abs(ours - value))
        note = ""
        worst_pagerank = 0.0
        if level == "organisation":
            nodes = organisations[(region, scope)]
            if set(nodes) != set(g.nodes):
                failures.append(f"{key}: organisations differ ({len(set(nodes) ^ set(g.nodes))})")
                continue
            pr = pagerank_graphx_convention(g)
            triangles = nx.triangles(g)
            connected = sum(1 for v in g if g.degree(v) > 0)
            exact = all(r["betweenness_sources"] in ("", str(connected)) for r in nodes.values())
            affordable = args.max_exact_nodes is None or connected <= args.max_exact_nodes
            betweenness = nx.betweenness_centrality(g, normalized=True, weight=None) if exact and affordable else None
            component_size = {v: len(c) for c in nx.connected_components(g) for v in c}
            for v, r in nodes.items():
                country = g.nodes[v]["country"]
                foreign = {g.nodes[u]["country"] for u in g[v]} - {country, None}
                checks = {
                    "degree": (float(r["degree"]), g.degree(v), 0),
                    "weighted_degree": (float(r["weighted_degree"]), g.degree(v, weight="weight"), 0),
                    "component_size": (float(r["component_size"]), component_size[v], 0),
                    "triangles": (float(r["triangles"]), triangles[v], 0),
                    "foreign_countries_tied": (float(r["foreign_countries_tied"]), len(foreign), 0),
                    "is_broker": (float(r["is_broker"] == "true"), float(len(foreign) >= 2), 0),
                    "pagerank": (float(r["pagerank"]), pr[v], 1e-4),
                }
                if betweenness is not None:
                    checks["betweenness"] = (float(r["betweenness"]), betweenness[v], 1e-9)
                for metric, (ours, value, tol) in checks.items():
                    # PageRank: relative to the value (GraphX iterates 71 times, networkx to 1e-12)
                    ok = abs(ours - value) <= tol * abs(value) if metric == "pagerank" else abs(ours - value) <= tol
                    if not ok:
                        failures.append(f"{key} {v} {metric}: pipeline {ours}, networkx {value}")
                    difference = abs(ours - value) / (abs(value) if metric == "pagerank" and value else 1)
                    worst[metric] = max(worst[metric], difference)
                    if metric == "pagerank":
                        worst_pagerank = max(worst_pagerank, difference)
            if betweenness is None:
                k = min(args.sample_sources, connected)
                sample = nx.betweenness_centrality(g, normalized=True, weight=None, k=k, seed=1)
                keys = sorted(nodes)
                rho = spearman([float(nodes[v]["betweenness"]) for v in keys], [sample[v] for v in keys])
                sources = max(r["betweenness_sources"] for r in nodes.values())
                how = "exact, not recomputed (--max-exact-nodes)" if exact else f"sampled ({sources} sources)"
                note = f"max rel {worst_pagerank:.1e}  {how}: Spearman {rho:.3f} with networkx's own k={k} sample"
                if args.min_spearman is not None and not rho >= args.min_spearman:
                    failures.append(f"{key} betweenness: Spearman {rho:.3f} with networkx's k={k} sample, below {args.min_spearman}")
            else:
                note = f"max rel {worst_pagerank:.1e}  exact, equal"
            if region != "all" and g.number_of_edges() > 0:
                regions_checked.add(region)
        fmt = lambda x: "" if x in ("", None) else f"{float(x):.4f}"
        print(f"{region[:28]:<28} {scope:<5} {level:<12} {row['nodes']:>6} {row['edges']:>6} {fmt(row['density']):>8} "
              f"{row['components']:>5} {fmt(row['largest_component_share']):>7} {fmt(row['clustering']):>6} "
              f"{fmt(row['cross_border_share']):>8}  {note}")
    print(f"\nchecked {len(set(summary) & set(graphs))} networks of {args.period}, {len(regions_checked)} regions with edges "
          f"besides the whole input; largest absolute differences: "
          + ", ".join(f"{k} {v:.1e}" for k, v in sorted(worst.items())))
    if len(regions_checked) < args.min_regions:
        failures.append(f"only {len(regions_checked)} regions with edges checked (at least {args.min_regions} asked)")
    for f in failures[:20]:
        print("MISMATCH", f)
    if failures:
        print(f"{len(failures)} mismatches")
        sys.exit(1)
    print("every measure agrees with networkx")


if __name__ == "__main__":
    main()
