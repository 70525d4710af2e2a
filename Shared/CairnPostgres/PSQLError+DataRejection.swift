import PostgresNIO

extension PSQLError {
    /// Whether Postgres refused the values themselves: SQLSTATE class 22 (data exception: out
    /// of range, invalid text, a NUL byte...) or 23 (integrity constraint violation). The same
    /// statement with the same values fails the same way however often it is retried, unlike
    /// a lost connection, a deadlock (40P01) or a server shutting down (57P01).
    public var rejectsData: Bool {
        guard code == .server, let state = serverInfo?[.sqlState] else { return false }
        return state.hasPrefix("22") || state.hasPrefix("23")
    }

    /// SQLSTATE and the server's message, for logs and DLQ headers (never for HTTP clients).
    public var serverSummary: String {
        "SQLSTATE \(serverInfo?[.sqlState] ?? "?"): \(serverInfo?[.message] ?? "\(code)")"
    }
}
