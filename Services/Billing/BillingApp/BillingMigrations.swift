import CairnPostgres

/// The schema history of `cairn_billing`: append-only, numbered from 1 (see ``Migration``).
enum BillingMigrations {
    static let all: [Migration] = [
        Migration(1, "create_billing", [
            """
            CREATE TABLE plans (
                name text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_-]{0,39}$'),
                display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
                price_cents bigint NOT NULL CHECK (price_cents >= 0),
                currency text NOT NULL CHECK (currency ~ '^[a-z]{3}$'),
                messages_per_month bigint NOT NULL CHECK (messages_per_month >= -1),
                tokens_per_message bigint NOT NULL CHECK (tokens_per_message >= -1),
                api_calls_per_day bigint NOT NULL CHECK (api_calls_per_day >= -1),
                documents bigint NOT NULL CHECK (documents >= -1),
                storage_mb bigint NOT NULL CHECK (storage_mb >= -1),
                message_overage_cents bigint CHECK (message_overage_cents >= 0),
                rate_limits jsonb NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            INSERT INTO plans (name, display_name, price_cents, currency, messages_per_month, tokens_per_message,
                               api_calls_per_day, documents, storage_mb, message_overage_cents, rate_limits) VALUES
            ('free', 'Free', 0, 'usd', 100, 1000, 100, 50, 100, NULL,
             '{"general":{"per_minute":100,"burst":100,"tenant_per_minute":1000},"chat":{"per_minute":30,"burst":30,"tenant_per_minute":300},"search":{"per_minute":60,"burst":60,"tenant_per_minute":600}}'),
            ('pro', 'Pro', 2900, 'usd', 1000, 2000, 1000, 1000, 1000, 2,
             '{"general":{"per_minute":600,"burst":600,"tenant_per_minute":6000},"chat":{"per_minute":120,"burst":120,"tenant_per_minute":1200},"search":{"per_minute":300,"burst":300,"tenant_per_minute":3000}}'),
            ('enterprise', 'Enterprise', 9900, 'usd', -1, 4000, -1, -1, 10000, NULL,
             '{"general":{"per_minute":3000,"burst":3000,"tenant_per_minute":30000},"chat":{"per_minute":600,"burst":600,"tenant_per_minute":6000},"search":{"per_minute":1500,"burst":1500,"tenant_per_minute":15000}}')
            """,
            // A monthly period starts at 00:00 UTC on the anchor's day of the month; upgrades
            // and downgrades keep the anchor. A scheduled change (downgrade at period end)
            // waits in pending_plan until pending_at.
            """
            CREATE TABLE subscriptions (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                plan_name text NOT NULL REFERENCES plans (name),
                status text NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'cancelled')),
                billing_cycle text NOT NULL CHECK (billing_cycle IN ('monthly', 'yearly')),
                period_anchor timestamptz NOT NULL,
                started_at timestamptz NOT NULL,
                trial_ends_at timestamptz,
                ends_at timestamptz,
                cancel_at_period_end boolean NOT NULL DEFAULT false,
                pending_plan text REFERENCES plans (name),
                pending_at timestamptz,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                CHECK ((pending_plan IS NULL) = (pending_at IS NULL))
            )
            """,
            // One subscription in force per tenant: the constraint the issue asks for.
            "CREATE UNIQUE INDEX subscriptions_one_current ON subscriptions (tenant_id) WHERE status <> 'cancelled'",
            // Every unit of usage once: (tenant, usage id) is the idempotency key.
            """
            CREATE TABLE usage_ledger (
                tenant_id uuid NOT NULL,
                usage_id text NOT NULL,
                event_id uuid NOT NULL,
                kind text NOT NULL,
                meter text NOT NULL,
                quantity bigint NOT NULL CHECK (quantity >= 0),
                subject_type text NOT NULL,
                subject_id text NOT NULL,
                producer text NOT NULL,
                model text NOT NULL,
                metadata jsonb NOT NULL,
                occurred_at timestamptz NOT NULL,
                period_start timestamptz NOT NULL,
                recorded_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, usage_id)
            )
            """,
            "CREATE INDEX usage_ledger_tenant_time ON usage_ledger (tenant_id, occurred_at)",
            """
            CREATE TABLE usage_counters (
                tenant_id uuid NOT NULL,
                meter text NOT NULL,
                period_start timestamptz NOT NULL,
                used bigint NOT NULL CHECK (used >= 0),
                PRIMARY KEY (tenant_id, meter, period_start)
            )
            """,
            """
            CREATE TABLE usage_daily (
                tenant_id uuid NOT NULL,
                day date NOT NULL,
                meter text NOT NULL,
                subject_type text NOT NULL,
                subject_id text NOT NULL,
                quantity bigint NOT NULL,
                PRIMARY KEY (tenant_id, day, meter, subject_type, subject_id)
            )
            """,
            // One warning per threshold per period.
            """
            CREATE TABLE quota_warnings (
                tenant_id uuid NOT NULL,
                meter text NOT NULL,
                period_start timestamptz NOT NULL,
                threshold integer NOT NULL,
                used bigint NOT NULL,
                quota bigint NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, meter, period_start, threshold)
            )
            """,
            // Events written in the transaction that caused them, published by OutboxRelay.
            """
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                topic text NOT NULL,
                key text NOT NULL,
                payload bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]),
    ]
}
