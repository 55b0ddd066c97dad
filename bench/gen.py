#!/usr/bin/env python3
"""Deterministic document and edit generator for bench/run.sh.

Documents are realistic nested configuration JSON: metadata, feature flags,
limits, an array of service objects (image, replicas, resources, env,
ports, health check, labels) and routes. Every edit changes 1-3 scalar
leaves; every 20th edit adds a key or removes one an earlier edit added.

  gen.py seq NAME TARGET_BYTES N SEED OUTDIR
      OUTDIR/NAME_docs.csv   i, doc          (doc d_1 .. d_N, JSON text)
      OUTDIR/NAME_steps.csv  s, doc_i, patch (the commit sequence)
  The commit sequence walks d_1 .. d_N and back to d_2 (a palindrome, so it
  can run forever): step s commits d_{doc_i}; patch is the RFC 6902 JSON
  Patch from the previous step's document to this one (the same 1-3 leaf
  edit, forwards or inverted). Period 2N-2.

  gen.py merge TARGET_BYTES PATHS COMMITS SEED OUTDIR
      OUTDIR/merge_base.json          the ~1 MB base document
      OUTDIR/merge_patches.csv        side, k, patch (COMMITS patches per
                                      side; PATHS distinct leaves per side,
                                      no leaf shared between the sides and
                                      none inside an array)
  Prints a JSON summary (sizes, leaves) on stdout.
"""
import csv
import json
import random
import re
import sys

SEP = (', ', ': ')  # jsonb's own text output format


def dumps(v):
    return json.dumps(v, separators=SEP, ensure_ascii=False)


REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-1']
TEAMS = ['platform', 'payments', 'search', 'identity', 'growth', 'data', 'edge']
LEVELS = ['debug', 'info', 'warn', 'error']
WORDS = ['alpha', 'beta', 'gamma', 'delta', 'omega', 'kappa', 'sigma', 'zeta', 'lambda', 'theta']


def make_service(rng, i, keyed=False):
    name = 'svc-%04d' % i
    env = {
        'LOG_LEVEL': rng.choice(LEVELS),
        'DB_POOL_SIZE': str(rng.randint(4, 64)),
        'CACHE_TTL_S': str(rng.choice([30, 60, 300, 900])),
        'UPSTREAM_URL': 'https://%s.%s.internal:%d/v%d' % (rng.choice(WORDS), rng.choice(TEAMS),
                                                            rng.choice([443, 8443]), rng.randint(1, 3)),
        'FEATURE_%s' % rng.choice(WORDS).upper(): rng.choice(['on', 'off']),
    }
    ports = [{'name': 'http', 'port': 8000 + i % 1000, 'protocol': 'TCP'},
             {'name': 'metrics', 'port': 9000 + i % 1000, 'protocol': 'TCP'}]
    svc = {
        'name': name,
        'image': 'registry.example.com/%s/%s:%d.%d.%d' % (rng.choice(TEAMS), name, rng.randint(1, 4),
                                                          rng.randint(0, 20), rng.randint(0, 40)),
        'enabled': rng.random() < 0.85,
        'replicas': rng.randint(1, 12),
        'resources': {'cpu': round(rng.choice([0.25, 0.5, 1, 2, 4]) * 1.0, 2),
                      'memory_mb': rng.choice([256, 512, 1024, 2048, 4096]),
                      'max_open_files': rng.choice([1024, 4096, 65536])},
        'env': env,
        'ports': ({p['name']: {'port': p['port'], 'protocol': p['protocol']} for p in ports} if keyed else ports),
        'healthcheck': {'path': '/healthz', 'interval_s': rng.choice([5, 10, 30]),
                        'timeout_s': rng.choice([1, 2, 5]), 'retries': rng.randint(1, 5)},
        'labels': {'team': rng.choice(TEAMS), 'tier': rng.choice(['frontend', 'backend', 'batch']),
                   'cost_center': 'cc-%03d' % rng.randint(1, 400)},
    }
    if not keyed:
        svc['tags'] = rng.sample(WORDS, 3)
    return name, svc


def make_doc(rng, target, keyed=False):
    doc = {
        'schema': 3,
        'name': 'cluster-%s' % rng.choice(WORDS),
        'meta': {'owner': rng.choice(TEAMS), 'region': rng.choice(REGIONS), 'revision': 1,
                 'contact': 'oncall@example.com', 'tags': rng.sample(WORDS, 3)},
        'features': {'%s_%s' % (rng.choice(WORDS), k): rng.random() < 0.5 for k in range(6)},
        'limits': {'max_connections': 200, 'timeout_ms': 3000,
                   'rate': {'per_second': 50, 'burst': 100}},
        'services': {} if keyed else [],
        'routes': [],
    }
    if keyed:
        doc['meta'].pop('tags')
        doc.pop('routes')
    i = 0
    size = len(dumps(doc))
    while size < target:
        name, svc = make_service(rng, i, keyed)
        size += len(dumps(svc)) + (len(name) + 6 if keyed else 2)
        if keyed:
            doc['services'][name] = svc
        else:
            doc['services'].append(svc)
            if i % 3 == 0 and target > 4000:
                route = {'host': '%s.example.com' % rng.choice(WORDS), 'path': '/api/%s' % name,
                         'service': name, 'weight': 100}
                doc['routes'].append(route)
                size += len(dumps(route)) + 2
        i += 1
        if target < 4000:
            # Small documents: one service trimmed to fit.
            svc.pop('tags', None)
            svc['env'] = dict(list(svc['env'].items())[:3])
            break
    return doc


def leaves(v, path=(), in_array=False, out=None):
    """Paths of scalar leaves, each (path tuple, under_an_array)."""
    if out is None:
        out = []
    if isinstance(v, dict):
        for k, x in v.items():
            leaves(x, path + (k,), in_array, out)
    elif isinstance(v, list):
        for k, x in enumerate(v):
            leaves(x, path + (k,), True, out)
    else:
        out.append((path, in_array))
    return out


def get(doc, path):
    for k in path:
        doc = doc[k]
    return doc


def put(doc, path, value):
    get(doc, path[:-1])[path[-1]] = value


def pointer(path):
    return ''.join('/' + str(k).replace('~', '~0').replace('/', '~1') for k in path)


def mutate(rng, v):
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + rng.choice([-2, -1, 1, 2, 3]) if v > 3 else v + rng.randint(1, 3)
    if isinstance(v, float):
        return round(v + rng.choice([0.25, 0.5, -0.25]) if v > 0.5 else v + 0.25, 2)
    if isinstance(v, str):
        if v in LEVELS:
            return LEVELS[(LEVELS.index(v) + 1) % len(LEVELS)]
        if v in ('on', 'off'):
            return 'off' if v == 'on' else 'on'
        m = re.search(r'(\d+)$', v)
        if m:
            return v[:m.start()] + str((int(m.group(1)) + 1) % 100000)
        return v + '2' if len(v) < 40 else v[:-1]
    return v


def edit_ops(rng, doc, step, editable, objects, added):
    """Applies one edit to doc in place; returns (forward ops, inverse ops)."""
    fwd, inv = [], []
    if step % 20 == 0:
        if added and (step // 20) % 2 == 0:
            path = added.pop(rng.randrange(len(added)))
            old = get(doc, path)
            del get(doc, path[:-1])[path[-1]]
            fwd.append({'op': 'remove', 'path': pointer(path)})
            inv.append({'op': 'add', 'path': pointer(path), 'value': old})
        else:
            obj = rng.choice(objects)
            path = obj + ('added_%s_%d' % (rng.choice(WORDS), step),)
            value = rng.choice([True, rng.randint(1, 1000), 'value-%d' % step])
            put(doc, path, value)
            added.append(path)
            fwd.append({'op': 'add', 'path': pointer(path), 'value': value})
            inv.append({'op': 'remove', 'path': pointer(path)})
        return fwd, inv
    for path in rng.sample(editable, rng.choice([1, 1, 2, 2, 3])):
        old = get(doc, path)
        new = mutate(rng, old)
        if new == old or type(new) != type(old):
            new = mutate(rng, new)
        put(doc, path, new)
        fwd.append({'op': 'replace', 'path': pointer(path), 'value': new})
        inv.insert(0, {'op': 'replace', 'path': pointer(path), 'value': old})
    return fwd, inv


def object_paths(v, path=(), out=None, allow_arrays=True):
    if out is None:
        out = []
    if isinstance(v, dict):
        out.append(path)
        for k, x in v.items():
            object_paths(x, path + (k,), out, allow_arrays)
    elif isinstance(v, list) and allow_arrays:
        for k, x in enumerate(v):
            object_paths(x, path + (k,), out, allow_arrays)
    return out


def cmd_seq(name, target, n, seed, outdir):
    rng = random.Random(seed)
    doc = make_doc(rng, target)
    editable = [p for p, _ in leaves(doc) if p and p[0] != 'schema']
    objects = [p for p in object_paths(doc) if p and p[-1] in ('features', 'env', 'labels', 'limits', 'meta')]
    added = []
    docs = [dumps(doc)]
    fwd = [None]  # fwd[i]: d_{i} -> d_{i+1} (0-based)
    inv = [None]
    for step in range(1, n):
        f, b = edit_ops(rng, doc, step, editable, objects, added)
        docs.append(dumps(doc))
        fwd.append(f)
        inv.append(b)
    with open('%s/%s_docs.csv' % (outdir, name), 'w', newline='', encoding='utf-8') as fh:
        w = csv.writer(fh)
        for i, d in enumerate(docs):
            w.writerow([i + 1, d])
    period = 2 * n - 2
    edit_leaves = []
    with open('%s/%s_steps.csv' % (outdir, name), 'w', newline='', encoding='utf-8') as fh:
        w = csv.writer(fh)
        for s in range(period):
            k = s % period
            i = k + 1 if k < n else 2 * n - 1 - k        # 1-based document index
            kp = (s - 1) % period
            ip = kp + 1 if kp < n else 2 * n - 1 - kp
            patch = fwd[i - 1] if i > ip else inv[ip - 1]
            edit_leaves.append(len(patch))
            w.writerow([s, i, dumps(patch)])
    sizes = [len(d.encode()) for d in docs]
    print(json.dumps({'name': name, 'docs': n, 'period': period, 'doc_bytes_min': min(sizes),
                      'doc_bytes_max': max(sizes), 'doc_bytes_mean': sum(sizes) // len(sizes),
                      'leaves': len(editable), 'ops_per_edit_mean': round(sum(edit_leaves) / len(edit_leaves), 2)}))


def cmd_merge(target, paths, commits, seed, outdir):
    rng = random.Random(seed)
    doc = make_doc(rng, target, keyed=True)
    cand = [p for p, in_arr in leaves(doc) if not in_arr and p and p[0] == 'services']
    rng.shuffle(cand)
    if len(cand) < 2 * paths:
        sys.exit('document too small for %d paths per side' % paths)
    with open('%s/merge_base.json' % outdir, 'w', encoding='utf-8') as fh:
        fh.write(dumps(doc))
    per = paths // commits
    with open('%s/merge_patches.csv' % outdir, 'w', newline='', encoding='utf-8') as fh:
        w = csv.writer(fh)
        for side, chosen in (('ours', cand[:paths]), ('theirs', cand[paths:2 * paths])):
            for k in range(commits):
                ops = []
                for path in chosen[k * per:(k + 1) * per]:
                    ops.append({'op': 'replace', 'path': pointer(path), 'value': mutate(rng, get(doc, path))})
                w.writerow([side, k + 1, dumps(ops)])
    print(json.dumps({'name': 'merge', 'doc_bytes': len(dumps(doc).encode()), 'leaves': len(cand),
                      'paths_per_side': paths, 'commits_per_side': commits}))


if __name__ == '__main__':
    a = sys.argv[1:]
    if a and a[0] == 'seq' and len(a) == 6:
        cmd_seq(a[1], int(a[2]), int(a[3]), int(a[4]), a[5])
    elif a and a[0] == 'merge' and len(a) == 6:
        cmd_merge(int(a[1]), int(a[2]), int(a[3]), int(a[4]), a[5])
    else:
        sys.exit(__doc__)
