import Foundation

/// How an answer was made: the response metadata of the API and the `done` event.
struct AnswerMetadata: Encodable, Sendable {
    var retrievalMS: Int
    var generationMS: Int
    var latencyMS: Int
    var strategy: String?
    var cached: Bool
    /// What could not be done ("retrieval_unavailable": answered without context).
    var degraded: [String]
    var interrupted: Bool
    var model: String?
    /// The stand-alone query a follow-up was rewritten into, when it was.
    var rewrittenQuery: String?
    var promptTokens: Int?
    var completionTokens: Int?
    /// A retry of an `Idempotency-Key`: the stored answer, not a new one.
    var replayed: Bool
    /// The HTTP tools called for this answer and how each went (absent on a replay).
    var tools: [ToolRun]?

    enum CodingKeys: String, CodingKey {
        case strategy, cached, degraded, interrupted, model, replayed, tools
        case retrievalMS = "retrieval_ms", generationMS = "generation_ms", latencyMS = "latency_ms", rewrittenQuery = "rewritten_query"
        case promptTokens = "prompt_tokens", completionTokens = "completion_tokens"
    }

    init(_ message: Message, rewrittenQuery: String?, replayed: Bool, tools: [ToolRun]? = nil) {
        self.tools = tools
        retrievalMS = message.retrievalMS ?? 0
        generationMS = message.generationMS ?? 0
        latencyMS = message.latencyMS ?? 0
        strategy = message.strategy
        cached = message.cached
        degraded = message.degraded
        interrupted = message.interrupted
        model = message.model
        self.rewrittenQuery = rewrittenQuery
        promptTokens = message.promptTokens
        completionTokens = message.completionTokens
        self.replayed = replayed
    }
}

/// The JSON answer of a message creation, and (without `message`) the `done` event.
struct ChatAnswer: Encodable, Sendable {
    var conversationID: UUID
    var userMessageID: UUID?
    var message: Message?
    var messageID: UUID
    var metadata: AnswerMetadata

    enum CodingKeys: String, CodingKey {
        case message, metadata
        case conversationID = "conversation_id", userMessageID = "user_message_id", messageID = "message_id"
    }
}

/// The `sources` event.
struct SourcesEvent: Encodable, Sendable {
    var sources: [MessageSource]
    var strategy: String
    var retrievalMS: Int
    var degraded: [String]

    enum CodingKeys: String, CodingKey {
        case sources, strategy, degraded
        case retrievalMS = "retrieval_ms"
    }
}

/// The `error` event: the one error shape, and the partial answer's id when one was stored.
struct ErrorEvent: Encodable, Sendable {
    struct Detail: Encodable, Sendable {
        var code: String
        var message: String
        var requestID: String
        enum CodingKeys: String, CodingKey { case code, message, requestID = "request_id" }
    }

    var error: Detail
    var userMessageID: UUID
    var partialMessageID: UUID?

    enum CodingKeys: String, CodingKey {
        case error
        case userMessageID = "user_message_id", partialMessageID = "partial_message_id"
    }
}

extension Message {
    /// The stored form of a turn's outcome.
    static func answer(_ outcome: ChatOutcome, conversation: UUID, latencyMS: Int) -> Message {
        Message(
            id: UUID(), conversationID: conversation, role: .assistant, content: outcome.content, sources: outcome.sources,
            model: outcome.done?.model, promptTokens: outcome.done?.usage.promptTokens, completionTokens: outcome.done?.usage.completionTokens,
            latencyMS: latencyMS, retrievalMS: outcome.retrievalMS, generationMS: outcome.generationMS, strategy: outcome.strategy,
            // An answer that broke off upstream is as incomplete as one the client left: both are interrupted.
            cached: outcome.done?.cached ?? false, interrupted: outcome.interrupted || outcome.failure != nil, degraded: outcome.degraded,
            error: outcome.failure,
            createdAt: Date()
        )
    }
}
