#!/usr/bin/env python3
"""Table of bench/feed_lag.sh from its raw measurements.

  feed_report.py RAW_DIR SECONDS CLIENTS DOC_BYTES TARGET_ID COMMIT CPUS LOADAVG

RAW_DIR holds seen.tsv (the follower's change_id, store, committed_at,
seen_at), feed_ids.txt (ts_changes' ids at the end) and pgbench.txt. Exit
status 1 if the follower did not see exactly the feed's ids, in order.
"""
import datetime
import re
import sys


def main():
    raw, secs, clients, doc_bytes, target, commit, cpus, load = sys.argv[1:9]
    target = int(target)
    seen = []
    for line in open(raw + "/seen.tsv").read().splitlines():
        c, s, t, w = line.split("\t")
        if int(c) <= target:
            seen.append((int(c), s, float(t), float(w)))
    feed = [int(x) for x in open(raw + "/feed_ids.txt").read().split()]
    ids = [r[0] for r in seen]
    complete = ids == feed
    lags = sorted((w - t) * 1000 for _, _, t, w in seen)

    def pct(p):
        return lags[min(len(lags) - 1, int(round(p / 100 * (len(lags) - 1))))]

    pgb = open(raw + "/pgbench.txt").read()
    tps = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", pgb)
    lat = re.search(r"latency average = ([0-9.]+) ms", pgb)
    print("## Change feed: follower lag under %s concurrent writers" % clients)
    print()
    print("%s, commit %s, %s CPUs (load average %s before the run), fsync=on, %s s,"
          % (datetime.date.today().isoformat(), commit, cpus, load, secs))
    print("ts_patch of a %s-byte document, one store per writer" % doc_bytes)
    print()
    print("| figure | value |")
    print("|---|---|")
    print("| commits/s (pgbench tps, %s clients) | %.0f |" % (clients, float(tps.group(1)) if tps else float("nan")))
    print("| commit latency, mean (pgbench) | %s ms |" % (lat.group(1) if lat else "?"))
    print("| changes the follower saw | %d (each once, in order, none missing: %s) |"
          % (len(ids), "yes" if complete else "NO"))
    if lags:
        print("| lag p50 | %.1f ms |" % pct(50))
        print("| lag p99 | %.1f ms |" % pct(99))
        print("| lag max | %.1f ms |" % lags[-1])
    print()
    print("lag = when the follower received the change's row - its committed_at (taken")
    print("inside the writing transaction, before the commit), on one machine clock.")
    return 0 if complete and lags else 1


if __name__ == "__main__":
    sys.exit(main())
