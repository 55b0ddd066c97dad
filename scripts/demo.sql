-- temporal_store in two minutes: versioned JSON with history and time travel.
-- Run by scripts/demo.sh; psql echoes every statement before its result.

-- A fresh store: version 1 is its creation.
SELECT ts_create('settings', '{"theme": "light", "beta": false}', 'initial settings');

-- Version 2: commit a whole new state.
SELECT ts_commit('settings', '{"theme": "dark", "beta": false, "lang": "en"}',
                 'switch to dark mode');

-- Version 3: an RFC 7396 merge patch (an object) changes only what it names.
SELECT ts_patch('settings', '{"beta": true, "lang": null}', 'enable beta, drop lang');

-- Version 4: an RFC 6902 JSON Patch (an array) of operations.
SELECT ts_patch('settings',
                '[{"op": "add", "path": "/limits", "value": {"rps": 100}},
                  {"op": "replace", "path": "/theme", "value": "solarized"}]',
                'add rate limit, new theme');

-- The current state.
SELECT ts_head('settings');

-- Time travel: by version number, and by revision (main~1 = one before main's head).
SELECT ts_as_of('settings', 1) AS version_1;
SELECT ts_as_of('settings', 'main~1') AS before_head;

-- The history, newest first.
SELECT version, parents, author, message, event_type
FROM ts_log('settings');

-- What changed between two versions, as an RFC 6902 patch.
SELECT ts_diff('settings', '1', 'main') AS changes_since_v1;
