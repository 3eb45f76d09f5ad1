#!/usr/bin/env bash
# Scan-mode throughput and memory against `rg -c '<Code>'` on the same log, in the
# same run (issue 4): a generated log with an error every ~8 KiB, read from the page
# cache. Wall-clock seconds are the best of three runs of each; peak RSS comes from
# GNU time. The same log is also piped through `cat`, the path a stream takes (read
# as data arrives, on a reader thread). A second, smaller log of 300,000 distinct
# unknown codes checks that memory stays bounded when every error is of a new kind.
#
# Usage: benches/scan.sh [MIB]   (default 256; the logs are kept in $TMPDIR)
# Exit status: 0 when both budgets hold (throughput >= half of rg's, peak RSS < 32 MiB).
set -euo pipefail
cd "$(dirname "$0")/.."

readonly MIB=${1:-256}
readonly RSS_BUDGET_KIB=$((32 << 10))

source benches/require.sh
require rg:ripgrep /usr/bin/time:time

cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/errdecode
tmp=${TMPDIR:-/tmp}
log=$tmp/errdecode-scan-$MIB.log
distinct=$tmp/errdecode-scan-distinct.log
[[ -s $log ]] || python3 benches/gen-log.py "$log" "$MIB"
if [[ ! -s $distinct ]]; then
    python3 - "$distinct" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    for i in range(300_000):
        f.write(f"<Error><Code>Unknown{i}</Code><RequestId>5C3D9175B6FC201293AD{i % 65536:04X}"
                "</RequestId><HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId></Error>\n")
PY
fi
cat "$log" >/dev/null # into the page cache, for both tools alike

# best LABEL FILE PROGRAM ARGS...: prints "seconds peak-RSS-KiB", the best of three.
best() {
    local file=$1 secs rss best_secs= best_rss=
    shift
    for _ in 1 2 3; do
        read -r secs rss < <(/usr/bin/time -f '%e %M' "$@" "$file" 2>&1 >/dev/null | tail -n 1)
        if [[ -z $best_secs ]] || awk -v a="$secs" -v b="$best_secs" 'BEGIN { exit !(a < b) }'; then
            best_secs=$secs best_rss=$rss
        fi
    done
    echo "$best_secs $best_rss"
}

bytes=$(stat -c %s "$log")
read -r rg_secs rg_rss < <(best "$log" rg -c '<Code>')
read -r scan_secs scan_rss < <(best "$log" "$bin" scan)
read -r pipe_secs pipe_rss < <(best "$log" sh -c "cat \"\$0\" | \"$bin\" scan")
read -r distinct_secs distinct_rss < <(best "$distinct" "$bin" scan)
errors=$("$bin" scan --json "$log" | wc -l)

mibps() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? b / 1048576 / s : 0) }'; }
echo "| command | input | seconds | MiB/s | peak RSS KiB |"
echo "|---|---|---|---|---|"
echo "| \`rg -c '<Code>'\` | $MIB MiB log | $rg_secs | $(mibps "$rg_secs") | $rg_rss |"
echo "| \`errdecode scan\` | $MIB MiB log, $errors errors | $scan_secs | $(mibps "$scan_secs") | $scan_rss |"
echo "| \`cat log \| errdecode scan\` | $MIB MiB log | $pipe_secs | $(mibps "$pipe_secs") | $pipe_rss |"
echo "| \`errdecode scan\` | 300,000 distinct codes | $distinct_secs | - | $distinct_rss |"

failed=0
ratio=$(awk -v r="$rg_secs" -v s="$scan_secs" 'BEGIN { printf "%.2f", (s > 0 ? r / s : 0) }')
echo
echo "errdecode scan throughput: ${ratio}x rg's (budget >= 0.50x)"
awk -v r="$ratio" 'BEGIN { exit !(r >= 0.5) }' || failed=1
for rss in "$scan_rss" "$pipe_rss" "$distinct_rss"; do
    ((rss < RSS_BUDGET_KIB)) || failed=1
done
echo "peak RSS budget: < $RSS_BUDGET_KIB KiB"
exit "$failed"
