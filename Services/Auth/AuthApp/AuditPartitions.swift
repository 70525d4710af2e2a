import CairnPostgres
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// Monthly partitions of `audit_log`: this month and the next two exist at all times.
enum AuditPartitions {
    static func ensure(client: PostgresClient, logger: Logger) async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.date(from: calendar.dateComponents([.year, .month], from: Date()))!
        for offset in 0..<3 {
            let from = calendar.date(byAdding: .month, value: offset, to: start)!
            let to = calendar.date(byAdding: .month, value: offset + 1, to: start)!
            let parts = calendar.dateComponents([.year, .month], from: from)
            let name = String(format: "audit_log_%04d_%02d", parts.year!, parts.month!)
            let formatter = ISO8601DateFormatter()
            // Identifiers and bounds come from the calendar above, never from input.
            let sql = "CREATE TABLE IF NOT EXISTS \(name) PARTITION OF audit_log FOR VALUES FROM ('\(formatter.string(from: from))') TO ('\(formatter.string(from: to))')"
            do {
                try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            } catch {
                logger.warning("audit partition not created", metadata: ["partition": "\(name)", "error": "\(String(reflecting: error))"])
            }
        }
    }
}

/// Keeps the partitions created ahead of time while auth runs (start-up creates them first).
struct AuditPartitionKeeper: Service {
    let client: PostgresClient
    let logger: Logger
    static let interval = Duration.seconds(3_600)

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: Self.interval) }
            guard !Task.isShuttingDownGracefully, !Task.isCancelled else { break }
            try? await AuditPartitions.ensure(client: client, logger: logger)
        }
    }
}
