#!/bin/sh
# Whole-command speed targets, measured as a user runs them (release build, real files):
# median wall-clock of RUNS runs and the peak resident memory of the slowest, per command.
#
#   cargo build --release && benches/targets.sh            # all targets
#   RUNS=5 benches/targets.sh analyze                       # one group: gen|analyze|plan|app|peer
#
# `peer` needs `pip install pandas networkx` (see benches/peer/peer.py); `app` needs tmux.
# Targets: gen 1M ≤ 3 s; analyze 1M (JSON) ≤ 2 s and ≤ 1 GB; analyze 98k ≤ 0.10 × the peer
# script; plan 100k ≤ 2 s, 1M ≤ 20 s and < 2 GB; app on 1M to the dashboard ≤ 5 s, ≤ 1.5 GB.
set -eu
bin=${AVMIGRATE:-$(pwd)/target/release/avmigrate}
runs=${RUNS:-3}
only=${1:-all}
dir=${BENCH_DIR:-$(mktemp -d)}
[ -n "${BENCH_DIR:-}" ] || trap 'rm -rf "$dir"' EXIT

# measure LABEL CMD...: prints "LABEL median S s, peak M MB" over $runs runs.
measure() {
    label=$1
    shift
    : >"$dir/times"
    peak=0
    i=0
    while [ "$i" -lt "$runs" ]; do
        /usr/bin/time -f "%e %M" -o "$dir/one" "$@" >/dev/null 2>"$dir/err" || {
            echo "$label: failed: $(tail -1 "$dir/err")"
            return 1
        }
        read -r secs kb <"$dir/one"
        echo "$secs" >>"$dir/times"
        [ "$kb" -gt "$peak" ] && peak=$kb
        i=$((i + 1))
    done
    med=$(sort -n "$dir/times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "$label: median ${med} s, peak $((peak / 1024)) MB ($runs runs)"
    echo "$med" >"$dir/last"
}

want() { [ "$only" = all ] || [ "$only" = "$1" ]; }

[ -f "$dir/1m.csv" ] || "$bin" gen --assets 1000000 -o "$dir/1m.csv" >/dev/null
[ -f "$dir/98k.csv" ] || "$bin" gen --assets 98000 -o "$dir/98k.csv" >/dev/null
[ -f "$dir/100k.toml" ] || "$bin" gen --assets 100000 -o "$dir/100k.toml" >/dev/null

if want gen; then
    measure "gen 1,000,000 (CSV)" "$bin" gen --assets 1000000 -o "$dir/gen.csv"
fi
if want analyze; then
    measure "analyze 98k CSV (JSON)" "$bin" analyze "$dir/98k.csv" --format json
    measure "analyze 1M CSV (JSON)" "$bin" analyze "$dir/1m.csv" --format json
    measure "analyze 1M CSV (text)" "$bin" analyze "$dir/1m.csv"
fi
if want peer; then
    measure "peer script 98k (pandas + networkx)" python3 "$(dirname "$0")/peer/peer.py" "$dir/98k.csv"
    peer=$(cat "$dir/last")
    measure "analyze 98k CSV (JSON)" "$bin" analyze "$dir/98k.csv" --format json
    ours=$(cat "$dir/last")
    echo "ratio avmigrate / peer: $(echo "$ours / $peer" | bc -l | cut -c1-5)"
fi
if want plan; then
    measure "plan 100k TOML" "$bin" plan "$dir/100k.toml" -o "$dir/p100k.toml"
    measure "plan 1M CSV" "$bin" plan "$dir/1m.csv" -o "$dir/p1m.toml"
fi
if want app && command -v tmux >/dev/null; then
    # Time from start until the dashboard shows the estate's asset count; peak from /proc.
    : >"$dir/times"
    peak=0
    i=0
    while [ "$i" -lt "$runs" ]; do
        session=avmigrate-bench-$$
        start=$(date +%s.%N)
        tmux new -d -x 120 -y 35 -s "$session" "$bin open $dir/1m.csv"
        pid=$(tmux list-panes -t "$session" -F '#{pane_pid}')
        until tmux capture-pane -p -t "$session" | grep -q "of 1000000 assets"; do
            sleep 0.05
        done
        end=$(date +%s.%N)
        kb=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
        tmux kill-session -t "$session"
        echo "$end - $start" | bc -l >>"$dir/times"
        [ "$kb" -gt "$peak" ] && peak=$kb
        i=$((i + 1))
    done
    med=$(sort -n "$dir/times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "app 1M to dashboard: median $(echo "$med" | cut -c1-5) s, peak $((peak / 1024)) MB ($runs runs)"
fi
