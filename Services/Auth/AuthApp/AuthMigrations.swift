import CairnPostgres

/// The schema history of `cairn_auth`: append-only, numbered from 1 (see ``Migration``).
enum AuthMigrations {
    static let all: [Migration] = []
}
