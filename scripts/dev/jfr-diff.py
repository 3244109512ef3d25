#!/usr/bin/env python3
"""Compares two Flight Recorder recordings of the same work, per object: CPU samples
(jdk.ExecutionSample) and allocated bytes (jdk.ObjectAllocationSample, by weight), each
divided by the objects the recording's run did. Made for the recordings of
`scripts/bench ... --profile DIR` (DIR/ours.jfr, DIR/bare.jfr: the timed runs alone).

    scripts/dev/jfr-diff.py DIR/ours.jfr 100000 DIR/bare.jfr 100000 [0.352 0.214]

Prints three tables, each with A's figure, B's figure and A - B:
  1. entry points: samples (and bytes) under a frame of the SDK's pipeline, Netty, futures ...
     (a sample counts under every entry point it passes through, so the rows overlap);
  2. parts: every sample in exactly one part, the first frame from the top that names one;
  3. frames: the methods whose inclusive samples per object differ most.
A sample is 10 ms of one thread's time on the CPU ("profile" settings), but JFR samples few
threads at a time, not those in native code, and fewer on a loaded machine: samples per object
of two runs compare badly. Given each run's measured CPU per object (the bench's
*_cpu_ms_per_object), the samples are shown as each part's share of it, in microseconds per
object (GC and JIT threads, never sampled, are spread over the parts)."""
import collections
import re
import subprocess
import sys

SERVER = r's3batchspark\.bench\.(S3RequestHandler|LoadS3Server|ObjectStore|S3Xml|S3Request)'

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
    ('load server (bench)', SERVER),
    ('String.format / regex', r'java\.util\.Formatter|java\.util\.regex'),
]

# Each sample in one part: the first rule (in this order) that its thread or stack matches.
PARTS = [
    ('load server (in the bench JVM, not the contender)',
     lambda fs, t: t.startswith(('load-s3-server', 'nioEventLoopGroup'))
     or any(re.search(SERVER, f) for f in fs)),
    ('SDK request path (an S3AsyncClient operation and below)',
     lambda fs, t: any(re.search(r'DefaultS3AsyncClient\.\w+$', f) for f in fs)),
    ('wrappers around the SDK call (cross-region, proxies)',
     lambda fs, t: any('S3CrossRegionAsyncClient' in f or 'CrossRegion' in f or '$Proxy' in f
                       for f in fs)),
    ('SDK and Netty on the event loops (send, receive, parse)',
     lambda fs, t: t.startswith('aws-java-sdk-NettyEventLoop')),
    ('SDK future completion (sdk-async-response)', lambda fs, t: t.startswith('sdk-async-response')),
    ('operation outside the SDK call', lambda fs, t: any('s3batchspark.operation.' in f for f in fs)),
    ('task window (TaskRunner, PrefixConcurrency)',
     lambda fs, t: any(re.search(r'execution\.(TaskRunner|PrefixConcurrency)', f) for f in fs[:8])),
    ('result row (TaskResultSchema.toRow, encoder)',
     lambda fs, t: any('TaskResultSchema' in f or 'ExpressionEncoder$Serializer' in f for f in fs)),
    ('Parquet results writer',
     lambda fs, t: any('FileFormatDataWriter' in f for f in fs)
     and any('org.apache.parquet' in f for f in fs)),
    ('manifest read, shuffle and sort',
     lambda fs, t: any(re.search(r'ShuffleWriter|ShuffleExternalSorter|VectorizedParquetRecordReader'
                                 r'|FileScanRDD|ShuffleBlockFetcherIterator|UnsafeExternalSorter'
                                 r'|UnsafeInMemorySorter|SortExec', f) for f in fs)),
    ('input row to task (Row, ObjectTask)',
     lambda fs, t: any('ManifestColumns' in f or 'SpecificSafeProjection' in f for f in fs)),
    ('other work of Spark tasks (CSV manifest, completion report, codegen)',
     lambda fs, t: t.startswith('Executor task launch')),
    ('driver (Spark planning and scheduling, the job stages)',
     lambda fs, t: t == 'main' and any('org.apache.spark' in f for f in fs)),
    ('the bench client loop (bare)', lambda fs, t: any('BareAsyncClient' in f for f in fs)),
]

FRAME = re.compile(r'^\s+([\w$.<>/]+)\(', re.M)
THREAD = re.compile(r'(?:sampledThread|eventThread) = "([^"]*)"')
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
        t = THREAD.search(e)
        yield frames, t.group(1) if t else '?', (float(w.group(1)) * UNITS[w.group(2)] if w else 1.0)


def profile(path):
    """Inclusive and exclusive tallies of one recording, for samples and for allocation."""
    out = {}
    for kind in ('jdk.ExecutionSample', 'jdk.ObjectAllocationSample'):
        entry = collections.Counter(); part = collections.Counter()
        frame = collections.Counter(); total = 0.0
        for frames, thread, w in events(path, kind):
            total += w
            for name, pat in ENTRY_POINTS:
                if any(re.search(pat, f) for f in frames):
                    entry[name] += w
            part[next((n for n, rule in PARTS if rule(frames, thread)), 'other')] += w
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
    if len(sys.argv) not in (5, 7):
        sys.exit(__doc__)
    pa, na, pb, nb = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    cpu = (float(sys.argv[5]), float(sys.argv[6])) if len(sys.argv) == 7 else None
    a, b = profile(pa), profile(pb)
    print(f'A = {pa} ({na:,} objects), B = {pb} ({nb:,} objects)')
    for kind in ('jdk.ExecutionSample', 'jdk.ObjectAllocationSample'):
        ta, ea, pa_, fa = a[kind]; tb, eb, pb_, fb = b[kind]
        if kind == 'jdk.ObjectAllocationSample':
            unit, sa, sb = 'bytes/obj', 1 / na, 1 / nb
        elif cpu:  # each run's share of samples times its measured CPU per object
            unit, sa, sb = 'µs/obj', cpu[0] * 1000 / ta, cpu[1] * 1000 / tb
        else:
            unit, sa, sb = 'samples/1k obj', 1000 / na, 1000 / nb
        print(f'\n## {kind}: A {ta * sa:.1f} {unit} in all, B {tb * sb:.1f}')
        table('entry points (overlapping)', unit, [n for n, _ in ENTRY_POINTS], ea, eb, sa, sb)
        table('parts (each sample once)', unit,
              [n for n, _ in PARTS] + ['other'], pa_, pb_, sa, sb)
        diff = {f: fa.get(f, 0) * sa - fb.get(f, 0) * sb for f in set(fa) | set(fb)}
        top = sorted(diff, key=lambda f: -abs(diff[f]))[:40]
        table('frames whose inclusive figure differs most', unit, top, fa, fb, sa, sb)


if __name__ == '__main__':
    main()
