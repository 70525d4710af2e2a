import CairnPostgres

/// The schema history of `cairn_ingestion`: append-only, numbered from 1 (see ``Migration``).
enum IngestionMigrations {
    static let all: [Migration] = [
        Migration(1, "create_ingestion", [
            // A tenant's collections; names are unique among the live ones (soft delete).
            """
            CREATE TABLE collections (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                description text NOT NULL DEFAULT '',
                chunk_size integer NOT NULL DEFAULT 256 CHECK (chunk_size BETWEEN 16 AND 256),
                chunk_overlap integer NOT NULL DEFAULT 32 CHECK (chunk_overlap >= 0 AND chunk_overlap <= (chunk_size - 2) / 2),
                embedding_model text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now(),
                deleted_at timestamptz
            )
            """,
            "CREATE UNIQUE INDEX collections_live_name ON collections (tenant_id, name) WHERE deleted_at IS NULL",
            "CREATE INDEX collections_page ON collections (tenant_id, created_at, id) WHERE deleted_at IS NULL",
            // One row per document; `status` and its timestamps say where it is
            // (pending → processing → chunked → indexed | failed | deleted).
            """
            CREATE TABLE documents (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                collection_id uuid NOT NULL REFERENCES collections (id),
                external_id text,
                title text NOT NULL DEFAULT '',
                source_uri text NOT NULL DEFAULT '',
                mime_type text NOT NULL DEFAULT '',
                metadata jsonb NOT NULL DEFAULT '{}',
                status text NOT NULL CHECK (status IN ('pending', 'processing', 'chunked', 'indexed', 'failed', 'deleted')),
                current_version integer NOT NULL DEFAULT 0,
                chunk_count integer NOT NULL DEFAULT 0,
                bytes bigint NOT NULL DEFAULT 0,
                error text,
                pending_at timestamptz,
                processing_at timestamptz,
                chunked_at timestamptz,
                indexed_at timestamptz,
                failed_at timestamptz,
                deleted_at timestamptz,
                created_at timestamptz NOT NULL DEFAULT now(),
                updated_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE UNIQUE INDEX documents_external_id ON documents (tenant_id, collection_id, external_id) WHERE external_id IS NOT NULL",
            "CREATE INDEX documents_page ON documents (tenant_id, updated_at, id)",
            "CREATE INDEX documents_collection ON documents (collection_id)",
            // One row per version that produced chunks. `source_event_id` is the DocumentSubmitted
            // that made it: a redelivered submission finds its version instead of making another.
            """
            CREATE TABLE document_versions (
                document_id uuid NOT NULL REFERENCES documents (id),
                version integer NOT NULL CHECK (version >= 1),
                tenant_id uuid NOT NULL,
                content_hash text NOT NULL,
                chunk_count integer NOT NULL,
                batch_count integer NOT NULL CHECK (batch_count >= 1),
                batches_indexed integer NOT NULL DEFAULT 0,
                bytes bigint NOT NULL,
                source_event_id uuid NOT NULL UNIQUE,
                created_at timestamptz NOT NULL DEFAULT now(),
                indexed_at timestamptz,
                superseded_at timestamptz,
                PRIMARY KEY (document_id, version)
            )
            """,
            // The DocumentIndexed batches seen, so a redelivered confirmation counts once.
            """
            CREATE TABLE indexed_batches (
                document_id uuid NOT NULL,
                version integer NOT NULL,
                batch_index integer NOT NULL,
                PRIMARY KEY (document_id, version, batch_index),
                FOREIGN KEY (document_id, version) REFERENCES document_versions (document_id, version)
            )
            """,
            // Every DocumentSubmitted handled, whatever came of it (a version, a no-op, a failure).
            """
            CREATE TABLE submissions (
                event_id uuid PRIMARY KEY,
                document_id uuid NOT NULL,
                outcome text NOT NULL CHECK (outcome IN ('version', 'unchanged', 'failed', 'skipped')),
                reason text,
                processed_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            // Bytes accepted by the HTTP API, until the consumer has processed them.
            """
            CREATE TABLE uploads (
                id uuid PRIMARY KEY,
                tenant_id uuid NOT NULL,
                document_id uuid NOT NULL REFERENCES documents (id),
                content_type text NOT NULL DEFAULT '',
                filename text NOT NULL DEFAULT '',
                content bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX uploads_document ON uploads (document_id)",
            // Events written in the transaction of the change that caused them (Shared/CairnOutbox).
            """
            CREATE TABLE outbox (
                id bigserial PRIMARY KEY,
                topic text NOT NULL,
                key text NOT NULL,
                payload bytea NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX outbox_key ON outbox (key, id)",
            // Deletions wait here until every outbox row of their document written before them
            // has been published (the new version's chunks go out before the old one is retracted).
            """
            CREATE TABLE held_events (
                id bigserial PRIMARY KEY,
                topic text NOT NULL,
                key text NOT NULL,
                payload bytea NOT NULL,
                after_outbox_id bigint NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]),
        // A deleted document is a tombstone: its external id is free again, and a new upload
        // under it makes a new document rather than reviving the deleted one.
        Migration(2, "external_id_of_live_documents", [
            "DROP INDEX documents_external_id",
            """
            CREATE UNIQUE INDEX documents_external_id ON documents (tenant_id, collection_id, external_id)
            WHERE external_id IS NOT NULL AND deleted_at IS NULL
            """,
        ]),
    ]
}
