-- Whether a role exists (roles are cluster-wide), and whether it may log in.
SELECT rolname, rolcanlogin FROM pg_roles WHERE rolname = :role;
