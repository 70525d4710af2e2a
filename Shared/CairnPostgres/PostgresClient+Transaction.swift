import Logging
import PostgresNIO

extension PostgresClient {
    /// `withTransaction` that rethrows the closure's own error once the rollback succeeded.
    /// PostgresNIO wraps every error thrown in the closure in `PostgresTransactionError`, which
    /// would turn a domain error (a 404 or 409, say) into a 500 and hide a `NonRetryableError`
    /// from a Kafka consumer. Every service runs its transactions through this.
    public func transaction<Result>(
        logger: Logger, file: String = #fileID, line: Int = #line, isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> sending Result
    ) async throws -> sending Result {
        do {
            return try await withTransaction(logger: logger, file: file, line: line, isolation: isolation, body)
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError, error.rollbackError == nil { throw closureError }
            throw error
        }
    }
}
