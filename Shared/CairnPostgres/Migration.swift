/// One step of a service's schema history. Versions are numbered from 1 without gaps and the
/// list is append-only: once released, a migration is never edited or removed (start-up refuses
/// a database whose recorded history disagrees with the code).
public struct Migration: Sendable {
    public let version: Int
    /// Short and descriptive (`create_documents`); recorded with the version.
    public let name: String
    /// Run in order inside one transaction. One statement per element: the extended query
    /// protocol does not take several statements at once.
    public let statements: [String]

    public init(_ version: Int, _ name: String, _ statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}
