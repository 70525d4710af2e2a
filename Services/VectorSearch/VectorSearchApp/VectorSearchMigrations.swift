import CairnPostgres

/// The schema history of `cairn_vectors`: append-only, numbered from 1 (see ``Migration``).
enum VectorSearchMigrations {
    static let all: [Migration] = []
}
