import CairnAuthKit
import CairnEvents
import CairnOutbox
import CairnPostgres
import Foundation
import Logging
import Metrics
import PostgresNIO

/// Writes the two halves of an exchange. The user's message is stored (with its idempotency
/// record) before any work is done, so it survives a failed answer; the answer is stored with
/// its usage event in the outbox in one transaction, so the event is published exactly when
/// the answer exists.
struct ExchangeStore: Sendable {
    let client: PostgresClient
    let usageTopic: String
    let logger: Logger

    /// What an `Idempotency-Key` already stands for.
    enum Replay: Sendable {
        /// The earlier request was answered: this is its answer.
        case answered(Message)
        /// The earlier request is still running (or failed without an answer).
        case pending
        /// The key was used for another request (another fingerprint).
        case reused
    }

    /// The earlier result of `key`, if any; `fingerprint` is the request's (``IdempotencyFingerprint``).
    func replay(key: String, tenant: UUID, user: String, fingerprint: String) async throws -> Replay? {
        let rows = try await client.query("""
            SELECT k.assistant_message_id, k.request_hash FROM idempotency_keys k
            WHERE k.tenant_id = \(tenant) AND k.user_id = \(user) AND k.key = \(key)
            """, logger: logger)
        guard let row = try await rows.collect().first else { return nil }
        let (answer, hash) = try row.decode((UUID?, String?).self)
        // Keys claimed before fingerprints were stored (no hash) are trusted as they were.
        if let hash, hash != fingerprint { return .reused }
        guard let answerID = answer else { return .pending }
        let messages = try await client.query(
            "SELECT \(unescaped: ConversationStore.messageColumns) FROM messages WHERE id = \(answerID) AND tenant_id = \(tenant)", logger: logger
        )
        guard let message = try await messages.collect().first else { return .pending }
        return .answered(try ConversationStore.decodeMessage(message).0)
    }

    /// Stores the user's message (and claims `key` for the request of `fingerprint`); false
    /// when another request claimed the key first.
    func storeQuestion(_ message: Message, tenant: UUID, user: String, key: String?, fingerprint: String) async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            if let key {
                let claimed = try await connection.query("""
                    INSERT INTO idempotency_keys (tenant_id, user_id, key, conversation_id, user_message_id, request_hash)
                    VALUES (\(tenant), \(user), \(key), \(message.conversationID), \(message.id), \(fingerprint))
                    ON CONFLICT DO NOTHING RETURNING key
                    """, logger: logger)
                guard try await claimed.collect().count == 1 else { return false }
            }
            try await insert(message, tenant: tenant, on: connection)
            return true
        }
    }

    /// Stores the answer, records it under `key`, and (for a message that was answered) writes
    /// its usage event to the outbox, all in one transaction.
    func storeAnswer(_ answer: Message, tenant: UUID, identity: Identity, requestID: String, key: String?, meter: Bool) async throws {
        try await client.transaction(logger: logger) { connection in
            try await insert(answer, tenant: tenant, on: connection)
            if let key {
                try await connection.query("""
                    UPDATE idempotency_keys SET assistant_message_id = \(answer.id)
                    WHERE tenant_id = \(tenant) AND user_id = \(identity.subject) AND key = \(key)
                    """, logger: logger)
            }
            if meter {
                let event = ChatUsage.messageAnswered(answer, tenant: tenant, identity: identity, requestID: requestID)
                try await TopicOutbox.enqueue(topic: usageTopic, key: event.partitionKey, payload: EventCodec.encode(event), on: connection, logger: logger)
            }
        }
        if meter {
            Self.promptTokens.increment(by: answer.promptTokens ?? 0)
            Self.completionTokens.increment(by: answer.completionTokens ?? 0)
        }
    }

    /// Tokens of metered answers (the same numbers as their usage events), by kind.
    private static let promptTokens = Counter(label: "cairn_chat_tokens_total", dimensions: [("kind", "prompt")])
    private static let completionTokens = Counter(label: "cairn_chat_tokens_total", dimensions: [("kind", "completion")])

    /// Lets a key whose request failed without an answer be used again.
    func release(key: String, tenant: UUID, user: String) async throws {
        try await client.query("""
            DELETE FROM idempotency_keys WHERE tenant_id = \(tenant) AND user_id = \(user) AND key = \(key) AND assistant_message_id IS NULL
            """, logger: logger)
    }

    private func insert(_ message: Message, tenant: UUID, on connection: PostgresConnection) async throws {
        let sources = String(decoding: try JSONEncoder().encode(message.sources), as: UTF8.self)
        try await connection.query("""
            INSERT INTO messages (id, tenant_id, conversation_id, role, content, sources, model, prompt_tokens, completion_tokens, latency_ms,
                                  retrieval_ms, generation_ms, strategy, cached, interrupted, degraded, error, created_at)
            VALUES (\(message.id), \(tenant), \(message.conversationID), \(message.role.rawValue), \(message.content), \(sources)::jsonb,
                    \(message.model), \(message.promptTokens), \(message.completionTokens), \(message.latencyMS), \(message.retrievalMS),
                    \(message.generationMS), \(message.strategy), \(message.cached), \(message.interrupted), \(message.degraded), \(message.error),
                    \(message.createdAt))
            """, logger: logger)
        try await connection.query(
            "UPDATE conversations SET updated_at = now() WHERE id = \(message.conversationID) AND tenant_id = \(tenant)", logger: logger
        )
    }
}
