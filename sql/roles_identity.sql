--
-- Roles are identified by OID: a dropped role's stores and grants do not
-- pass to a later role of the same name; renaming a role keeps its rights;
-- a store whose owner was dropped passes to the extension owner.
--
\set VERBOSITY sqlstate
CREATE ROLE regress_ri_alice;
CREATE ROLE regress_ri_bob;
CREATE ROLE regress_ri_carol;

SET ROLE regress_ri_alice;
SELECT ts_create('ri', '{"secret": 1}');
SELECT ts_grant('ri', 'regress_ri_bob', 'read');
RESET ROLE;
SET ROLE regress_ri_bob;
SELECT ts_head('ri');
RESET ROLE;

-- bob is dropped and a new bob appears: the new one reads nothing
DROP ROLE regress_ri_bob;
CREATE ROLE regress_ri_bob;
SET ROLE regress_ri_bob;
SELECT ts_head('ri');
SELECT count(*) FROM ts_stores() WHERE store = 'ri';
RESET ROLE;

-- a renamed role keeps its rights, and ts_stores shows its new name
SET ROLE regress_ri_alice;
SELECT ts_grant('ri', 'regress_ri_carol', 'write');
RESET ROLE;
ALTER ROLE regress_ri_carol RENAME TO regress_ri_carol2;
SET ROLE regress_ri_carol2;
SELECT ts_commit('ri', '{"secret": 2}');
RESET ROLE;
ALTER ROLE regress_ri_alice RENAME TO regress_ri_alice2;
SELECT owner FROM ts_stores() WHERE store = 'ri';
SET ROLE regress_ri_alice2;
SELECT ts_head('ri');
RESET ROLE;
ALTER ROLE regress_ri_alice2 RENAME TO regress_ri_alice;

-- the owner is dropped: a new role of that name owns nothing; the store
-- passes to the extension owner
DROP ROLE regress_ri_alice;
CREATE ROLE regress_ri_alice;
SET ROLE regress_ri_alice;
SELECT ts_head('ri');
SELECT ts_commit('ri', '{"secret": 3}');
SELECT ts_drop('ri');
RESET ROLE;
SELECT owner = current_user AS extension_owner_owns FROM ts_stores() WHERE store = 'ri';
SELECT ts_head('ri');

-- grants name roles that exist; revoking from a missing role says so too
SELECT ts_grant('ri', 'regress_ri_nobody', 'read');
SELECT ts_revoke('ri', 'regress_ri_nobody', 'read');

-- a row inserted as a restore does (by name, with the dump's stale OID)
-- is bound to the role of that name here; an unknown name stays unbound
INSERT INTO ts_internal.grants (store_id, role_name, privilege, role_oid)
    SELECT store_id, 'regress_ri_alice', 'read', 12345 FROM ts_internal.stores WHERE name = 'ri' AND dropped_at IS NULL
    UNION ALL
    SELECT store_id, 'regress_ri_gone', 'admin', 12346 FROM ts_internal.stores WHERE name = 'ri' AND dropped_at IS NULL;
SELECT role_name, role_oid = (SELECT oid FROM pg_roles WHERE rolname = role_name) AS bound, role_oid IS NULL AS unbound
  FROM ts_internal.grants g JOIN ts_internal.stores s USING (store_id)
 WHERE s.name = 'ri' AND s.dropped_at IS NULL ORDER BY role_name;
SET ROLE regress_ri_alice;
SELECT ts_head('ri');
RESET ROLE;

SELECT ts_drop('ri');
DROP ROLE regress_ri_alice;
DROP ROLE regress_ri_bob;
DROP ROLE regress_ri_carol2;
