import CairnPostgres

/// The schema history of `cairn_ingestion`: append-only, numbered from 1 (see ``Migration``).
enum IngestionMigrations {
    static let all: [Migration] = []
}
