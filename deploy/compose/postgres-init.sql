-- Runs once, on first start of an empty postgres data volume
-- (mounted into /docker-entrypoint-initdb.d by docker-compose.yml).
-- The owner is POSTGRES_USER (cairn).
CREATE DATABASE cairn_auth;
CREATE DATABASE cairn_billing;
CREATE DATABASE cairn_ingestion;
CREATE DATABASE cairn_vectors;
CREATE DATABASE cairn_chat;
