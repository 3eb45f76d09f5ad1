#!/usr/bin/env python3
"""Writes a synthetic application log for the scan benchmark.

Usage: benches/gen-log.py OUT [MIB]   (default 256 MiB)

Ordinary log lines with an error every ~8 KiB, cycling through the error forms
errdecode finds in logs: OSS/COS XML bodies (one line and pretty-printed), a curl -i
dump with X-ErrNo, OSS Go/Java SDK lines, COS Go and Python SDK lines, botocore.
Deterministic, so runs are comparable.
"""
import random
import sys

ERRORS = [
    '2024-05-01T12:00:{s:02d}Z ERROR get failed: <?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>636B68BA3C7A1F3233B0{n:04X}</RequestId><HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId><EC>0026-00000001</EC></Error>\n',
    "2024-05-01T12:00:{s:02d}Z ERROR put failed:\n<?xml version='1.0' encoding='utf-8' ?>\n<Error>\n  <Code>AccessDenied</Code>\n  <Message>Access Denied.</Message>\n  <Resource>examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/a.txt</Resource>\n  <RequestId>NjQ4ZmZlNTBfNDBiYjRlMGJfMjQ1OF8y{n:04d}</RequestId>\n  <TraceId>OGVmYzZiMmQzYjA2OWNh{n:04d}</TraceId>\n</Error>\n",
    "HTTP/1.1 403 Forbidden\nServer: tencent-cos\nx-cos-request-id: NjQ4ZmZlNTBfYjZiYjRlMGJfMTU2YV8x{n:04d}\nX-ErrNo: -46618\n\n",
    'oss: service returned error: StatusCode=403, ErrorCode=AccessDenied, ErrorMessage="You have no right to access this object because of bucket acl.", RequestId=5C3D9175B6FC201293AD{n:04X}, Ec=0003-00000001\n',
    "com.aliyun.oss.OSSException: Missing Some Required Arguments.\n[ErrorCode]: MissingArgument\n[RequestId]: 57ABD896CCB80C366955{n:04X}\n[HostId]: oss-example.oss-cn-hangzhou.aliyuncs.com\n[EC]: 0016-00000502\n",
    "GET https://examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/o{n}: 404 NoSuchKey(Message: The specified key does not exist., RequestId: NjQ4ZDk0ZjBfOTBmYTUw{n:04d}, TraceId: OGVmYzZiMmQzYjA2OWNh)\n",
    "qcloud_cos.cos_exception.CosServiceError: {{'code': 'SlowDown', 'message': 'Please reduce your request rate.', 'resource': 'examplebucket-1250000000.cos.ap-guangzhou.myqcloud.com/o', 'requestid': 'NjQ4ZDk0ZjBfOTBmYTUw{n:04d}', 'traceid': 'OGVmYzZiMmQzYjA2OWNh'}}\n",
]

WORDS = "request served user cache miss hit upstream latency ms bytes ok path query session worker pool".split()


def main() -> None:
    out = sys.argv[1]
    size = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    target = size << 20
    rng = random.Random(42)
    written = 0
    n = 0
    with open(out, "w", encoding="utf-8") as f:
        while written < target:
            chunk = []
            length = 0
            while length < 8192:
                line = "2024-05-01T12:00:%02dZ INFO %s\n" % (
                    rng.randrange(60),
                    " ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 20))),
                )
                chunk.append(line)
                length += len(line)
            chunk.append(ERRORS[n % len(ERRORS)].format(s=n % 60, n=n % 10000))
            n += 1
            text = "".join(chunk)
            f.write(text)
            written += len(text.encode())
    print(f"{out}: {written} bytes, {n} errors", file=sys.stderr)


if __name__ == "__main__":
    main()
