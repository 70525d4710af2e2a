import Foundation
import Logging
import Metrics
import ServiceKit

/// One turn to answer: who asks, in which conversation, with which assistant, what.
struct ChatTurn: Sendable {
    var conversation: Conversation
    var assistant: Assistant
    var question: String
    /// The request's filters, on top of the assistant's defaults.
    var filters: SearchFilters?
    /// Recent messages, oldest first (the question itself not included).
    var history: [Message]
    var credentials: CallerCredentials
    /// The assistant's HTTP tools this turn calls (``ToolPlanner``).
    var toolCalls: [PlannedToolCall] = []
}

/// What the pipeline tells the client as it goes.
enum ChatProgress: Sendable {
    /// The passages the answer is given with, and how they were found.
    case sources([MessageSource], strategy: String, retrievalMS: Int, degraded: [String])
    case delta(String)
}

/// The answer of a turn, ready to be stored.
struct ChatOutcome: Sendable {
    var content: String
    var sources: [MessageSource]
    var strategy: String
    var rewrittenQuery: String?
    var degraded: [String]
    var retrievalMS: Int
    var generationMS: Int
    var done: GenerationDone?
    /// The provider failed mid-answer (the content is partial).
    var failure: String?
    /// The client went away mid-answer (the content is partial).
    var interrupted: Bool
    /// How each tool call went.
    var tools: [ToolRun] = []
}

/// Query analysis → retrieval (degrading to no context) → context assembly → generation.
struct ChatPipeline: Sendable {
    let retriever: any Retriever
    let generator: any Generator
    let settings: PipelineSettings
    /// Complete answers by question and collection versions; nil: every answer is generated.
    var cache: AnswerCache? = nil
    /// Calls the assistants' HTTP tools; nil: none are called.
    var tools: ToolCaller? = nil
    let logger: Logger

    private static let retrievalFailures = Counter(label: "cairn_chat_retrieval_degraded_total")
    private static let retrievalTimer = Timer(label: "cairn_chat_stage_seconds", dimensions: [("stage", "retrieval")])
    private static let generationTimer = Timer(label: "cairn_chat_stage_seconds", dimensions: [("stage", "generation")])

    /// Runs the turn, reporting progress through `emit`. If `emit` throws (the client is gone),
    /// generation is abandoned (which cancels it upstream) and the partial answer is returned
    /// marked interrupted. Throws ``ChatError/generationUnavailable`` when no answer started.
    func run(_ turn: ChatTurn, emit: (ChatProgress) async throws -> Void) async throws -> ChatOutcome {
        let previous = turn.history.filter { $0.role == .user }.map(\.content)
        let analysis = QueryAnalyzer.analyze(turn.question, previousQuestions: previous)
        let strategy = turn.assistant.strategy == .auto ? analysis.strategy : turn.assistant.strategy
        var outcome = ChatOutcome(content: "", sources: [], strategy: strategy.rawValue, rewrittenQuery: analysis.rewritten ? analysis.searchQuery : nil,
                                  degraded: [], retrievalMS: 0, generationMS: 0, done: nil, failure: nil, interrupted: false)

        let retrievalStart = ContinuousClock.now
        let topK = analysis.kind == .complex ? min(turn.assistant.topK * 2, 100) : turn.assistant.topK
        let query = SearchQuery(
            query: analysis.searchQuery, topK: topK, strategy: strategy.rawValue,
            filters: .init(collectionIDs: turn.assistant.collectionIDs.isEmpty ? nil : turn.assistant.collectionIDs,
                           base: turn.assistant.filters.overridden(by: turn.filters))
        )
        // Tool calls run alongside retrieval. An answer made with a tool's live data is never cached.
        async let toolResults = tools?.run(turn.toolCalls, tenant: turn.credentials.tenant, requestID: turn.credentials.requestID) ?? []
        // Only a conversation's first question is cached: a later answer also depends on the
        // conversation's history, which is one user's and not in the key.
        let cacheable = cache == nil || !turn.toolCalls.isEmpty || !turn.history.isEmpty ? nil : AnswerCache.question(turn, query: query)
        if let cache, let cacheable, let hit = await cache.lookup(cacheable, versions: { [retriever] in
            try await retriever.collectionVersions(cacheable.collectionIDs, credentials: turn.credentials)
        }) {
            return await answer(from: hit, outcome: outcome, retrievalMS: Self.milliseconds(since: retrievalStart), emit: emit)
        }
        var searchedVersions: [String: Int64]?
        var hits: [SearchHit] = []
        do {
            let found = try await withTimeout(settings.retrievalTimeout) { [retriever] in
                try await retriever.search(query, credentials: turn.credentials)
            }
            hits = found.hits
            outcome.strategy = found.strategy
            outcome.degraded = found.degraded
            searchedVersions = found.collectionVersions
        } catch {
            Self.retrievalFailures.increment()
            logger.warning("retrieval failed: answering without context", metadata: [
                "request_id": "\(turn.credentials.requestID)", "error": "\(String(reflecting: error))",
            ])
            outcome.degraded = ["retrieval_unavailable"]
        }
        let called = await toolResults
        outcome.sources = ContextAssembler.assemble(hits, budget: settings.contextTokens, tools: called)
        outcome.tools = called.map(\.run)
        if called.contains(where: { $0.run.status != .ok }) { outcome.degraded.append("tool_unavailable") }
        outcome.retrievalMS = Self.milliseconds(since: retrievalStart)
        Self.retrievalTimer.recordMilliseconds(outcome.retrievalMS)

        do {
            try await emit(.sources(outcome.sources, strategy: outcome.strategy, retrievalMS: outcome.retrievalMS, degraded: outcome.degraded))
        } catch {
            outcome.interrupted = true
            return outcome
        }

        let generationStart = ContinuousClock.now
        defer { Self.generationTimer.recordMilliseconds(Self.milliseconds(since: generationStart)) }
        let events: AsyncThrowingStream<GenerationEvent, any Error>
        do {
            events = try await generator.generate(body(turn, sources: outcome.sources), credentials: turn.credentials)
        } catch {
            logger.error("generation failed", metadata: ["request_id": "\(turn.credentials.requestID)", "error": "\(String(reflecting: error))"])
            throw ChatError.generationUnavailable
        }
        do {
            for try await event in events {
                switch event {
                case .delta(let text):
                    outcome.content += text
                    do {
                        try await emit(.delta(text))
                    } catch {
                        outcome.interrupted = true
                        outcome.generationMS = Self.milliseconds(since: generationStart)
                        return outcome
                    }
                case .done(let done):
                    outcome.done = done
                case .failed(let message):
                    outcome.failure = message
                }
            }
        } catch {
            outcome.failure = "the answer broke off"
            logger.warning("generation stream broke off", metadata: ["request_id": "\(turn.credentials.requestID)", "error": "\(String(reflecting: error))"])
        }
        if outcome.done == nil, outcome.failure == nil { outcome.failure = "the answer ended without completing" }
        outcome.generationMS = Self.milliseconds(since: generationStart)
        let cited = Set(outcome.done?.citations ?? [])
        outcome.sources = outcome.sources.map { var source = $0; source.cited = cited.contains(source.index); return source }
        if let cache, let cacheable { await cache.store(outcome, for: cacheable, versions: searchedVersions) }
        return outcome
    }

    private func body(_ turn: ChatTurn, sources: [MessageSource]) -> GenerateBody {
        GenerateBody(
            model: turn.assistant.model, question: turn.question,
            sources: sources.map { .init(id: "\($0.index)", title: $0.title, text: $0.text, score: $0.score) },
            history: turn.history.suffix(settings.historyMessages).map { .init(role: $0.role.rawValue, content: $0.content) },
            instructions: turn.assistant.instructions.isEmpty ? nil : turn.assistant.instructions,
            temperature: turn.assistant.temperature, maxTokens: turn.assistant.maxTokens,
            conversationID: turn.conversation.id.uuidString.lowercased()
        )
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }
}
