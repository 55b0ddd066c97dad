#!/usr/bin/env node
// Follow temporal_store's change feed with node-postgres (pg).
//
// Prints every change of every store the connecting role may read as one
// JSON line, in change_id order, exactly once:
//
//   {"change_id":17,"store":"config","seq":4,"event_type":"StateUpdated"}
//
//   node follow_changes.js [URI] [--after ID] [--count N] [--seconds S]
//
// URI is a connection URI (postgresql://...); without it the PG* environment
// variables are used. --after starts after that change id (default 0: from
// the beginning), --count stops after N changes, --seconds stops after S
// seconds (default: run until interrupted). See docs/change_feed.md.
'use strict';
const { Client } = require('pg');

const POLL = 'SELECT change_id, store::text AS store, seq, event_type, committed_at ' +
             'FROM ts_changes($1::bigint, 100)';
const IDLE_POLL_MS = 5000; // poll at least this often: a notification is only a hint

// Calls onChange(row) for each change after change id `last` (a string: ids
// are bigint), in change_id order, until `deadline` (Date.now() ms; null:
// forever). onChange returns false to stop. Each query runs in its own
// transaction (pg's default), so notifications are delivered between them.
async function follow(client, last, deadline, onChange) {
  let notified = false;
  let wake = null;
  client.on('notification', () => {
    notified = true;
    if (wake) wake();
  });
  await client.query('LISTEN temporal_store');
  for (;;) {
    // Catch up: page through the feed from the last id seen until it is
    // empty. A notification that arrives meanwhile sets `notified`.
    notified = false;
    for (;;) {
      const { rows } = await client.query(POLL, [last]);
      if (rows.length === 0) break;
      for (const row of rows) {
        last = row.change_id;
        if (onChange(row) === false) return;
      }
      if (deadline !== null && Date.now() >= deadline) return;
    }
    if (notified) continue; // something committed while we polled: poll again
    // Wait for a notification, but not longer than IDLE_POLL_MS.
    let timeout = IDLE_POLL_MS;
    if (deadline !== null) {
      timeout = Math.min(timeout, deadline - Date.now());
      if (timeout <= 0) return;
    }
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, timeout);
      wake = () => { clearTimeout(timer); resolve(); };
    });
    wake = null;
  }
}

function parseArgs(argv) {
  const args = { uri: undefined, after: '0', count: 0, seconds: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--after') args.after = String(BigInt(argv[++i]));
    else if (a === '--count') args.count = Number(argv[++i]);
    else if (a === '--seconds') args.seconds = Number(argv[++i]);
    else if (!a.startsWith('--') && args.uri === undefined) args.uri = a;
    else throw new Error(`unknown argument: ${a}`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const deadline = args.seconds > 0 ? Date.now() + args.seconds * 1000 : null;
  const client = new Client(args.uri ? { connectionString: args.uri } : {});
  await client.connect();
  let printed = 0;
  try {
    await follow(client, args.after, deadline, (row) => {
      // change_id and seq are bigint, which pg returns as strings: printed
      // as they come, they stay exact beyond 2^53.
      process.stdout.write(`{"change_id":${row.change_id},"store":${JSON.stringify(row.store)},` +
                           `"seq":${row.seq},"event_type":${JSON.stringify(row.event_type)}}\n`);
      printed += 1;
      return printed !== args.count;
    });
  } finally {
    await client.end();
  }
  // Stopped by the deadline before --count changes: say so in the status.
  return args.count === 0 || printed === args.count ? 0 : 3;
}

main().then((code) => { process.exitCode = code; },
            (err) => { console.error(err.message); process.exitCode = 1; });
