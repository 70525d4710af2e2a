import CairnOutbox
import CairnPostgres

/// The schema history of `cairn_chat`: append-only, numbered from 1 (see ``Migration``).
/// Every row carries `tenant_id`; deleting a conversation deletes its messages, their
/// feedback and its idempotency records with it (cascades), so a delete really removes content.
enum ChatOrchestratorMigrations {
    static let all: [Migration] = [
        Migration(1, "create_chat", [
            """
            CREATE TABLE assistants (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                name text NOT NULL,
                instructions text NOT NULL DEFAULT '',
                model text NOT NULL,
                temperature double precision,
                max_tokens integer,
                collection_ids text[] NOT NULL DEFAULT '{}',
                strategy text NOT NULL DEFAULT 'auto',
                top_k integer NOT NULL,
                filters jsonb NOT NULL DEFAULT '{}',
                is_default boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX assistants_tenant ON assistants (tenant_id, created_at, id)",
            // One default assistant per tenant (created lazily; a race loses on this index).
            "CREATE UNIQUE INDEX assistants_one_default ON assistants (tenant_id) WHERE is_default",
            """
            CREATE TABLE conversations (
                id uuid PRIMARY KEY,
                seq bigserial NOT NULL UNIQUE,
                tenant_id uuid NOT NULL,
                user_id text NOT NULL,
                assistant_id uuid NOT NULL,
                title text NOT NULL,
                archived boolean NOT NULL DEFAULT false,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX conversations_owner ON conversations (tenant_id, user_id, seq)",
            """
            CREATE TABLE messages (
                id uuid PRIMARY KEY,
                seq bigserial NOT NULL UNIQUE,
                tenant_id uuid NOT NULL,
                conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                role text NOT NULL CHECK (role IN ('user', 'assistant')),
                content text NOT NULL,
                sources jsonb NOT NULL DEFAULT '[]',
                model text,
                prompt_tokens integer,
                completion_tokens integer,
                latency_ms integer,
                retrieval_ms integer,
                generation_ms integer,
                strategy text,
                cached boolean NOT NULL DEFAULT false,
                interrupted boolean NOT NULL DEFAULT false,
                degraded text[] NOT NULL DEFAULT '{}',
                error text,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX messages_conversation ON messages (conversation_id, seq)",
            // A retried message creation (same key, same user) answers what the first one did.
            """
            CREATE TABLE idempotency_keys (
                tenant_id uuid NOT NULL,
                user_id text NOT NULL,
                key text NOT NULL,
                conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                user_message_id uuid NOT NULL,
                assistant_message_id uuid,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, user_id, key)
            )
            """,
            // Thumbs/ratings with a comment, and inaccuracy reports, per message.
            """
            CREATE TABLE feedback (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
                conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
                user_id text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('rating', 'report')),
                thumbs text CHECK (thumbs IN ('up', 'down')),
                rating smallint CHECK (rating BETWEEN 1 AND 5),
                comment text,
                offending_text text,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX feedback_tenant ON feedback (tenant_id, kind, created_at, id)",
            // Usage events, written in the transaction that stores the exchange (Shared/CairnOutbox).
            TopicOutbox.createTable,
        ]),
        // What an `Idempotency-Key` was used for (a hash of the target conversation, the
        // question, the assistant and the filters): the same key for another request is a 422.
        Migration(2, "idempotency_fingerprint_feedback_seq", [
            "ALTER TABLE idempotency_keys ADD COLUMN request_hash text",
            // Feedback lists page by `seq` (keyset cursor) like conversations and messages.
            "ALTER TABLE feedback ADD COLUMN seq bigserial NOT NULL",
            "CREATE INDEX feedback_tenant_seq ON feedback (tenant_id, kind, seq)",
        ]),
        // An assistant's HTTP tools (names of secrets only, never their values).
        Migration(3, "assistant_tools", [
            "ALTER TABLE assistants ADD COLUMN tools jsonb NOT NULL DEFAULT '[]'",
        ]),
    ]
}
