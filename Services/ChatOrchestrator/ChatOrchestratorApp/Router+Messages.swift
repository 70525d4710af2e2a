import CairnAuthKit
import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// `POST /v1/conversations/{id}/messages` and `POST /v1/chat` (a new conversation titled after
/// its first message): the RAG pipeline, answered as JSON or, with `Accept: text/event-stream`
/// or `"stream": true`, as server-sent events `sources`, `delta`…, then `done` or `error`.
extension ChatOrchestratorAPI {
    struct MessageBody: Decodable, Sendable {
        var content: String
        var filters: SearchFilters?
        var stream: Bool?
        var assistantID: UUID?
        /// The assistant's HTTP tools to call, by name (otherwise chosen from the question).
        var toolCalls: [ToolCallRequest]?

        enum CodingKeys: String, CodingKey {
            case content, message, filters, stream
            case assistantID = "assistant_id", toolCalls = "tool_calls"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            guard let content = try container.decodeIfPresent(String.self, forKey: .content) ?? container.decodeIfPresent(String.self, forKey: .message) else {
                throw ChatError.invalid("content is required")
            }
            self.content = content
            filters = try container.decodeIfPresent(SearchFilters.self, forKey: .filters)
            stream = try container.decodeIfPresent(Bool.self, forKey: .stream)
            assistantID = try container.decodeIfPresent(UUID.self, forKey: .assistantID)
            toolCalls = try container.decodeIfPresent([ToolCallRequest].self, forKey: .toolCalls)
        }
    }

    static let maxIdempotencyKeyCharacters = 200
    static let idempotencyHeader = HTTPField.Name("Idempotency-Key")!

    func addMessageRoutes(to group: RouterGroup<ChatRequestContext>) {
        group.post("/v1/conversations/{id}/messages") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "chat:create")
            let body = try await Self.body(MessageBody.self, request, context)
            let conversation = try await conversation(Self.pathID(context), tenant: tenant, user: identity.subject)
            return try await answer(body, in: .existing(conversation), identity: identity, tenant: tenant, request: request, requestID: context.requestID)
        }
        group.post("/v1/chat") { request, context -> Response in
            let (identity, tenant) = try caller(request, context, "chat:create")
            let body = try await Self.body(MessageBody.self, request, context)
            return try await answer(body, in: .new(assistantID: body.assistantID), identity: identity, tenant: tenant, request: request, requestID: context.requestID)
        }
    }

    enum Target: Sendable {
        case existing(Conversation)
        case new(assistantID: UUID?)
    }

    /// How an answer goes back: an HTTP response (JSON or SSE), or events sent on a WebSocket
    /// (the response returned is then empty).
    enum Delivery: Sendable {
        case http
        case events(ChatEventSink)
    }

    func answer(
        _ body: MessageBody, in target: Target, identity: Identity, tenant: UUID, request: Request, requestID: String, delivery: Delivery = .http
    ) async throws -> Response {
        let started = ContinuousClock.now
        // Retrieval and generation are called with the caller's own credentials: what they would
        // refuse in the middle of a stream is refused here, before anything is stored.
        for needed: Permission in ["search:query", "generation:create"] where !identity.has(needed) {
            throw AuthorizationError.forbidden(needed)
        }
        let content = body.content.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !content.isEmpty else { throw ChatError.invalid("content must not be empty") }
        let length = content.unicodeScalars.count
        guard length <= settings.maxMessageCharacters else {
            throw ChatError.limitExceeded(name: "max_message_characters", limit: settings.maxMessageCharacters, actual: length)
        }
        let streaming = body.stream ?? (request.headers[.accept]?.contains("text/event-stream") ?? false)
        let key = try Self.idempotencyKey(request)
        let fingerprint = IdempotencyFingerprint.of(body, content: content, target: target)
        if let key, let replay = try await exchanges.replay(key: key, tenant: tenant, user: identity.subject, fingerprint: fingerprint) {
            switch replay {
            case .answered(let message):
                if case .events(let sink) = delivery { try await Self.sendReplay(message, send: sink.send); return Response(status: .ok) }
                return try Self.replayed(message, streaming: streaming)
            case .pending: throw ChatError.inProgress
            case .reused: throw ChatError.idempotencyKeyReused
            }
        }
        guard let authorization = request.headers[.authorization] else { throw ChatError.notFound }

        let conversation: Conversation
        switch target {
        case .existing(let existing): conversation = existing
        case .new(let assistantID):
            conversation = try await newConversation(tenant: tenant, user: identity.subject, assistantID: assistantID, title: Conversation.title(from: content))
        }
        let assistant = if let found = try await assistants.get(conversation.assistantID, tenant: tenant) { found }
            else { try await assistants.defaultAssistant(tenant: tenant) }
        let toolCalls: [PlannedToolCall]
        do {
            toolCalls = try ToolPlanner.plan(tools: assistant.tools, explicit: body.toolCalls, question: content)
        } catch {
            if case .new = target { _ = try await conversations.delete(conversation.id, tenant: tenant, user: identity.subject) }
            throw error
        }
        let history = try await conversations.recentMessages(of: conversation.id, tenant: tenant, count: settings.historyMessages)
        let question = Message.user(content, conversation: conversation.id)
        guard try await exchanges.storeQuestion(question, tenant: tenant, user: identity.subject, key: key, fingerprint: fingerprint) else {
            if case .new = target { _ = try await conversations.delete(conversation.id, tenant: tenant, user: identity.subject) }
            throw ChatError.inProgress
        }
        let turn = ChatTurn(
            conversation: conversation, assistant: assistant, question: content, filters: body.filters, history: history,
            credentials: CallerCredentials(authorization: authorization, tenant: tenant, requestID: requestID),
            toolCalls: toolCalls
        )
        let finish = Finisher(api: self, turn: turn, question: question, identity: identity, key: key, started: started)
        if case .events(let sink) = delivery {
            try await deliver(turn, finish: finish, send: sink.send)
            return Response(status: .ok)
        }
        return streaming ? stream(turn, finish: finish) : try await respond(turn, finish: finish)
    }

    private func respond(_ turn: ChatTurn, finish: Finisher) async throws -> Response {
        let outcome: ChatOutcome
        do {
            outcome = try await pipeline.run(turn) { _ in }
        } catch {
            await finish.release()
            throw error
        }
        guard let stored = try await finish.store(outcome) else {
            await finish.release()
            throw ChatError.generationUnavailable
        }
        return try Self.json(.ok, ChatAnswer(conversationID: turn.conversation.id, userMessageID: finish.question.id, message: stored,
                                             messageID: stored.id, metadata: AnswerMetadata(stored, rewrittenQuery: outcome.rewrittenQuery, replayed: false, tools: outcome.tools)))
    }

    private func stream(_ turn: ChatTurn, finish: Finisher) -> Response {
        SSEWriter.stream { writer in
            try await deliver(turn, finish: finish) { name, value in try await writer.event(name, value) }
        }
    }

    /// Runs the turn, sending its events (`sources`, `delta`…, then `done` or `error`) as they come.
    func deliver(_ turn: ChatTurn, finish: Finisher, send: (String, any Encodable & Sendable) async throws -> Void) async throws {
        let outcome: ChatOutcome
        do {
            outcome = try await pipeline.run(turn) { progress in
                switch progress {
                case .sources(let sources, let strategy, let retrievalMS, let degraded):
                    try await send("sources", SourcesEvent(sources: sources, strategy: strategy, retrievalMS: retrievalMS, degraded: degraded))
                case .delta(let text):
                    try await send("delta", ["text": text])
                }
            }
        } catch {
            await finish.release()
            try await send("error", finish.errorEvent(APIError.from(error), partial: nil))
            return
        }
        let stored = try await finish.store(outcome)
        if outcome.interrupted { return }
        if let failure = outcome.failure {
            if stored == nil { await finish.release() }
            let error = APIError(.badGateway, code: "GENERATION_FAILED", message: "the answer broke off: \(failure)")
            try await send("error", finish.errorEvent(error, partial: stored?.id))
            return
        }
        guard let stored else { return }
        try await send("done", ChatAnswer(conversationID: turn.conversation.id, userMessageID: finish.question.id, message: nil,
                                          messageID: stored.id, metadata: AnswerMetadata(stored, rewrittenQuery: outcome.rewrittenQuery, replayed: false, tools: outcome.tools)))
    }

    /// A retried request's stored answer, in the shape the request asked for.
    static func replayed(_ message: Message, streaming: Bool) throws -> Response {
        let answer = ChatAnswer(conversationID: message.conversationID, userMessageID: nil, message: streaming ? nil : message, messageID: message.id,
                                metadata: AnswerMetadata(message, rewrittenQuery: nil, replayed: true))
        guard streaming else { return try json(.ok, answer) }
        return SSEWriter.stream { writer in
            try await sendReplay(message) { name, value in try await writer.event(name, value) }
        }
    }

    /// A retried request's stored answer as the events of a streamed one.
    static func sendReplay(_ message: Message, send: (String, any Encodable & Sendable) async throws -> Void) async throws {
        let answer = ChatAnswer(conversationID: message.conversationID, userMessageID: nil, message: nil, messageID: message.id,
                                metadata: AnswerMetadata(message, rewrittenQuery: nil, replayed: true))
        try await send("sources", SourcesEvent(sources: message.sources, strategy: message.strategy ?? "", retrievalMS: message.retrievalMS ?? 0,
                                               degraded: message.degraded))
        try await send("delta", ["text": message.content])
        try await send("done", answer)
    }

    static func idempotencyKey(_ request: Request) throws(ChatError) -> String? {
        guard let key = request.headers[Self.idempotencyHeader] else { return nil }
        guard !key.isEmpty, key.count <= maxIdempotencyKeyCharacters else {
            throw .invalid("Idempotency-Key must be 1–\(maxIdempotencyKeyCharacters) characters")
        }
        return key
    }
}

/// Stores a turn's outcome once it is known, whatever happened to the request meanwhile.
struct Finisher: Sendable {
    let api: ChatOrchestratorAPI
    let turn: ChatTurn
    let question: Message
    let identity: Identity
    let key: String?
    let started: ContinuousClock.Instant

    /// Stores the answer (with its usage event unless generation failed: an answer the client
    /// cut short was still produced up to there, and is metered with `interrupted=true`) and
    /// returns it; nil when
    /// there is nothing to store (no text at all). Runs in a task of its own, so a client that
    /// went away (and took the request's task with it) does not stop the partial answer from
    /// being kept.
    func store(_ outcome: ChatOutcome) async throws -> Message? {
        guard !outcome.content.isEmpty else { return nil }
        let answer = Message.answer(outcome, conversation: turn.conversation.id, latencyMS: ChatPipeline.milliseconds(since: started))
        let meter = outcome.failure == nil
        let exchanges = api.exchanges
        let (tenant, identity, requestID, key) = (turn.credentials.tenant, identity, turn.credentials.requestID, key)
        try await Task {
            try await exchanges.storeAnswer(answer, tenant: tenant, identity: identity, requestID: requestID, key: key, meter: meter)
        }.value
        return answer
    }

    /// Frees the idempotency key of a request that ended without an answer.
    func release() async {
        guard let key else { return }
        let (exchanges, tenant, user) = (api.exchanges, turn.credentials.tenant, identity.subject)
        try? await Task { try await exchanges.release(key: key, tenant: tenant, user: user) }.value
    }

    func errorEvent(_ error: APIError, partial: UUID?) -> ErrorEvent {
        ErrorEvent(error: .init(code: error.code, message: error.message, requestID: turn.credentials.requestID),
                   userMessageID: question.id, partialMessageID: partial)
    }
}
