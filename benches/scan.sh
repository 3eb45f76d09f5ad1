#!/usr/bin/env bash
# Scan-mode throughput and memory against `rg -c '<Code>'` on the same logs, in the
# same run (issue 14): generated logs of 128 and 256 MiB with an error every ~8 KiB,
# the same log with its errors taken out, and 300,000 distinct unknown codes (memory
# stays bounded when every error is of a new kind). Each file is read into the page
# cache first; wall-clock seconds are hyperfine's medians (warm-up runs, then ten),
# errdecode on one thread and on every core; peak RSS comes from GNU time. The 256
# MiB log is also piped through `cat`, the path a stream takes. Instructions per
# error come from callgrind on the first 16 MiB of the 256 MiB log, one thread.
#
# Usage: benches/scan.sh   (the logs are kept in $TMPDIR)
# Exit status: 0 when both budgets hold on the 256 MiB log with every core (table
# and --json throughput >= half of rg's) and peak RSS stays < 32 MiB everywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly RSS_BUDGET_KIB=$((32 << 10))

source benches/require.sh
require rg:ripgrep /usr/bin/time:time hyperfine:hyperfine valgrind:valgrind

cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/errdecode
tmp=${TMPDIR:-/tmp}
log128=$tmp/errdecode-scan-128.log
log256=$tmp/errdecode-scan-256.log
clean=$tmp/errdecode-scan-clean.log
distinct=$tmp/errdecode-scan-distinct.log
slice=$tmp/errdecode-scan-slice16.log
[[ -s $log128 ]] || python3 benches/gen-log.py "$log128" 128
[[ -s $log256 ]] || python3 benches/gen-log.py "$log256" 256
# The 256 MiB log's ordinary lines only: what a search costs when nothing is found.
[[ -s $clean ]] || grep -a ' INFO ' "$log256" >"$clean" || true
[[ -s $slice ]] || head -c $((16 << 20)) "$log256" >"$slice"
if [[ ! -s $distinct ]]; then
    python3 - "$distinct" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(300_000):
        f.write(f"<Error><Code>Unknown{i}</Code><RequestId>5C3D9175B6FC201293AD{i % 65536:04X}"
                "</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>\n")
PY
fi
threads=$(nproc)

# median COMMAND: hyperfine's median seconds of COMMAND (a shell line).
median() {
    hyperfine --style none --warmup 2 --runs 10 --ignore-failure --export-json /dev/stdout "$1" 2>/dev/null |
        python3 -c 'import json, sys; print("%.3f" % json.load(sys.stdin)["results"][0]["median"])'
}
# rss COMMAND...: peak RSS in KiB of one run.
rss() { { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null || true; } | tail -n 1; }
mibps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? b / 1048576 / s : 0) }'; }
ratio() { awk -v r="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? r / s : 0) }'; }

failed=0
echo "| input | command | seconds | MiB/s | vs rg | peak RSS KiB |"
echo "|---|---|---|---|---|---|"
for file in "$log128" "$log256" "$clean" "$distinct"; do
    cat "$file" >/dev/null # into the page cache, for both tools alike
    bytes=$(stat -c %s "$file")
    errors=$({ "$bin" scan --json "$file" || true; } | wc -l)
    name="$((bytes >> 20)) MiB, $errors errors"
    rg_secs=$(median "rg -c '<Code>' $file")
    echo "| $name | \`rg -c '<Code>'\` | $rg_secs | $(mibps "$bytes" "$rg_secs") | | $(rss rg -c '<Code>' "$file") |"
    for run in "1:" "$threads:" "$threads:--json"; do
        n=${run%%:*} flag=${run#*:}
        secs=$(median "ERRDECODE_SCAN_THREADS=$n $bin scan $flag $file")
        # shellcheck disable=SC2086 # an empty flag is no argument
        peak=$(ERRDECODE_SCAN_THREADS=$n rss "$bin" scan $flag "$file")
        r=$(ratio "$rg_secs" "$secs")
        echo "| $name | \`errdecode scan${flag:+ $flag}\`, $n thread$( ((n > 1)) && echo s) | $secs | $(mibps "$bytes" "$secs") | ${r}× | $peak |"
        ((peak < RSS_BUDGET_KIB)) || failed=1
        if [[ $file == "$log256" && $n == "$threads" ]]; then
            awk -v r="$r" 'BEGIN { exit !(r >= 0.5) }' || failed=1
        fi
    done
done
# The 256 MiB log as 4 files and as 64, scanned at once (one worker per core).
for count in 4 64; do
    parts=$tmp/errdecode-scan-parts-$count
    if [[ ! -s $parts/part-00 ]]; then
        mkdir -p "$parts"
        split -n "l/$count" -d -a 2 "$log256" "$parts/part-"
    fi
    cat "$parts"/part-* >/dev/null
    bytes=$(cat "$parts"/part-* | wc -c)
    name="$((bytes >> 20)) MiB in $count files"
    rg_secs=$(median "rg -c '<Code>' $parts/part-*")
    echo "| $name | \`rg -c '<Code>'\` | $rg_secs | $(mibps "$bytes" "$rg_secs") | | |"
    for flag in "" "--json"; do
        secs=$(median "$bin scan $flag $parts/part-*")
        # shellcheck disable=SC2086 # an empty flag is no argument
        peak=$(rss sh -c "'$bin' scan $flag '$parts'/part-*")
        ((peak < RSS_BUDGET_KIB)) || failed=1
        echo "| $name | \`errdecode scan${flag:+ $flag}\`, $threads threads | $secs | $(mibps "$bytes" "$secs") | $(ratio "$rg_secs" "$secs")× | $peak |"
    done
done
cat "$log256" >/dev/null
bytes=$(stat -c %s "$log256")
secs=$(median "cat $log256 | $bin scan")
echo "| $((bytes >> 20)) MiB, piped | \`cat log \| errdecode scan\` | $secs | $(mibps "$bytes" "$secs") | | $(rss sh -c "cat '$log256' | '$bin' scan") |"

# Instructions per error, one thread, table and --json.
echo
errors=$("$bin" scan --json "$slice" | wc -l)
for flag in "" "--json"; do
    # shellcheck disable=SC2086 # an empty flag is no argument
    total=$(ERRDECODE_SCAN_THREADS=1 valgrind --tool=callgrind --callgrind-out-file=/dev/null \
        "$bin" scan $flag "$slice" 2>&1 >/dev/null | awk '/refs:/ { gsub(",", "", $NF); print $NF }')
    echo "callgrind, 16 MiB slice, $errors errors, \`scan${flag:+ $flag}\`: $total instructions, $((total / errors)) per error"
done
echo
echo "budgets: throughput on the 256 MiB log with $threads threads >= 0.50x rg's; peak RSS < $RSS_BUDGET_KIB KiB"
exit "$failed"
