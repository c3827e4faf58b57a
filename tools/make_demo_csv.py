#!/usr/bin/env python3
"""Generate the CSV variant of the demo estate from its native TOML (Python 3.11+, stdlib only).

    python3 tools/make_demo_csv.py            # (re)write the CSV files
    python3 tools/make_demo_csv.py --check    # exit 1 if the committed CSVs are out of date

Input:  assets/examples/stadtwerke.toml
Output: assets/examples/stadtwerke.csv           one row per asset (generic CSV of DESIGN.md)
        assets/examples/stadtwerke-software.csv  one row per installed product

The software lives in its own file (`asset,name,version,publisher`) because the one-file
`software` cell (`name@version|...`) cannot carry publishers; importing both files together
(merged by asset id) gives the same assets, software and relations as the TOML.

Real-world flavour on purpose: `;` separator, UTF-8 with BOM, CRLF line ends, umlauts and
Cyrillic text. Relations of kind `uses` are written as a bare `id` (the default kind), every
other kind as `id:kind`.
"""

import csv
import io
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "assets" / "examples"
SOURCE = EXAMPLES / "stadtwerke.toml"
ASSETS_CSV = EXAMPLES / "stadtwerke.csv"
SOFTWARE_CSV = EXAMPLES / "stadtwerke-software.csv"

ASSET_COLUMNS = ["id", "name", "kind", "os", "site", "owner", "criticality", "tags", "depends_on"]
SOFTWARE_COLUMNS = ["asset", "name", "version", "publisher"]
LIST_SEP = "|"


def relation_cell(relations):
    """`id` for the default kind `uses`, else `id:kind`, joined by `|`."""
    parts = []
    for rel in relations:
        kind = rel.get("kind", "uses")
        parts.append(rel["id"] if kind == "uses" else f"{rel['id']}:{kind}")
    return LIST_SEP.join(parts)


def check_cell(value, what):
    """Refuses values that the list syntax of a cell cannot carry."""
    if LIST_SEP in value or (":" in value and what == "relation target"):
        raise SystemExit(f"{what} {value!r} contains a list separator; cannot write it as CSV")
    return value


def render(rows, columns):
    """The bytes of a `;`-separated, CRLF, UTF-8-with-BOM CSV file."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def build(estate):
    """Returns (assets CSV bytes, software CSV bytes) for the parsed TOML estate."""
    asset_rows, software_rows = [], []
    for asset in estate["asset"]:
        for tag in asset.get("tags", []):
            check_cell(tag, "tag")
        for rel in asset.get("depends_on", []):
            check_cell(rel["id"], "relation target")
        asset_rows.append([
            asset["id"],
            asset.get("name", ""),
            asset.get("kind", ""),
            asset.get("os", ""),
            asset.get("site", ""),
            asset.get("owner", ""),
            asset.get("criticality", ""),
            LIST_SEP.join(asset.get("tags", [])),
            relation_cell(asset.get("depends_on", [])),
        ])
        for sw in asset.get("software", []):
            software_rows.append([
                asset["id"], sw["name"], sw.get("version", ""), sw.get("publisher", ""),
            ])
    return render(asset_rows, ASSET_COLUMNS), render(software_rows, SOFTWARE_COLUMNS)


def read_back(assets_bytes, software_bytes):
    """Parses the generated CSVs into the TOML's shape, to prove the two are equivalent."""
    def rows(data):
        text = data.decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))

    assets = []
    by_id = {}
    for row in rows(assets_bytes):
        asset = {k: row[k] for k in ("id", "name", "kind", "os", "site", "owner", "criticality")
                 if row[k] != ""}
        if row["tags"]:
            asset["tags"] = row["tags"].split(LIST_SEP)
        if row["depends_on"]:
            rels = []
            for entry in row["depends_on"].split(LIST_SEP):
                target, _, kind = entry.partition(":")
                rels.append({"id": target, "kind": kind or "uses"})
            asset["depends_on"] = rels
        assets.append(asset)
        by_id[asset["id"]] = asset
    for row in rows(software_bytes):
        sw = {"name": row["name"]}
        for key in ("version", "publisher"):
            if row[key] != "":
                sw[key] = row[key]
        by_id[row["asset"]].setdefault("software", []).append(sw)
    return assets


def normalised(estate):
    """The TOML assets with explicit relation kinds and without empty lists."""
    out = []
    for asset in estate["asset"]:
        asset = {k: v for k, v in asset.items() if v not in ([], "")}
        if "depends_on" in asset:
            asset["depends_on"] = [{"id": r["id"], "kind": r.get("kind", "uses")}
                                   for r in asset["depends_on"]]
        out.append(asset)
    return out


def main(argv):
    check_only = "--check" in argv[1:]
    estate = tomllib.loads(SOURCE.read_text(encoding="utf-8"))
    assets_bytes, software_bytes = build(estate)
    if read_back(assets_bytes, software_bytes) != normalised(estate):
        raise SystemExit("internal error: the CSV variant does not read back as the TOML")
    stale = []
    for path, data in ((ASSETS_CSV, assets_bytes), (SOFTWARE_CSV, software_bytes)):
        if path.exists() and path.read_bytes() == data:
            continue
        if check_only:
            stale.append(path.relative_to(ROOT))
        else:
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date (run tools/make_demo_csv.py): " + ", ".join(map(str, stale)))
        return 1
    n_sw = software_bytes.count(b"\r\n") - 1
    print(f"{len(estate['asset'])} assets, {n_sw} software rows: CSV variant is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
