import Foundation
import Logging
import PostgresNIO

/// Conversations and their messages in Postgres. Every query is scoped to the tenant and the
/// owning user: another user's conversation does not exist for the caller.
struct ConversationStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    static let conversationColumns = "id, tenant_id, user_id, assistant_id, title, archived, created_at, updated_at, seq"
    static let messageColumns = """
        id, conversation_id, role, content, sources::text, model, prompt_tokens, completion_tokens, latency_ms, retrieval_ms,
        generation_ms, strategy, cached, interrupted, degraded, error, created_at, seq
        """

    func create(_ conversation: Conversation) async throws {
        try await client.query("""
            INSERT INTO conversations (id, tenant_id, user_id, assistant_id, title, archived, created_at, updated_at)
            VALUES (\(conversation.id), \(conversation.tenantID), \(conversation.userID), \(conversation.assistantID), \(conversation.title),
                    \(conversation.archived), \(conversation.createdAt), \(conversation.updatedAt))
            """, logger: logger)
    }

    /// The user's conversations (every user's of the tenant when `user` is nil: audits), archived
    /// or not (both when nil), newest first.
    func list(tenant: UUID, user: String?, archived: Bool?, limit: Int, after: SeqCursor?) async throws -> ([Conversation], SeqCursor?) {
        let before = after?.seq ?? .max
        let rows = try await client.query("""
            SELECT \(unescaped: Self.conversationColumns) FROM conversations
            WHERE tenant_id = \(tenant) AND (\(user == nil) OR user_id = \(user ?? "")) AND (\(archived == nil) OR archived = \(archived ?? false))
              AND seq < \(before)
            ORDER BY seq DESC LIMIT \(limit + 1)
            """, logger: logger)
        let page = try await rows.collect().map(Self.decodeConversation)
        let items = Array(page.prefix(limit))
        return (items.map(\.0), page.count > limit ? items.last.map { SeqCursor(seq: $0.1) } : nil)
    }

    /// The user's conversation `id` (any user's of the tenant when `user` is nil: audits).
    func get(_ id: UUID, tenant: UUID, user: String?) async throws -> Conversation? {
        let rows = try await client.query("""
            SELECT \(unescaped: Self.conversationColumns) FROM conversations
            WHERE id = \(id) AND tenant_id = \(tenant) AND (\(user == nil) OR user_id = \(user ?? ""))
            """, logger: logger)
        return try await rows.collect().first.map { try Self.decodeConversation($0).0 }
    }

    /// Renames and/or (un)archives; nil when there is no such conversation of the user.
    func update(_ id: UUID, tenant: UUID, user: String, title: String?, archived: Bool?) async throws -> Conversation? {
        let rows = try await client.query("""
            UPDATE conversations SET title = coalesce(\(title), title), archived = coalesce(\(archived), archived), updated_at = now()
            WHERE id = \(id) AND tenant_id = \(tenant) AND user_id = \(user)
            RETURNING \(unescaped: Self.conversationColumns)
            """, logger: logger)
        return try await rows.collect().first.map { try Self.decodeConversation($0).0 }
    }

    /// Deletes the conversation with its messages, feedback and idempotency records (cascade).
    func delete(_ id: UUID, tenant: UUID, user: String) async throws -> Bool {
        let rows = try await client.query(
            "DELETE FROM conversations WHERE id = \(id) AND tenant_id = \(tenant) AND user_id = \(user) RETURNING id", logger: logger
        )
        return try await rows.collect().count == 1
    }

    /// Messages oldest first, after `after`.
    func messages(of conversation: UUID, tenant: UUID, limit: Int, after: SeqCursor?) async throws -> ([Message], SeqCursor?) {
        let from = after?.seq ?? 0
        let rows = try await client.query("""
            SELECT \(unescaped: Self.messageColumns) FROM messages
            WHERE conversation_id = \(conversation) AND tenant_id = \(tenant) AND seq > \(from)
            ORDER BY seq LIMIT \(limit + 1)
            """, logger: logger)
        let page = try await rows.collect().map(Self.decodeMessage)
        let items = Array(page.prefix(limit))
        return (items.map(\.0), page.count > limit ? items.last.map { SeqCursor(seq: $0.1) } : nil)
    }

    /// The last `count` messages, oldest first (the history of a new turn).
    func recentMessages(of conversation: UUID, tenant: UUID, count: Int) async throws -> [Message] {
        guard count > 0 else { return [] }
        let rows = try await client.query("""
            SELECT \(unescaped: Self.messageColumns) FROM messages WHERE conversation_id = \(conversation) AND tenant_id = \(tenant)
            ORDER BY seq DESC LIMIT \(count)
            """, logger: logger)
        return try await rows.collect().map { try Self.decodeMessage($0).0 }.reversed()
    }

    static func decodeConversation(_ row: PostgresRow) throws -> (Conversation, Int64) {
        let (id, tenant, user, assistant, title, archived, created, updated, seq) =
            try row.decode((UUID, UUID, String, UUID, String, Bool, Date, Date, Int64).self)
        return (Conversation(id: id, tenantID: tenant, userID: user, assistantID: assistant, title: title, archived: archived,
                             createdAt: created, updatedAt: updated), seq)
    }

    static func decodeMessage(_ row: PostgresRow) throws -> (Message, Int64) {
        let columns = try row.decode((UUID, UUID, String, String, String, String?, Int?, Int?, Int?, Int?, Int?, String?, Bool, Bool,
                                      [String], String?, Date, Int64).self)
        let sources = (try? JSONDecoder().decode([MessageSource].self, from: Data(columns.4.utf8))) ?? []
        return (Message(
            id: columns.0, conversationID: columns.1, role: Message.Role(rawValue: columns.2) ?? .user, content: columns.3, sources: sources,
            model: columns.5, promptTokens: columns.6, completionTokens: columns.7, latencyMS: columns.8, retrievalMS: columns.9,
            generationMS: columns.10, strategy: columns.11, cached: columns.12, interrupted: columns.13, degraded: columns.14,
            error: columns.15, createdAt: columns.16
        ), columns.17)
    }
}
