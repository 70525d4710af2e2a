import CairnPostgres

/// The schema history of `cairn_auth`: append-only, numbered from 1 (see ``Migration``).
enum AuthMigrations {
    static let all: [Migration] = [
        Migration(1, "identity", [
            """
            CREATE TABLE tenants (
                id uuid PRIMARY KEY,
                name text NOT NULL,
                slug text NOT NULL UNIQUE,
                status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
                plan text NOT NULL DEFAULT 'free',
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE users (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL REFERENCES tenants (id),
                email text NOT NULL,
                display_name text NOT NULL DEFAULT '',
                password_hash text NOT NULL,
                role text NOT NULL CHECK (role IN ('member', 'tenant_admin', 'system_admin')),
                status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'locked')),
                locked_until timestamptz,
                failed_logins integer NOT NULL DEFAULT 0,
                failures_since timestamptz,
                mfa_secret bytea,
                mfa_enabled boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL DEFAULT now(),
                UNIQUE (tenant_id, email)
            )
            """,
            """
            CREATE TABLE invitations (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL REFERENCES tenants (id),
                email text NOT NULL,
                role text NOT NULL,
                token_hash bytea NOT NULL UNIQUE,
                invited_by uuid NOT NULL,
                expires_at timestamptz NOT NULL,
                accepted_at timestamptz,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE refresh_tokens (
                id uuid PRIMARY KEY,
                family_id uuid NOT NULL,
                user_id uuid NOT NULL REFERENCES users (id),
                tenant_id uuid NOT NULL,
                token_hash bytea NOT NULL UNIQUE,
                issued_at timestamptz NOT NULL DEFAULT now(),
                expires_at timestamptz NOT NULL,
                rotated_at timestamptz,
                revoked_at timestamptz
            )
            """,
            "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
            "CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL",
            """
            CREATE TABLE signing_keys (
                kid text PRIMARY KEY,
                sealed_private_key bytea NOT NULL,
                public_key bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                retired_at timestamptz,
                published_until timestamptz
            )
            """,
            """
            CREATE TABLE api_keys (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL REFERENCES tenants (id),
                name text NOT NULL,
                prefix text NOT NULL UNIQUE,
                key_hash bytea NOT NULL UNIQUE,
                role text NOT NULL,
                scopes text NOT NULL,
                created_by uuid NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                expires_at timestamptz,
                last_used_at timestamptz,
                revoked_at timestamptz
            )
            """,
            """
            CREATE TABLE recovery_codes (
                user_id uuid NOT NULL REFERENCES users (id),
                code_hash bytea NOT NULL,
                used_at timestamptz,
                PRIMARY KEY (user_id, code_hash)
            )
            """,
            """
            CREATE TABLE mfa_challenges (
                token_hash bytea PRIMARY KEY,
                user_id uuid NOT NULL REFERENCES users (id),
                expires_at timestamptz NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                used_at timestamptz
            )
            """,
        ]),
        Migration(2, "audit_log", [
            // Partitioned by month; AuditPartitions creates the months ahead, the default
            // partition catches anything outside them.
            """
            CREATE TABLE audit_log (
                id uuid NOT NULL,
                tenant_id uuid NOT NULL,
                occurred_at timestamptz NOT NULL,
                actor_type text NOT NULL,
                actor_id text NOT NULL,
                action text NOT NULL,
                target_type text NOT NULL,
                target_id text NOT NULL,
                outcome text NOT NULL,
                ip text NOT NULL,
                user_agent text NOT NULL,
                details jsonb NOT NULL,
                producer text NOT NULL,
                correlation_id text NOT NULL,
                PRIMARY KEY (id, occurred_at)
            ) PARTITION BY RANGE (occurred_at)
            """,
            "CREATE TABLE audit_log_default PARTITION OF audit_log DEFAULT",
            "CREATE INDEX audit_log_tenant_time ON audit_log (tenant_id, occurred_at DESC, id DESC)",
            // Append-only: rows are never changed or removed by the application.
            """
            CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only';
            END
            $$
            """,
            """
            CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
            """,
            // Events written with the row, published to cairn.audit.v1 by the relay, then deleted.
            """
            CREATE TABLE audit_outbox (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                payload bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]),
        // The last TOTP time step a login used, so that a code logs in once only.
        Migration(3, "mfa_last_step", ["ALTER TABLE users ADD COLUMN mfa_last_step bigint"]),
    ]
}
