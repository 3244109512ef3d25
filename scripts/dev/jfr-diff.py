#!/usr/bin/env python3
"""Compares two Flight Recorder recordings of the same work, per object: CPU samples
(jdk.ExecutionSample) and allocated bytes (jdk.ObjectAllocationSample, by weight), each
divided by the objects the recording's run did. Made for the recordings of
`scripts/bench ... --profile DIR` (DIR/ours.jfr, DIR/bare.jfr: the timed runs alone).

    scripts/dev/jfr-diff.py DIR/ours.jfr 100000 DIR/bare.jfr 100000

Prints three tables, each with A's figure, B's figure and A - B:
  1. entry points: samples (and bytes) under a frame of the SDK's pipeline, Netty, futures ...
     (a sample counts under every entry point it passes through, so the rows overlap);
  2. parts: every sample in exactly one part, the first frame from the top that names one;
  3. frames: the methods whose inclusive samples per object differ most.
A sample is 10 ms of one thread's time on the CPU ("profile" settings), so samples per 1,000
objects times 10 is microseconds per object; JFR samples few threads at a time and not those in
native code, so the figures compare the two runs, they do not add up to the CPU the run used."""
import collections
import re
import subprocess
import sys

ENTRY_POINTS = [
    ('SDK client call (S3AsyncClient op)', r'DefaultS3AsyncClient\.'),
    ('  cross-region wrapper', r'S3CrossRegionAsyncClient|crossregion\.'),
    ('  reflection proxy (jdk.proxy)', r'jdk\.proxy\d*\.\$Proxy|reflect\.Method\.invoke'),
    ('  ExecutionInterceptorChain', r'ExecutionInterceptorChain\.'),
    ('  signing (http.auth / signer)', r'awssdk\.http\.auth\.|awssdk\.auth\.signer'),
    ('  checksums', r'[Cc]hecksum'),
    ('  endpoint / auth-scheme resolution', r'EndpointProvider|AuthSchemeProvider|ResolvedOnce'),
    ('  request marshalling (xml/protocols)', r'awssdk\.protocols\.'),
    ('  response unmarshalling', r'Unmarshall|XmlResponseHandler|AsyncResponseHandler'),
    ('  retry / timeouts', r'[Rr]etry|Timeout|ScheduledThreadPoolExecutor'),
    ('  metrics', r'awssdk\.metrics|MetricCollector'),
    ('  credentials', r'CredentialsProvider|RoleCredentials|IdentityProvider'),
    ('CompletableFuture', r'java\.util\.concurrent\.CompletableFuture'),
    ('io.netty', r'^io\.netty\.'),
    ('executor hand-offs (ThreadPoolExecutor/ForkJoin)', r'ThreadPoolExecutor\.runWorker|ForkJoinWorkerThread'),
    ('TaskRunner', r'execution\.TaskRunner'),
    ('  PrefixConcurrency', r'PrefixConcurrency'),
    ('  TaskSignals/Steering/TaskCounters', r'Steering|TaskCounters|LongAccumulator'),
    ('  LinkedBlockingQueue (events)', r'LinkedBlockingQueue'),
    ('operation (S3PutObjectTagging, EtagGuard ...)', r's3batchspark\.operation\.'),
    ('result row (TaskResult, TaskResultSchema)', r'TaskResult'),
    ('Spark encoders / codegen', r'ExpressionEncoder|GeneratedClass'),
    ('Parquet (write and read)', r'org\.apache\.parquet'),
    ('shuffle / sort', r'spark\.shuffle|UnsafeExternalSorter|UnsafeInMemorySorter|SortExec'),
    ('load server (bench)', r's3batchspark\.bench\.'),
    ('String.format / regex', r'java\.util\.Formatter|java\.util\.regex'),
]

PARTS = [
    ('load server (bench)', r's3batchspark\.bench\.'),
    ('parquet', r'org\.apache\.parquet'),
    ('shuffle/sort', r'spark\.shuffle|UnsafeExternalSorter|UnsafeInMemorySorter'),
    ('codegen/encoders', r'GeneratedClass|ExpressionEncoder'),
    ('sdk signing', r'awssdk\.http\.auth|auth\.signer'),
    ('sdk protocols (xml)', r'awssdk\.protocols'),
    ('sdk checksums', r'awssdk.*[Cc]hecksum'),
    ('sdk core', r'software\.amazon\.awssdk\.core'),
    ('sdk s3 (client, cross-region)', r'software\.amazon\.awssdk\.services\.s3'),
    ('sdk other', r'software\.amazon\.awssdk'),
    ('netty', r'^io\.netty'),
    ('s3batch (ours)', r'io\.github\.s3batchspark'),
    ('spark other', r'org\.apache\.spark'),
]

FRAME = re.compile(r'^\s+([\w$.<>/]+)\(', re.M)
WEIGHT = re.compile(r'weight = ([\d.]+) (bytes|kB|MB|GB)')
UNITS = {'bytes': 1, 'kB': 1e3, 'MB': 1e6, 'GB': 1e9}


def events(path, kind):
    """(frames top first, weight in bytes or 1) of every event of the kind in the recording."""
    text = subprocess.run(['jfr', 'print', '--events', kind, '--stack-depth', '100', path],
                          capture_output=True, text=True, check=True).stdout
    for e in text.split(kind + ' {')[1:]:
        frames = FRAME.findall(e)
        if not frames:
            continue
        w = WEIGHT.search(e)
        yield frames, (float(w.group(1)) * UNITS[w.group(2)] if w else 1.0)


def profile(path):
    """Inclusive and exclusive tallies of one recording, for samples and for allocation."""
    out = {}
    for kind in ('jdk.ExecutionSample', 'jdk.ObjectAllocationSample'):
        entry = collections.Counter(); part = collections.Counter()
        frame = collections.Counter(); total = 0.0
        for frames, w in events(path, kind):
            total += w
            for name, pat in ENTRY_POINTS:
                if any(re.search(pat, f) for f in frames):
                    entry[name] += w
            p = 'other'
            for f in frames:
                hit = next((n for n, pat in PARTS if re.search(pat, f)), None)
                if hit:
                    p = hit
                    break
            part[p] += w
            for f in set(frames):
                frame[f] += w
        out[kind] = (total, entry, part, frame)
    return out


def table(title, unit, rows, a, b, scale_a, scale_b):
    print(f'\n{title}\n| {"":58} | A {unit} | B {unit} | A - B |\n|---|---|---|---|')
    for name in rows:
        x = a.get(name, 0) * scale_a; y = b.get(name, 0) * scale_b
        print(f'| {name:58} | {x:10.2f} | {y:10.2f} | {x - y:+10.2f} |')


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    pa, na, pb, nb = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    a, b = profile(pa), profile(pb)
    print(f'A = {pa} ({na:,} objects), B = {pb} ({nb:,} objects)')
    for kind, unit, per in (('jdk.ExecutionSample', 'samples/1k obj', 1000),
                            ('jdk.ObjectAllocationSample', 'bytes/obj', 1)):
        ta, ea, pa_, fa = a[kind]; tb, eb, pb_, fb = b[kind]
        sa, sb = per / na, per / nb
        print(f'\n## {kind}: A {ta * sa:.1f} {unit} in all, B {tb * sb:.1f}')
        table('entry points (overlapping)', unit, [n for n, _ in ENTRY_POINTS], ea, eb, sa, sb)
        table('parts (each sample once)', unit,
              [n for n, _ in PARTS] + ['other'], pa_, pb_, sa, sb)
        diff = {f: fa.get(f, 0) * sa - fb.get(f, 0) * sb for f in set(fa) | set(fb)}
        top = sorted(diff, key=lambda f: -abs(diff[f]))[:40]
        table('frames whose inclusive figure differs most', unit, top, fa, fb, sa, sb)


if __name__ == '__main__':
    main()
