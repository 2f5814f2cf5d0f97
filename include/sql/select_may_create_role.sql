-- Whether the connected user may create roles (superuser or CREATEROLE).
SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user;
