#!/bin/sh
# Times `avmigrate analyze --format json` against the peer script (pandas + networkx) on the
# same generated CSV inventory, in one run. Usage: benches/peer/run.sh [ASSETS] (default 98000).
# Needs: a release build (cargo build --release) and `pip install pandas networkx`.
set -eu
n=${1:-98000}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
bin=${AVMIGRATE:-target/release/avmigrate}
"$bin" gen --assets "$n" -o "$dir/inv.csv" >/dev/null
best() { # best of three wall-clock runs, in seconds
    b=999
    for _ in 1 2 3; do
        s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N)
        b=$(echo "$e - $s" | bc -l | awk -v b="$b" '{print ($1 < b) ? $1 : b}')
    done
    echo "$b"
}
peer=$(best python3 "$(dirname "$0")/peer.py" "$dir/inv.csv")
ours=$(best "$bin" analyze "$dir/inv.csv" --format json)
echo "assets $n: peer ${peer}s, avmigrate ${ours}s, ratio $(echo "$ours / $peer" | bc -l | cut -c1-5)"
