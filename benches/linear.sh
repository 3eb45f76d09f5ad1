#!/usr/bin/env bash
# Every stage is linear in its input (issue 15, section 5), checked in instructions,
# not seconds: each token the fuzz dictionaries list (the tokens each repair, reader
# and the masker look for) is repeated 1 MiB long and decoded by the release binary
# under callgrind, bare, inside an XML body, inside a JSON body, after an HTTP
# response's headers, and through `scan`. A linear pass costs tens of instructions a
# byte, and scan, which decodes every record, up to about 13,000 when the records are
# as small as they come (one 26-byte SDK marker after another); a quadratic pass over
# 1 MiB costs hundreds of thousands, so one budget per byte tells them apart whatever the machine is doing. (cachegrind without its cache
# simulation counts the same instructions as callgrind, in half the time; the whole
# run is still long: about 1,300 runs of one to a few seconds each, on every core.)
#
# Usage: benches/linear.sh [BUDGET]   (instructions per input byte; default 20000)
# Prints each run as it ends, then the costliest; exit status 0 when every run is within the budget,
# 1 when one is not, 2 when a run failed.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly BUDGET=${1:-20000}

source benches/require.sh
require valgrind:valgrind python3:python3

cargo build --release --locked --quiet
bin=${CARGO_TARGET_DIR:-$PWD/target}/release/errdecode
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 - "$bin" "$tmp" "$BUDGET" fuzz/dict/*.dict <<'PY'
import concurrent.futures, os, re, subprocess, sys

binary, tmp, budget, dicts = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
SIZE = 1 << 20

def unescape(quoted):
    """A libFuzzer dictionary value: \\\\, \\" and \\xNN escapes."""
    out, i = bytearray(), 0
    while i < len(quoted):
        if quoted[i] == "\\" and quoted[i + 1] == "x":
            out.append(int(quoted[i + 2 : i + 4], 16))
            i += 4
        elif quoted[i] == "\\":
            out += quoted[i + 1].encode()
            i += 2
        else:
            out += quoted[i].encode()
            i += 1
    return bytes(out)

tokens = set()
for path in dicts:
    for line in open(path, encoding="utf-8"):
        match = re.match(r'^\s*(?:\w+=)?"(.*)"\s*$', line)
        if match:
            tokens.add(unescape(match.group(1)))

WRAPPERS = {
    "bare": (b"", b""),
    "xml": (b"<Error><Code>AccessDenied</Code><Message>", b"</Message></Error>"),
    "json": (b'{"Code":"AccessDenied","Message":"', b'"}'),
    "http": (b"HTTP/1.1 403 Forbidden\r\nx-oss-request-id: 5C3D9175B6FC201293AD4877\r\n\r\n", b""),
}

jobs = []
for n, token in enumerate(sorted(tokens)):
    run = token * (SIZE // len(token))
    for wrapper, (head, tail) in WRAPPERS.items():
        jobs.append((token, wrapper, head + run + tail, ["--color", "never", "--file"]))
    jobs.append((token, "scan", run, ["scan", "--color", "never"]))

def cost(job):
    token, wrapper, paste, args = job
    path = os.path.join(tmp, f"{os.getpid()}-{abs(hash((token, wrapper)))}.txt")
    with open(path, "wb") as f:
        f.write(paste)
    argv = [binary, *args, path]
    result = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *argv],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={"PATH": "/usr/bin:/bin"},
    )
    os.remove(path)
    collected = re.search(rb"I\s+refs:\s+([\d,]+)", result.stderr)
    # 2 is an input error (a paste of only whitespace is empty): an answer, not a failure.
    if result.returncode not in (0, 1, 2) or not collected:
        return job, None, result.stderr.decode(errors="replace")[-400:]
    return job, int(collected.group(1).replace(b",", b"")) / len(paste), ""

worst, failed = [], False
with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
    for (token, wrapper, paste, _), per_byte, error in pool.map(cost, jobs):
        if per_byte is None:
            print(f"failed: {wrapper} {token!r}: {error}", file=sys.stderr)
            failed = True
            continue
        worst.append((per_byte, wrapper, token))
        print(f"{per_byte:8.0f} {wrapper:5} {token!r}", flush=True)

worst.sort(reverse=True)
print(f"{len(jobs)} runs of {len(tokens)} tokens, 1 MiB each; budget {budget} instructions a byte")
print("| instructions a byte | form | token |\n|---|---|---|")
for per_byte, wrapper, token in worst[:15]:
    print(f"| {per_byte:.0f} | {wrapper} | `{token!r}` |")
over = [w for w in worst if w[0] > budget]
for per_byte, wrapper, token in over:
    print(f"over budget: {wrapper} {token!r}: {per_byte:.0f} instructions a byte", file=sys.stderr)
sys.exit(2 if failed else 1 if over else 0)
PY
