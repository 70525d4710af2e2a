import Foundation
import Logging
import PostgresNIO

/// A rating (thumbs and/or 1–5 with a comment) or an inaccuracy report on an answer.
struct Feedback: Sendable, Codable, Equatable {
    enum Kind: String, Sendable, Codable { case rating, report }

    var id: UUID
    var messageID: UUID
    var conversationID: UUID
    var userID: String
    var kind: Kind
    var thumbs: String?
    var rating: Int?
    var comment: String?
    var offendingText: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, kind, thumbs, rating, comment
        case messageID = "message_id", conversationID = "conversation_id", userID = "user_id", offendingText = "offending_text"
        case createdAt = "created_at"
    }
}

/// Feedback in Postgres: written by a message's owner, listed by tenant admins.
struct FeedbackStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Stores feedback on `message` if it is an answer in one of `user`'s conversations; false otherwise.
    func insert(_ feedback: Feedback, tenant: UUID) async throws -> Bool {
        let rows = try await client.query("""
            INSERT INTO feedback (id, tenant_id, message_id, conversation_id, user_id, kind, thumbs, rating, comment, offending_text, created_at)
            SELECT \(feedback.id), \(tenant), m.id, m.conversation_id, \(feedback.userID), \(feedback.kind.rawValue), \(feedback.thumbs),
                   \(feedback.rating), \(feedback.comment), \(feedback.offendingText), \(feedback.createdAt)
            FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE m.id = \(feedback.messageID) AND m.tenant_id = \(tenant) AND m.role = 'assistant'
              AND c.tenant_id = \(tenant) AND c.user_id = \(feedback.userID)
            RETURNING conversation_id
            """, logger: logger)
        return try await rows.collect().count == 1
    }

    /// The tenant's feedback of one kind, newest first, a page after `after`.
    func list(tenant: UUID, kind: Feedback.Kind, limit: Int, after: SeqCursor?) async throws -> ([Feedback], SeqCursor?) {
        let before = after?.seq ?? .max
        let rows = try await client.query("""
            SELECT id, message_id, conversation_id, user_id, kind, thumbs, rating, comment, offending_text, created_at, seq FROM feedback
            WHERE tenant_id = \(tenant) AND kind = \(kind.rawValue) AND seq < \(before) ORDER BY seq DESC LIMIT \(limit + 1)
            """, logger: logger)
        let page = try await rows.collect().map { row in
            let (id, message, conversation, user, kind, thumbs, rating, comment, offending, created, seq) =
                try row.decode((UUID, UUID, UUID, String, String, String?, Int?, String?, String?, Date, Int64).self)
            return (Feedback(id: id, messageID: message, conversationID: conversation, userID: user, kind: Feedback.Kind(rawValue: kind) ?? .rating,
                             thumbs: thumbs, rating: rating, comment: comment, offendingText: offending, createdAt: created), seq)
        }
        let items = Array(page.prefix(limit))
        return (items.map(\.0), page.count > limit ? items.last.map { SeqCursor(seq: $0.1) } : nil)
    }
}
