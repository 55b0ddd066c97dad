#!/usr/bin/env python3
"""Follow temporal_store's change feed with psycopg 3.

Prints every change of every store the connecting role may read as one JSON
line, in change_id order, exactly once:

    {"change_id":17,"store":"config","seq":4,"event_type":"StateUpdated"}

    python3 follow_changes.py [CONNINFO] [--after ID] [--count N] [--seconds S]

CONNINFO is a libpq connection string or URI; without it the PG* environment
variables are used. --after starts after that change id (default 0: from the
beginning), --count stops after N changes, --seconds stops after S seconds
(default: run until interrupted). See docs/change_feed.md.
"""
import argparse
import json
import select
import sys
import time

import psycopg

POLL = "SELECT change_id, store::text, seq, event_type, committed_at FROM ts_changes(%s, 100)"
IDLE_POLL_SECONDS = 5.0  # poll at least this often: a notification is only a hint


def follow(conn, last, deadline=None):
    """Yields each change after change id `last` as a row (change_id, store,
    seq, event_type, committed_at), in change_id order, until `deadline`
    (time.monotonic(); None: forever). `conn` must be in autocommit mode:
    notifications are delivered only between transactions."""
    notified = False

    def on_notify(_notification):
        nonlocal notified
        notified = True

    conn.add_notify_handler(on_notify)
    conn.execute("LISTEN temporal_store")
    while True:
        # Catch up: page through the feed from the last id seen until it is
        # empty. A notification that arrives meanwhile sets `notified`.
        notified = False
        while True:
            rows = conn.execute(POLL, (last,)).fetchall()
            if not rows:
                break
            for row in rows:
                last = row[0]
                yield row
            if deadline is not None and time.monotonic() >= deadline:
                return
        if notified:
            continue  # something committed while we polled: poll again
        # Wait for a notification, but not longer than IDLE_POLL_SECONDS.
        timeout = IDLE_POLL_SECONDS
        if deadline is not None:
            timeout = min(timeout, deadline - time.monotonic())
            if timeout <= 0:
                return
        select.select([conn.fileno()], [], [], timeout)
        # Whatever woke us (a notification, the timeout), poll again; the
        # next query reads the notification off the connection.


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("conninfo", nargs="?", default="")
    ap.add_argument("--after", type=int, default=0, help="start after this change id")
    ap.add_argument("--count", type=int, default=0, help="stop after N changes (0: no limit)")
    ap.add_argument("--seconds", type=float, default=0, help="stop after S seconds (0: no limit)")
    args = ap.parse_args()

    deadline = time.monotonic() + args.seconds if args.seconds > 0 else None
    printed = 0
    with psycopg.connect(args.conninfo, autocommit=True) as conn:
        for change_id, store, seq, event_type, _committed_at in follow(conn, args.after, deadline):
            print(json.dumps({"change_id": change_id, "store": store, "seq": seq,
                              "event_type": event_type}, separators=(",", ":")), flush=True)
            printed += 1
            if printed == args.count:
                return 0
    # Stopped by the deadline before --count changes: say so in the status.
    return 0 if args.count == 0 else 3


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
