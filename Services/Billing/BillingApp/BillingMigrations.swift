import CairnPostgres

/// The schema history of `cairn_billing`: append-only, numbered from 1 (see ``Migration``).
enum BillingMigrations {
    static let all: [Migration] = []
}
