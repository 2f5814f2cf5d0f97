-- The reporting role's rights (PostgreSQL only), set from scratch on every run: USAGE on the
-- warehouse schema, SELECT on the reporting views (create_reporting_views.sql), EXECUTE on the NIK
-- mask they call, nothing else. {role}, {schema} and {views} are identifiers, filled in by
-- include/warehouse/roles.py with psycopg.sql.Identifier (quoted, never values from input).
-- PUBLIC loses every right on the schema's tables and sequences, so that no grant to everyone
-- reaches the reporting role by the back door. PostgreSQL 15 and later already deny PUBLIC
-- CREATE on the public schema; on an older server run REVOKE CREATE ON SCHEMA public FROM PUBLIC.

REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM PUBLIC;
REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {role};
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA {schema} FROM {role};
REVOKE ALL ON SCHEMA {schema} FROM {role};
GRANT USAGE ON SCHEMA {schema} TO {role};
GRANT SELECT ON {views} TO {role};
GRANT EXECUTE ON FUNCTION rentan_samarkan_nik(TEXT) TO {role};
