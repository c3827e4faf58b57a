#!/usr/bin/env python3
"""The script an IT lead would write instead of avmigrate: the yardstick for `analyze`.

Reads a generic avmigrate CSV inventory (`avmigrate gen --assets N -o inv.csv`), flags every
asset whose software names Kaspersky, finds every asset that relies on a flagged one (reverse
BFS over depends_on), gives each a shortest path to a flagged asset, and writes JSON like
`avmigrate analyze --format json` (counts, direct assets, indirect assets with next hop, depth,
root and the path up to 8 hops). Usage: peer.py INVENTORY.csv > out.json
"""
import json
import sys

import networkx as nx
import pandas as pd


def main(path):
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    ids = df["id"].tolist()
    direct = set(df.loc[df["software"].str.contains("kaspersky", case=False), "id"])
    g = nx.DiGraph()
    g.add_nodes_from(ids)
    for src, deps in zip(df["id"], df["depends_on"]):
        for dep in filter(None, deps.split("|")):
            g.add_edge(src, dep.split(":")[0])
    # Reverse BFS from all flagged assets at once: who relies on them, and by which hop.
    rev = g.reverse(copy=False)
    nxt, depth, root = {}, {}, {}
    frontier = list(direct)
    for d in direct:
        depth[d], root[d] = 0, d
    level = 0
    while frontier:
        level += 1
        new = []
        for u in frontier:
            for v in rev.successors(u):
                if v not in depth:
                    depth[v], nxt[v], root[v] = level, u, root[u]
                    new.append(v)
        frontier = new
    indirect = []
    for v in ids:
        if v in direct or v not in depth:
            continue
        rec = {"id": v, "next": nxt[v], "depth": depth[v], "root": root[v]}
        if depth[v] <= 8:
            path, u = [], v
            while u != root[v]:
                u = nxt[u]
                path.append(u)
            rec["via"] = path
        indirect.append(rec)
    out = {
        "assets": len(ids),
        "direct": len(direct),
        "indirect": len(indirect),
        "unaffected": len(ids) - len(direct) - len(indirect),
        "direct_assets": [{"id": d} for d in ids if d in direct],
        "indirect_assets": indirect,
    }
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
