import CairnPostgres

/// The schema history of `cairn_vectors`: append-only, numbered from 1 (see ``Migration``).
enum VectorSearchMigrations {
    static let all: [Migration] = [
        Migration(1, "create_vectors", [
            // The system of record: the in-memory indexes are rebuilt from this at start-up.
            // `vector` is `dimensions` float32 values, little-endian.
            """
            CREATE TABLE cairn_vectors (
                tenant_id uuid NOT NULL,
                chunk_id text NOT NULL,
                collection_id text NOT NULL,
                document_id text NOT NULL,
                document_version integer NOT NULL CHECK (document_version >= 1),
                ordinal integer NOT NULL,
                text text NOT NULL,
                title text NOT NULL DEFAULT '',
                category text,
                tags text[] NOT NULL DEFAULT '{}',
                source text,
                page integer,
                document_date timestamptz,
                metadata jsonb NOT NULL DEFAULT '{}',
                model text NOT NULL,
                dimensions integer NOT NULL CHECK (dimensions > 0),
                vector bytea NOT NULL CHECK (octet_length(vector) = 4 * dimensions),
                indexed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, chunk_id)
            )
            """,
            "CREATE INDEX cairn_vectors_document ON cairn_vectors (tenant_id, document_id, document_version)",
            "CREATE INDEX cairn_vectors_collection ON cairn_vectors (tenant_id, collection_id)",
            // Deleted document versions (version 0: all of them): chunks of a deleted version
            // that arrive after the deletion (embedding is slower than deleting) are dropped.
            """
            CREATE TABLE cairn_vector_deletions (
                tenant_id uuid NOT NULL,
                document_id text NOT NULL,
                document_version integer NOT NULL,
                deleted_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, document_id, document_version)
            )
            """,
            // One row per stored ChunksEmbedded batch: ingestion's "indexed" status, also over HTTP.
            """
            CREATE TABLE cairn_vector_batches (
                tenant_id uuid NOT NULL,
                document_id text NOT NULL,
                document_version integer NOT NULL,
                batch_index integer NOT NULL,
                batch_count integer NOT NULL,
                collection_id text NOT NULL,
                chunk_count integer NOT NULL,
                indexed_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, document_id, document_version, batch_index)
            )
            """,
        ]),
        // A counter per (tenant, collection), bumped in the transaction that adds, changes or
        // removes its chunks: chat-orchestrator keys cached answers by it, so a changed
        // collection never serves an answer cached before the change.
        Migration(2, "collection_versions", [
            """
            CREATE TABLE cairn_collection_versions (
                tenant_id uuid NOT NULL,
                collection_id text NOT NULL,
                version bigint NOT NULL,
                updated_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (tenant_id, collection_id)
            )
            """,
            """
            INSERT INTO cairn_collection_versions (tenant_id, collection_id, version)
            SELECT DISTINCT tenant_id, collection_id, 1 FROM cairn_vectors
            """,
        ]),
    ]
}
