import CairnAuthKit
import Foundation
import Hummingbird
import PostgresNIO

/// The tenant's audit log, newest first, filtered and paginated by an opaque cursor.
extension AuthAPI {
    struct AuditRecord: Codable, Sendable {
        var id: UUID
        var occurredAt: Date
        var actorType: String
        var actorID: String
        var action: String
        var targetType: String
        var targetID: String
        var outcome: String
        var ip: String
        var userAgent: String
        var details: [String: String]
        var producer: String
        var requestID: String

        enum CodingKeys: String, CodingKey {
            case id, action, outcome, ip, details, producer
            case occurredAt = "occurred_at"
            case actorType = "actor_type"
            case actorID = "actor_id"
            case targetType = "target_type"
            case targetID = "target_id"
            case userAgent = "user_agent"
            case requestID = "request_id"
        }
    }

    struct AuditPage: ResponseEncodable {
        var events: [AuditRecord]
        var nextCursor: String?

        enum CodingKeys: String, CodingKey {
            case events
            case nextCursor = "next_cursor"
        }
    }

    static let maximumAuditPage = 200

    func addAuditRoutes(to group: RouterGroup<AuthRequestContext>) {
        group.get("/v1/audit") { request, context in
            let (_, tenant) = try await actingTenant(request, context: context, "audit:read")
            let query = request.uri.queryParameters
            let limit = try Int(query["limit"].map(String.init) ?? "50").flatMap { (1...Self.maximumAuditPage).contains($0) ? $0 : nil }
                ?? { throw AuthError.invalid("limit must be 1...\(Self.maximumAuditPage)") }()
            let action = query["action"].map(String.init)
            let actor = query["actor_id"].map(String.init)
            let outcome = query["outcome"].map(String.init)
            let since = try query["since"].map { try Self.date(String($0), field: "since") }
            let until = try query["until"].map { try Self.date(String($0), field: "until") }
            let cursor = try query["cursor"].map { try AuditCursor(String($0)) }
            let rows = try await client.query("""
                SELECT id, occurred_at, actor_type, actor_id, action, target_type, target_id, outcome, ip, user_agent, details::text,
                       producer, correlation_id
                FROM audit_log
                WHERE tenant_id = \(tenant)
                  AND (\(action)::text IS NULL OR action = \(action))
                  AND (\(actor)::text IS NULL OR actor_id = \(actor))
                  AND (\(outcome)::text IS NULL OR outcome = \(outcome))
                  AND (\(since)::timestamptz IS NULL OR occurred_at >= \(since))
                  AND (\(until)::timestamptz IS NULL OR occurred_at < \(until))
                  AND (\(cursor?.occurredAt)::timestamptz IS NULL OR (occurred_at, id) < (\(cursor?.occurredAt), \(cursor?.id)))
                ORDER BY occurred_at DESC, id DESC
                LIMIT \(limit + 1)
                """, logger: logger)
            var events: [AuditRecord] = []
            typealias Row = (UUID, Date, String, String, String, String, String, String, String, String, String, String, String)
            for try await row in rows.decode(Row.self) {
                let details = (try? JSONDecoder().decode([String: String].self, from: Data(row.10.utf8))) ?? [:]
                events.append(AuditRecord(
                    id: row.0, occurredAt: row.1, actorType: row.2, actorID: row.3, action: row.4, targetType: row.5, targetID: row.6,
                    outcome: row.7, ip: row.8, userAgent: row.9, details: details, producer: row.11, requestID: row.12
                ))
            }
            var next: String?
            if events.count > limit {
                events.removeLast()
                next = events.last.map { AuditCursor(occurredAt: $0.occurredAt, id: $0.id).encoded }
            }
            return AuditPage(events: events, nextCursor: next)
        }
    }

    static func date(_ text: String, field: String) throws -> Date {
        guard let date = try? Date(text, strategy: .iso8601) else { throw AuthError.invalid("\(field) must be an ISO 8601 time") }
        return date
    }
}

/// Position after the last event of a page: its time (microseconds) and id.
struct AuditCursor {
    var occurredAt: Date
    var id: UUID

    init(occurredAt: Date, id: UUID) {
        self.occurredAt = occurredAt
        self.id = id
    }

    init(_ text: String) throws {
        let parts = (Data(base64Encoded: text).map { String(decoding: $0, as: UTF8.self) } ?? "").split(separator: "|")
        guard parts.count == 2, let micros = Int64(parts[0]), let id = UUID(uuidString: String(parts[1])) else {
            throw AuthError.invalid("cursor is not one this API returned")
        }
        occurredAt = Date(timeIntervalSince1970: TimeInterval(micros) / 1_000_000)
        self.id = id
    }

    var encoded: String {
        Data("\(Int64((occurredAt.timeIntervalSince1970 * 1_000_000).rounded()))|\(id.uuidString)".utf8).base64EncodedString()
    }
}
