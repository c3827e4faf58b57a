#!/usr/bin/env python3
"""Writes the fuzz seed corpora (fuzz/corpus/<target>/) from the project's own fixtures.

Inline test fixtures (`const NAME: &str = "...";` and raw strings in tests/*.rs), the
example files in assets/ and plans/, and the data files under tests/ become seeds. An `import`
seed starts with the selector byte of `avmigrate::fuzzing::import` (the file name it is read
under); a `mapping` seed is the mapping, the split marker and a CSV.

Usage: python3 tools/fuzz_seeds.py   (from the repository root; rewrites fuzz/corpus/)
"""

import hashlib
import pathlib
import re
import shutil

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "corpus"
SPLIT = b"\n--8<--\n"
MAX_SEED = 128 * 1024
# Selector low bits: the file name the import target uses (see NAMES in src/fuzzing.rs).
NAME_BITS = {".csv": 0, ".toml": 1, ".json": 2, ".xlsx": 3, ".ods": 4, ".log": 5, ".xls": 7}

ANY = re.compile(r'r(#+)"(.*?)"\1|"((?:[^"\\]|\\.)*)"', re.S)
# Markers that make any string literal of a test a seed of a configuration target.
MARKERS = [("[[rule]]", "rules"), ("[[product]]", "catalog"), ("[[vendor]]", "catalog"),
           ("[[wave]]", "plan"), ("schema_version", "plan"), ("[columns]", "mapping")]
CONST = re.compile(r'const\s+(\w+)\s*:\s*&(?:str|\[u8\])\s*=\s*(r#*"|")', re.S)


def unescape(body):
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        n = body[i + 1]
        i += 2
        if n == "\n":
            while i < len(body) and body[i] in " \t\r\n":
                i += 1
        elif n == "u":
            end = body.index("}", i)
            out.append(chr(int(body[i + 1 : end], 16)))
            i = end + 1
        elif n == "x":
            out.append(chr(int(body[i : i + 2], 16)))
            i += 2
        else:
            out.append({"n": "\n", "r": "\r", "t": "\t", "0": "\0"}.get(n, n))
    return "".join(out)


def literals(source):
    """(name, text) of every string constant in a Rust file."""
    for m in CONST.finditer(source):
        opener, start = m.group(2), m.end()
        if opener.startswith("r"):
            closer = '"' + "#" * (len(opener) - 2)
            end = source.find(closer, start)
            if end >= 0:
                yield m.group(1), source[start:end]
        else:
            end = start
            while end < len(source) and source[end] != '"':
                end += 2 if source[end] == "\\" else 1
            try:
                yield m.group(1), unescape(source[start:end])
            except (ValueError, IndexError):
                continue


def kind(text):
    head = text.lstrip("\ufeff \r\n")[:400]
    if head.startswith("[") and ("[[" in head[:3] or "=" in head.split("\n", 1)[0]):
        return "toml"
    if head.startswith(("{", "[")):
        return "json"
    if re.match(r"^\s*(#.*\n\s*)*(\[|\w+\s*=)", head):
        return "toml"
    return "csv"


def put(target, data):
    if not data or len(data) > MAX_SEED:
        return
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()[:16]).write_bytes(data)


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    for f in sorted((ROOT / "tests").rglob("*.rs")):
        src = f.read_text(encoding="utf-8")
        for name, text in literals(src):
            data = text.encode("utf-8")
            k = kind(text)
            low = name.lower()
            if "rules" in f.name or "rule" in low:
                put("rules", data)
            elif "catalog" in f.name or "vendor" in low or "catalog" in low:
                put("catalog", data)
            elif "plan" in low:
                put("plan", data)
            elif "map" in low and k == "toml":
                put("mapping", data + SPLIT)
            else:
                put("import", bytes([NAME_BITS.get("." + k, 7)]) + data)
                put("import", bytes([NAME_BITS.get("." + k, 7) | 8]) + data)
        for m in ANY.finditer(src):
            try:
                text = m.group(2) if m.group(1) else unescape(m.group(3))
            except (ValueError, IndexError):
                continue
            for marker, target in MARKERS:
                if marker in text:
                    put(target, text.encode("utf-8") + (SPLIT if target == "mapping" else b""))
                    break
        # The mapping test pairs its mapping with its CSV.
        if f.name == "import_mapping.rs":
            consts = dict(literals(src))
            if "MAP" in consts and "CSV" in consts:
                put("mapping", consts["MAP"].encode() + SPLIT + consts["CSV"].encode())
    for f in sorted(list((ROOT / "tests").rglob("*")) + list((ROOT / "assets/examples").glob("*"))):
        if f.suffix in NAME_BITS and f.is_file():
            put("import", bytes([NAME_BITS[f.suffix]]) + f.read_bytes())
    put("rules", (ROOT / "assets/rules/kaspersky.toml").read_bytes())
    put("catalog", (ROOT / "assets/vendors.toml").read_bytes())
    for f in sorted((ROOT / "plans").glob("*.toml")):
        put("plan", f.read_bytes())
    for d in sorted(OUT.iterdir()):
        print(f"{d.name}: {len(list(d.iterdir()))} seeds")


if __name__ == "__main__":
    main()
