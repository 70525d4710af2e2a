import CairnRedis
import Foundation
import Logging
import Metrics
import ServiceKit

/// Complete answers in Redis, so that the same question to the same assistant over unchanged
/// collections is answered without generation (`cached: true`).
///
/// The key (`cairn:chat:answer:v1:<sha256>`) hashes the tenant, the assistant and its
/// `updated_at` (an edited assistant answers anew), the stand-alone search query (after
/// follow-up rewriting; case and white space folded), the effective filters, the strategy, the
/// `top_k`, and the version of every collection searched. A lookup asks vector-search for the
/// collections' current versions first; an answer is stored under the versions vector-search
/// reported its hits reflect, so an answer from before a change is never found after it.
///
/// Only answers that can be reproduced are kept: complete (not failed, not interrupted), not
/// degraded, from an assistant at temperature 0 (or unset). Redis or vector-search trouble is a
/// miss, never a failure. Metrics: `cairn_chat_answer_cache_total{outcome=hit|miss|error|skip}`.
struct AnswerCache: Sendable {
    /// What a hit answers with.
    struct Entry: Codable, Sendable, Equatable {
        var content: String
        var sources: [MessageSource]
        var strategy: String
        var model: String
    }

    /// A cacheable question, without the collection versions.
    struct Question: Sendable {
        var tenant: UUID
        var parts: [String]
        /// The collections searched (nil: all the tenant's).
        var collectionIDs: [String]?
    }

    let redis: RedisClient
    let ttl: Duration
    /// Bounds the collection-versions lookup (the Redis client bounds its own calls the same).
    let timeout: Duration
    let logger: Logger

    /// The question `turn` asks with `query`, or nil when its answer is not to be cached.
    static func question(_ turn: ChatTurn, query: SearchQuery) -> Question? {
        if let temperature = turn.assistant.temperature, temperature > 0 { return nil }
        let filters = (try? ChatOrchestratorAPI.encoder.encode(query.filters)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let assistant = turn.assistant
        return Question(tenant: turn.credentials.tenant, parts: [
            assistant.id.uuidString.lowercased(), "\(assistant.updatedAt.timeIntervalSince1970)",
            normalized(query.query), filters, query.strategy, "\(query.topK)",
        ], collectionIDs: query.filters.collectionIDs)
    }

    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func key(_ question: Question, versions: [String: Int64]) -> String {
        let versionParts = versions.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "cairn:chat:answer:v1:" + PartsDigest.sha256([question.tenant.uuidString.lowercased()] + question.parts + versionParts)
    }

    /// The cached answer of `question` over the collections' current versions, if any.
    func lookup(_ question: Question, versions fetch: @escaping @Sendable () async throws -> [String: Int64]) async -> Entry? {
        do {
            let versions = try await withTimeout(timeout, fetch)
            guard let text: String = try await redis.get(Self.key(question, versions: versions)) else {
                Self.count("miss")
                return nil
            }
            let entry = try JSONDecoder().decode(Entry.self, from: Data(text.utf8))
            Self.count("hit")
            return entry
        } catch {
            Self.count("error")
            logger.warning("answer cache unavailable", metadata: ["error": "\(String(reflecting: error))"])
            return nil
        }
    }

    /// Keeps `outcome` for `question` if it is a reproducible answer.
    func store(_ outcome: ChatOutcome, for question: Question, versions: [String: Int64]?) async {
        guard let versions, let done = outcome.done, outcome.failure == nil, !outcome.interrupted, outcome.degraded.isEmpty,
              !outcome.content.isEmpty else {
            Self.count("skip")
            return
        }
        do {
            let entry = Entry(content: outcome.content, sources: outcome.sources, strategy: outcome.strategy, model: done.model)
            try await redis.set(Self.key(question, versions: versions), String(decoding: try JSONEncoder().encode(entry), as: UTF8.self), ttl: ttl)
        } catch {
            logger.warning("answer not cached", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    private static func count(_ outcome: String) {
        Counter(label: "cairn_chat_answer_cache_total", dimensions: [("outcome", outcome)]).increment()
    }
}

extension ChatPipeline {
    /// Answers from a cache entry as a generated answer would be answered: `sources`, the text
    /// as one `delta`, and a `done` with no tokens and `cached: true`.
    func answer(from entry: AnswerCache.Entry, outcome start: ChatOutcome, retrievalMS: Int,
                emit: (ChatProgress) async throws -> Void) async -> ChatOutcome {
        var outcome = start
        outcome.sources = entry.sources
        outcome.strategy = entry.strategy
        outcome.retrievalMS = retrievalMS
        do {
            try await emit(.sources(outcome.sources, strategy: outcome.strategy, retrievalMS: retrievalMS, degraded: []))
            outcome.content = entry.content
            try await emit(.delta(entry.content))
        } catch {
            outcome.interrupted = true
            return outcome
        }
        outcome.done = GenerationDone(model: entry.model, finishReason: "stop", citations: entry.sources.filter(\.cited).map(\.index),
                                      usage: .init(promptTokens: 0, completionTokens: 0), cached: true)
        return outcome
    }
}
