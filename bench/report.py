#!/usr/bin/env python3
"""Turns bench/out/raw/ (written by bench/run.sh) into the results table
(stdout and bench/out/results.md) and the gnuplot scripts and data of the
plots. Medians over repetitions; latencies as the median over runs of each
run's p50 / p95."""
import glob
import os
import re
import statistics
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), 'out')
RAW = os.path.join(OUT, 'raw')


def rows(name):
    path = os.path.join(RAW, name)
    if not os.path.exists(path):
        return []
    with open(path) as fh:
        return [line.rstrip('\n').split('\t') for line in fh if line.strip()]


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def pct(xs, p):
    xs = sorted(xs)
    if not xs:
        return None
    k = (len(xs) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(xs) - 1)
    return xs[f] + (xs[c] - xs[f]) * (k - f)


meta = {}
meta_multi = {}
for r in rows('meta.tsv'):
    meta[r[0]] = r[1]
    meta_multi.setdefault(r[0], []).append(r[1])

# ---------------------------------------------------------------- raw data
tp = {}  # (group, side) -> list of (tps, tx, wal)
for g, rep, side, tps, tx, wal in rows('tp.tsv'):
    tp.setdefault((g, side), []).append((float(tps or 0), int(tx or 0), int(wal or 0)))


def tps_med(g, side):
    return med([t for t, _, _ in tp.get((g, side), [])])


def wal_med(g, side):
    return med([w / tx for _, tx, w in tp.get((g, side), []) if tx])


lat = {}  # (st, n, side) -> [(p50, p95)] in ms
batch_rate = {}  # side -> [commits/s of each run]
for path in glob.glob(os.path.join(RAW, 'lat', '*')):
    m = re.match(r'(\w+?)_(\d+)_(ts|full|tscold)_(\d+)\.\d+$', os.path.basename(path))
    if not m:
        continue
    with open(path) as fh:
        us = [int(line.split()[2]) for line in fh if line.strip()]
    if m.group(1) == 'batch':
        if len(us) > 1:
            batch_rate.setdefault(m.group(3), []).append(int(meta.get('batch', 1000)) * 1e6 / statistics.median(us[1:]))
        continue
    if us:
        lat.setdefault((m.group(1), int(m.group(2)), m.group(3)), []).append(
            (pct(us, 50) / 1000.0, pct(us, 95) / 1000.0))


def lat_med(st, n, side, which=0):
    return med([x[which] for x in lat.get((st, n, side), [])])


hist = {}  # (st, n) -> dict
for r in rows('history.tsv'):
    st, n, ext, full, tsv, fullv, far, maxd, avgd, worst = r
    hist[(st, int(n))] = dict(ext=int(ext), full=int(full), tsv=int(tsv), fullv=int(fullv), far=int(far or 0),
                              maxd=int(maxd or 0), avgd=float(avgd or 0), worst=worst)

mem = {}  # (st, n, side) -> list of (version, delta_kb, shm_delta_kb, replay distance)
for r in rows('mem.tsv'):
    st, n, v, side, before, peak, shm0, shm1, after, dist = (r + [''])[:10]
    mem.setdefault((st, int(n), side), []).append((int(v), int(peak) - int(before), int(shm1) - int(shm0),
                                                   int(dist) if dist else -1))

checks = {st: sorted(n for s, n in hist if s == st) for st in ('s', 'm')}

# ----------------------------------------------------------------- format
table = []  # figure, ts, base, ratio, target, met


def fnum(x, unit='', nd=None):
    if x is None:
        return 'n/a'
    if nd is None:
        nd = 0 if abs(x) >= 100 else (1 if abs(x) >= 10 else (2 if abs(x) >= 1 else 3))
    return ('{:,.%df}' % nd).format(x) + unit


def add(figure, ts, base, ratio, target, ok, ts_unit='', base_unit=''):
    table.append((figure,
                  ts if isinstance(ts, str) else fnum(ts, ts_unit),
                  base if isinstance(base, str) else fnum(base, base_unit),
                  'n/a' if ratio is None else ('%.2f' % ratio if isinstance(ratio, float) else ratio),
                  target, ok))


def ratio(a, b):
    return a / b if a is not None and b else None


def met(ok):
    return 'n/a' if ok is None else ('yes' if ok else 'NO')


# 1. S commit throughput
a, b = tps_med('S_commit', 'ts'), tps_med('S_commit', 'full')
r = ratio(a, b)
add('S single client: ts_commit vs INSERT (commits/s) [#2, #4]', a, b, r, 'ratio >= 0.90',
    met(r is not None and r >= 0.9 if r is not None else None))
a, b = wal_med('S_commit', 'ts'), wal_med('S_commit', 'full')
add('S WAL per commit (B)', a, b, ratio(a, b), 'info', '-')
# 2. M
a, b = tps_med('M_commit', 'ts'), tps_med('M_commit', 'full')
r = ratio(a, b)
add('M: ts_commit vs INSERT (commits/s)', a, b, r, 'ratio >= 2.0', met(None if r is None else r >= 2.0))
a = tps_med('M_patch', 'ts')
r = ratio(a, b)
add('M: ts_patch vs INSERT (commits/s)', a, b, r, 'ratio >= 5.0', met(None if r is None else r >= 5.0))
fw = wal_med('M_commit', 'full')
for g, name in (('M_commit', 'ts_commit'), ('M_patch', 'ts_patch')):
    a = wal_med(g, 'ts')
    add('M WAL per small-edit commit, %s (B)' % name, a, fw, ratio(a, fw), 'ts <= 2,048 B',
        met(None if a is None else a <= 2048))
# 3. storage
for st, lim, label in (('s', 300, 'S'), ('m', 600, 'M')):
    ns = [n for n in checks[st] if n <= 10000]
    if not ns:
        continue
    n = max(ns)
    h = hist[(st, n)]
    a, b = h['ext'] / h['tsv'], h['full'] / h['fullv']
    add('%s storage per version at %s versions, all tables+indexes (B)' % (label, '{:,}'.format(n)), a, b,
        ratio(a, b), 'ts <= %d B' % lim, met(a <= lim))
# 4. as_of latency
for st, lim, label in (('s', 1.2, 'S'), ('m', 1.0, 'M')):
    ns = [n for n in checks[st] if n <= 10000]
    if not ns:
        continue
    n = max(ns)
    a, b = lat_med(st, n, 'ts'), lat_med(st, n, 'full')
    r = ratio(a, b)
    add('%s ts_as_of vs SELECT, random version of %s, p50 (ms)%s' % (label, '{:,}'.format(n),
                                                                     ' [#2, #4]' if st == 's' else ''),
        a, b, r, 'ratio <= %.1f' % lim, met(None if r is None else r <= lim))
    a, b = lat_med(st, n, 'ts', 1), lat_med(st, n, 'full', 1)
    add('%s ts_as_of vs SELECT, p95 (ms)' % label, a, b, ratio(a, b), 'info', '-')
# 5. flat history
if checks['s']:
    lo, hi = min(checks['s']), max(checks['s'])
    a, b = lat_med('s', hi, 'ts'), lat_med('s', lo, 'ts')
    r = ratio(a, b)
    add('Flat history: S ts_as_of p50 at %s vs at %s versions (ms)' % ('{:,}'.format(hi), '{:,}'.format(lo)),
        a, b, r, 'ratio <= 1.2', met(None if r is None else r <= 1.2))
    a, b = lat_med('s', hi, 'full'), lat_med('s', lo, 'full')
    add('  (FULL SELECT p50 at %s vs at %s versions, ms)' % ('{:,}'.format(hi), '{:,}'.format(lo)), a, b,
        ratio(a, b), 'info', '-')
    a, b = lat_med('s', hi, 'tscold'), lat_med('s', lo, 'tscold')
    add('  (the same with the state cache off, ms)', a, b, ratio(a, b), 'info', '-')
# 6. batches
a, b = med(batch_rate.get('ts', [])), med(batch_rate.get('full', []))
r = ratio(a, b)
add('S batch: 1,000 ts_commit vs 1,000 INSERTs per transaction (commits/s)', a, b, r, 'ratio >= 1.0',
    met(None if r is None else r >= 1.0))
# 7. worker
a, b = tps_med('W_commit', 'on'), tps_med('W_commit', 'off')
r = ratio(a, b)
add('Worker: S ts_commit with worker running vs stopped (commits/s)', a, b, r, 'ratio >= 0.90',
    met(None if r is None else r >= 0.9))
burst = rows('burst.tsv')
if burst:
    _, nb, v0, v1, bms = burst[0]
    polls = [(int(p[1]), int(p[2]), int(p[3] or 0), int(p[5])) for p in burst[1:]]
    cleared = next((el for el, far, _, pend in polls if far == 0 and pend == 0), None)
    head_ok = next((el for el, _, _, pend in polls if pend == 0), None)
    bs = int(bms) / 1000.0
    if cleared is not None:
        add('Worker: backlog gone after a burst of %s commits (s after burst; baseline = burst)' % '{:,}'.format(int(nb)),
            cleared / 1000.0, bs, ratio(cleared / 1000.0, bs), 'ratio <= 1.0', met(cleared / 1000.0 <= bs), 's', 's')
    else:
        last = polls[-1] if polls else (0, 0, 0, 0)
        add('Worker: backlog gone after a burst of %s commits (s after burst; baseline = burst)' % '{:,}'.format(int(nb)),
            'not after %.0f s: %s versions >= interval from a full state, max %s' % (last[0] / 1000.0, last[1], last[2]),
            fnum(bs, 's'), 'n/a', 'ratio <= 1.0', 'NO')
    add('  (head no longer pending by the worker\'s own criterion, s after burst)',
        'never' if head_ok is None else fnum(head_ok / 1000.0, 's'), fnum(bs, 's'),
        'n/a' if head_ok is None else '%.2f' % (head_ok / 1000.0 / bs), 'info', '-')
# 8. memory
allm = [(n, v, d, sh, dd) for (st, n, side), xs in mem.items() if st == 'm' and side == 'ts' for v, d, sh, dd in xs]
allf = [(n, v, d, sh, dd) for (st, n, side), xs in mem.items() if st == 'm' and side == 'full' for v, d, sh, dd in xs]
doc_m = int(meta.get('doc_m', 0) or 0)
if allm:
    worst = max(allm, key=lambda x: x[2])
    a = worst[2] * 1024.0
    add('Memory: peak backend growth reading a version of M (KB; baseline = document size)',
        a / 1024, doc_m / 1024.0, ratio(a, doc_m), 'ratio < 10', met(a < 10 * doc_m), '', '')
    fw_ = max(allf, key=lambda x: x[2]) if allf else None
    add('  (FULL SELECT peak growth, KB; ts worst: v%d of %d, %d deltas from a full state, shared buffers %d KB of it)' % (
        worst[1], worst[0], worst[4], worst[3]), fnum(fw_[2]) if fw_ else 'n/a', fnum(doc_m / 1024.0),
        'n/a' if not fw_ else '%.2f' % (fw_[2] * 1024.0 / doc_m), 'info', '-')
    # Without the shared-buffer pages a read touches (they count in VmHWM
    # but belong to the server): the backend's own memory, worst reads.
    own = lambda xs: max(d - sh for _, _, d, sh, _ in xs)
    add('  (peak growth without shared-buffer pages, worst ts read vs worst FULL read, KB)',
        fnum(own(allm)), fnum(own(allf)) if allf else 'n/a',
        'n/a' if not allf else '%.2f' % (own(allm) / float(own(allf))), 'info', '-')
rss = rows('worker_rss.tsv')
prog = [(int(r[1]), int(r[2])) for r in rows('progress.tsv') if r[0] == 's']
if rss and prog:
    total = max(v for _, v in prog)
    t_at = lambda frac: next((t for t, v in prog if v >= frac * total), prog[-1][0])
    t25, t75, tend = t_at(0.25), t_at(0.75), prog[-1][0]
    early = [int(x[3]) for x in rss if int(x[0]) <= t25 and x[3]]
    late = [int(x[3]) for x in rss if t75 <= int(x[0]) <= tend and x[3]]
    pids = sorted(set(x[1] for x in rss))
    if early and late:
        a, b = max(late) / 1024.0, max(early) / 1024.0
        add('Worker memory over the %s-commit S run: max RssAnon, last quarter vs first quarter (MB)' % '{:,}'.format(total),
            a, b, ratio(a, b), 'ratio <= 1.10', met(a <= 1.10 * b))
        vm = [int(x[2]) for x in rss if x[2]]
        add('  (worker VmRSS max / min over the run, MB; %d samples, pid(s) %s)' % (len(rss), ','.join(pids)),
            fnum(max(vm) / 1024.0), fnum(min(vm) / 1024.0), 'n/a', 'info', '-')
# 9. merge
mg = rows('merge.tsv')
if mg:
    a = med([float(x[1]) for x in mg if x[1]])
    b = med([float(x[2]) for x in mg if x[2]])
    kinds = ','.join(sorted(set(x[4] for x in mg)))
    add('Merge: ts_merge three_way of two ~1 MB docs, 1,000 paths per side, vs reading base+ours+theirs (ms) [#3]',
        a, b, ratio(a, b), 'report', 'n/a')
    add('  (merge results: event:parents = %s)' % kinds, '-', '-', '-', 'info', '-')

# ------------------------------------------------------------------ output
lines = []
lines.append('# temporal_store benchmark results')
lines.append('')
lines.append('Mode: **%s**; elapsed %s s; started %s.' % (meta.get('mode'), meta.get('elapsed_s', '?'), meta.get('started')))
lines.append('')
lines.append('- Server: %s' % meta.get('server'))
lines.append('- Extension %s at commit %s' % (meta.get('extension'), meta.get('commit')))
lines.append('- Library: %s' % meta.get('library'))
lines.append('- Machine: %s' % meta.get('machine'))
lines.append('- Settings: %s' % '; '.join(meta_multi.get('setting', [])))
lines.append('- Documents: S %s B, M %s B (mean JSON text), merge %s B; sequences of %s and %s documents walked '
             'back and forth (period %s / %s)' % (meta.get('doc_s'), meta.get('doc_m'), meta.get('doc_l'),
                                                  meta.get('period_s') and (int(meta['period_s']) + 2) // 2,
                                                  meta.get('period_m') and (int(meta['period_m']) + 2) // 2,
                                                  meta.get('period_s'), meta.get('period_m')))
for c in meta_multi.get('counts', []):
    lines.append('- Counts: %s' % c)
lines.append('')
lines.append('| figure | temporal_store | baseline | ratio | target | met? |')
lines.append('|---|---:|---:|---:|---|---|')
for row in table:
    lines.append('| %s |' % ' | '.join(row))
lines.append('')
lines.append('Baseline is FULL (a plain table, one full jsonb copy per version: commit = INSERT, '
             'as_of = primary-key SELECT) in the same database and run unless the row says otherwise. '
             'Throughput and WAL: median of runs; latency: median over runs of each run\'s p50/p95.')
lines.append('')
lines.append('## By history length')
lines.append('')
lines.append('| store | versions | ts as_of p50 / p95 (ms) | ts as_of, cache off, p50 / p95 (ms) | FULL SELECT p50 / p95 (ms) '
             '| ts B/version | FULL B/version '
             '| replay distance mean / max | versions >= interval from a full state | ts read peak (KB) | FULL read peak (KB) |')
lines.append('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
for st in ('s', 'm'):
    for n in checks[st]:
        h = hist[(st, n)]
        mt = mem.get((st, n, 'ts'))
        mf = mem.get((st, n, 'full'))
        lines.append('| %s | %s | %s / %s | %s / %s | %s / %s | %s | %s | %.1f / %d | %s | %s | %s |' % (
            st.upper(), '{:,}'.format(n), fnum(lat_med(st, n, 'ts')), fnum(lat_med(st, n, 'ts', 1)),
            fnum(lat_med(st, n, 'tscold')), fnum(lat_med(st, n, 'tscold', 1)),
            fnum(lat_med(st, n, 'full')), fnum(lat_med(st, n, 'full', 1)), fnum(h['ext'] / h['tsv']),
            fnum(h['full'] / h['fullv']), h['avgd'], h['maxd'], '{:,}'.format(h['far']),
            fnum(max(x[1] for x in mt)) if mt else '-', fnum(max(x[1] for x in mf)) if mf else '-'))
lines.append('')
ww = rows('worker_wait.tsv')
if ww:
    lines.append('Worker catch-up before each read measurement (store@head: versions >= interval from a full state | '
                 'head pending, after waiting ms): ' + '; '.join('%s@%s %s after %s' % tuple(x) for x in ww))
    lines.append('')
tabs = rows('tables.tsv')
for st in ('s', 'm'):
    if checks[st]:
        n = max(checks[st])
        t = [x for x in tabs if x[0] == st and int(x[1]) == n]
        if t:
            lines.append('%s at %s versions, bytes by table (total with indexes and TOAST; %s snapshot rows): %s' % (
                st.upper(), '{:,}'.format(n), t[0][5],
                ', '.join('%s %s' % (x[2], '{:,}'.format(int(x[3]))) for x in sorted(t, key=lambda x: -int(x[3])))))
            lines.append('')
grows = {}
for r in rows('progress.tsv'):
    if len(r) >= 5 and int(r[3]) > 0:
        grows.setdefault(r[0], []).append((int(r[2]), int(r[3]), int(r[4])))
for st, xs in grows.items():
    prev = 1
    parts = []
    for v, tms, fms in xs:
        k = v - prev
        prev = v
        parts.append('%d: %.0f/%.0f' % (v, k * 1000.0 / tms, k * 1000.0 / fms))
    lines.append('History growth of %s, single-commit transactions (versions reached: ts_commit/s / INSERT/s): %s' % (
        st.upper(), ', '.join(parts)))
    lines.append('')
tpl = []
for (g, side), xs in sorted(tp.items()):
    tpl.append('%s/%s: %s' % (g, side, ', '.join('%.1f' % t for t, _, _ in xs)))
lines.append('Throughput runs (tps of each run): ' + '; '.join(tpl))
lines.append('')
if burst:
    lines.append('Burst: %s commits took %.1f s (versions %s..%s); backlog polls (s after burst: versions >= interval, '
                 'max distance, head pending): %s' % (
                     burst[0][1], int(burst[0][4]) / 1000.0, int(burst[0][2]) + 1, burst[0][3],
                     ', '.join('%.0f: %s/%s/%s' % (int(p[1]) / 1000.0, p[2], p[3], p[5]) for p in burst[1::5])) +
                 '; ts_worker_status().pending at those polls: %s' % ', '.join(p[7] for p in burst[1::5] if len(p) > 7))
    lines.append('')
if mg:
    lines.append('Merge runs (merge ms, read-3 ms, base): ' + '; '.join('%s/%s/%s' % (x[1], x[2], x[3]) for x in mg))
    lines.append('')
ws = rows('worker_state.tsv')
if ws:
    lines.append('Workers alive after each worker on/off run (rep state count): ' + ', '.join(' '.join(x) for x in ws))
    lines.append('')
slog = os.path.join(RAW, 'server.log')
if os.path.exists(slog):
    pids = sorted(set(l.split('|')[0] for l in open(os.path.join(RAW, 'worker_contexts.txt')).read().split())) \
        if os.path.exists(os.path.join(RAW, 'worker_contexts.txt')) else []
    txt = open(slog, errors='replace').read()
    totals = []
    for pid in pids:
        for m in re.finditer(r'\[%s\] LOG:\s+Grand total: (\d+) bytes in (\d+) blocks; (\d+) free' % pid, txt):
            totals.append('%s KB (pid %s)' % ('{:,}'.format(int(m.group(1)) // 1024), pid))
    if totals:
        lines.append('Worker PostgreSQL memory contexts at each S history length (pg_log_backend_memory_contexts; '
                     'malloc-ed C++ memory such as the state cache is not included): ' + ', '.join(totals))
        lines.append('')
lines.append('Plots: asof_latency.svg, bytes_per_version.svg, worker_rss.svg.')
text = '\n'.join(lines) + '\n'
with open(os.path.join(OUT, 'results.md'), 'w') as fh:
    fh.write(text)
print(text)

# ------------------------------------------------------------------- plots
with open(os.path.join(OUT, 'history.dat'), 'w') as fh:
    for st in ('s', 'm'):
        fh.write('# %s: versions ts_p50_ms full_p50_ms ts_p95_ms full_p95_ms ts_B_per_version full_B_per_version\n' % st)
        for n in checks[st]:
            h = hist[(st, n)]
            vals = [lat_med(st, n, 'ts'), lat_med(st, n, 'full'), lat_med(st, n, 'ts', 1), lat_med(st, n, 'full', 1)]
            fh.write('%d %s %s %s %s %.1f %.1f\n' % (n, *['%.4f' % v if v is not None else 'NaN' for v in vals],
                                                   h['ext'] / h['tsv'], h['full'] / h['fullv']))
        fh.write('\n\n')
if rss:
    t0 = int(rss[0][0])
    with open(os.path.join(OUT, 'worker_rss.dat'), 'w') as fh:
        fh.write('# seconds VmRSS_MB RssAnon_MB\n')
        for x in rss:
            fh.write('%.1f %.2f %.2f\n' % ((int(x[0]) - t0) / 1000.0, int(x[2]) / 1024.0, int(x[3]) / 1024.0))
common = ("set terminal svg size 800,500 dynamic font 'sans,11'\nset key top left\nset grid\n"
          "set logscale x\nset xlabel 'history length (versions)'\n")
dat = os.path.join(OUT, 'history.dat')
with open(os.path.join(OUT, 'asof_latency.gp'), 'w') as fh:
    fh.write(common + "set output '%s'\nset logscale y\nset ylabel 'as\\_of latency p50 (ms, log)'\n"
             "set title 'ts\\_as\\_of vs FULL primary-key SELECT, uniformly random versions'\n"
             "plot '%s' index 0 using 1:2 with linespoints lw 2 title 'S ts\\_as\\_of', "
             "'' index 0 using 1:3 with linespoints dt 2 title 'S FULL SELECT', "
             "'' index 1 using 1:2 with linespoints lw 2 title 'M ts\\_as\\_of', "
             "'' index 1 using 1:3 with linespoints dt 2 title 'M FULL SELECT'\n"
             % (os.path.join(OUT, 'asof_latency.svg'), dat))
with open(os.path.join(OUT, 'bytes_per_version.gp'), 'w') as fh:
    fh.write(common + "set output '%s'\nset logscale y\nset ylabel 'bytes per version (log)'\n"
             "set title 'Storage per version: all ts\\_internal tables+indexes+TOAST vs FULL'\n"
             "plot '%s' index 0 using 1:6 with linespoints lw 2 title 'S temporal\\_store', "
             "'' index 0 using 1:7 with linespoints dt 2 title 'S FULL', "
             "'' index 1 using 1:6 with linespoints lw 2 title 'M temporal\\_store', "
             "'' index 1 using 1:7 with linespoints dt 2 title 'M FULL'\n"
             % (os.path.join(OUT, 'bytes_per_version.svg'), dat))
if rss:
    with open(os.path.join(OUT, 'worker_rss.gp'), 'w') as fh:
        fh.write("set terminal svg size 800,400 dynamic font 'sans,11'\nset grid\nset key top left\n"
                 "set output '%s'\nset xlabel 'seconds into the S history run'\nset ylabel 'MB'\n"
                 "set title 'Snapshot worker memory during the S history run'\n"
                 "plot '%s' using 1:2 with lines title 'VmRSS', '' using 1:3 with lines title 'RssAnon'\n"
                 % (os.path.join(OUT, 'worker_rss.svg'), os.path.join(OUT, 'worker_rss.dat')))
