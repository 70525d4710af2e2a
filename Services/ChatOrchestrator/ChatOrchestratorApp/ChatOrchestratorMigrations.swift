import CairnPostgres

/// The schema history of `cairn_chat`: append-only, numbered from 1 (see ``Migration``).
enum ChatOrchestratorMigrations {
    static let all: [Migration] = []
}
