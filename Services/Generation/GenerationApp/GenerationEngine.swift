import Foundation
import Logging
import Synchronization

/// One generation as the APIs hand it over: what to answer, with what, for whom.
struct GenerationJob: Sendable {
    var model: String?
    var input: PromptAssembler.Input
    var temperature: Double?
    var topP: Double?
    var maxTokens: Int?
    var stop: [String]
    var redactPII: Bool
    var subject: UsageSubject
}

/// What the engine's stream says: the model chosen (once), the answer's text (post-processed),
/// then either `done` or `failed` (after which nothing follows).
enum OutputEvent: Sendable, Equatable {
    case started(model: String)
    case delta(String)
    case done(Completion)
    case failed(ProviderFailure, Completion)
}

struct Completion: Sendable, Equatable {
    var model: String
    var finishReason: FinishReason
    var usage: TokenUsage
    var citations: [Int]
    var includedSources: [Int]
    var costUSD: Double
    var cached = false
}

/// The pipeline behind both APIs: resolve the model chain, clamp the parameters and assemble
/// the prompt per model (one place), redact PII when the tenant wants it, route with failover,
/// post-process the output (stop sequences, unknown citations, completeness marker), and
/// record usage. Streams throughout; the non-streamed answer is the same stream collected
/// (bounded by max tokens), with the response cache in front when temperature is 0.
final class GenerationEngine: Sendable {
    let router: ModelRouter
    let assembler: PromptAssembler
    let estimator: TokenEstimator
    let maxTokensLimit: Int
    let defaultMaxTokens: Int
    let cache: ResponseCache?
    let usage: GenerationUsage?
    let logger: Logger

    init(
        router: ModelRouter, estimator: TokenEstimator, maxTokensLimit: Int, defaultMaxTokens: Int, cache: ResponseCache?, usage: GenerationUsage?,
        logger: Logger
    ) {
        self.router = router
        self.assembler = PromptAssembler(estimator: estimator)
        self.estimator = estimator
        self.maxTokensLimit = maxTokensLimit
        self.defaultMaxTokens = defaultMaxTokens
        self.cache = cache
        self.usage = usage
        self.logger = logger
    }

    func chain(_ job: GenerationJob) throws(GenerationError) -> [ModelEntry] {
        guard let chain = router.catalog.chain(for: job.model), !chain.isEmpty else {
            throw .modelNotFound(job.model ?? router.catalog.defaultModel, available: (Array(router.catalog.models.keys) + Array(router.catalog.aliases.keys)).sorted())
        }
        return chain
    }

    /// The request one model gets, and the prompt's facts the output filter needs.
    func providerRequest(_ job: GenerationJob, model: ModelEntry) throws -> (ProviderRequest, PromptAssembler.Prompt) {
        let parameters = SamplingParameters(
            temperature: job.temperature, topP: job.topP, maxTokens: job.maxTokens, stop: job.stop, modelLimit: model.maxOutputTokens,
            serviceLimit: maxTokensLimit, defaultMaxTokens: defaultMaxTokens
        )
        var input = job.input
        if job.redactPII {
            input.question = PIIRedactor.redact(input.question)
            input.instructions = input.instructions.map(PIIRedactor.redact)
            input.sources = input.sources.map { var source = $0; source.text = PIIRedactor.redact(source.text); return source }
            input.history = input.history.map { ChatMessage($0.role, PIIRedactor.redact($0.content)) }
        }
        let prompt: PromptAssembler.Prompt
        do {
            prompt = try assembler.assemble(input, contextWindow: model.contextWindow, maxOutputTokens: parameters.maxTokens)
        } catch {
            throw GenerationError.promptTooLong(tokens: error.tokens, budget: error.budget)
        }
        let included = Set(prompt.includedSources)
        let request = ProviderRequest(
            upstreamModel: model.upstreamModel, messages: prompt.messages, temperature: parameters.temperature, topP: parameters.topP,
            maxTokens: parameters.maxTokens, stop: parameters.stop, question: input.question,
            sources: input.sources.enumerated().map { included.contains($0.offset + 1) ? $0.element : Source(id: $0.element.id, text: "") },
            estimatedPromptTokens: prompt.promptTokens, tenantID: job.subject.tenant
        )
        return (request, prompt)
    }

    /// The answer as it is produced. Throws before the first event only (no model could start).
    func stream(_ job: GenerationJob, cached: Bool = false) throws(GenerationError) -> AsyncThrowingStream<OutputEvent, any Error> {
        let chain = try chain(job)
        // Fail fast on a prompt that fits no model of the chain.
        var lastError: GenerationError?
        var fits = false
        for model in chain {
            do { _ = try providerRequest(job, model: model); fits = true; break } catch let error as GenerationError { lastError = error } catch {}
        }
        if !fits, let lastError { throw lastError }

        let prompts = Mutex<[String: PromptAssembler.Prompt]>([:])
        let routed = router.stream(chain: chain, logger: logger) { model in
            let (request, prompt) = try self.providerRequest(job, model: model)
            prompts.withLock { $0[model.id] = prompt }
            return request
        }
        let (stream, continuation) = AsyncThrowingStream<OutputEvent, any Error>.makeStream()
        let grounded = job.input.grounded
        let task = Task {
            var filter = OutputFilter(allowedCitations: nil, stops: [])
            var model: ModelEntry?
            var prompt: PromptAssembler.Prompt?
            var reported: TokenUsage?
            var finish: FinishReason = .stop
            var completionText = ""
            func completion() -> Completion {
                let usage = Self.merge(reported, promptEstimate: prompt?.promptTokens ?? 0, completion: self.estimator.count(completionText))
                return Completion(
                    model: model?.id ?? "", finishReason: finish, usage: usage, citations: filter.cited.sorted(),
                    includedSources: prompt?.includedSources ?? [], costUSD: model?.cost(usage) ?? 0
                )
            }
            func emit(_ text: String) {
                guard !text.isEmpty else { return }
                completionText += text
                continuation.yield(.delta(text))
            }
            do {
                loop: for try await event in routed {
                    switch event {
                    case .started(let entry):
                        model = entry
                        prompt = prompts.withLock { $0[entry.id] }
                        filter = OutputFilter(allowedCitations: grounded ? Set(prompt?.includedSources ?? []) : nil, stops: SamplingParameters.clamp(stops: job.stop))
                        continuation.yield(.started(model: entry.id))
                    case .event(.delta(let text)):
                        emit(filter.feed(text))
                        if filter.stopped {
                            finish = .stop
                            break loop
                        }
                    case .event(.usage(let usage)):
                        reported = usage
                    case .event(.finish(let reason)):
                        if reason != .error { finish = reason }
                    case .event(.error(let failure)):
                        emit(filter.flush())
                        finish = .error
                        let result = completion()
                        if let model { self.usage?.record(result.usage, model: model, subject: job.subject, cached: false) }
                        continuation.yield(.failed(failure, result))
                        continuation.finish()
                        return
                    }
                }
                emit(filter.flush())
                if finish == .length { emit(CompletenessMarker.text) }
                let result = completion()
                if let model { self.usage?.record(result.usage, model: model, subject: job.subject, cached: false) }
                continuation.yield(.done(result))
                continuation.finish()
            } catch let error as NoModelAvailable {
                continuation.finish(throwing: GenerationError.unavailable(
                    model: job.model ?? self.router.catalog.defaultModel, reasons: error.failures.map { "\($0.provider): \($0.kind.rawValue)" }
                ))
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    /// Provider-reported counts where there are some, Cairn's estimates otherwise.
    static func merge(_ reported: TokenUsage?, promptEstimate: Int, completion: Int) -> TokenUsage {
        TokenUsage(
            promptTokens: (reported?.promptTokens ?? 0) > 0 ? reported!.promptTokens : promptEstimate,
            completionTokens: (reported?.completionTokens ?? 0) > 0 ? reported!.completionTokens : completion
        )
    }

    /// The whole answer (non-streamed APIs), from the cache when the request is deterministic.
    func complete(_ job: GenerationJob) async throws -> (text: String, completion: Completion) {
        let chain = try chain(job)
        let deterministic = min(max(job.temperature ?? 0, 0), 1) == 0
        let key = deterministic ? cache.map { _ in cacheKey(job, chain: chain) } : nil
        if let key, let cache, let entry = await cache.lookup(key), let model = router.catalog.models[entry.model] {
            usage?.record(entry.usage, model: model, subject: job.subject, cached: true)
            return (entry.text, Completion(
                model: entry.model, finishReason: entry.finishReason, usage: entry.usage, citations: entry.citations, includedSources: [],
                costUSD: 0, cached: true
            ))
        }
        var text = ""
        for try await event in try stream(job) {
            switch event {
            case .started:
                break
            case .delta(let delta):
                text += delta
            case .done(let completion):
                if let key, let cache {
                    await cache.store(key, .init(
                        model: completion.model, text: text, finishReason: completion.finishReason, usage: completion.usage, citations: completion.citations
                    ))
                }
                return (text, completion)
            case .failed(let failure, _):
                throw GenerationError.unavailable(model: job.model ?? router.catalog.defaultModel, reasons: ["\(failure.provider): \(failure.kind.rawValue) after the answer began"])
            }
        }
        throw GenerationError.unavailable(model: job.model ?? router.catalog.defaultModel, reasons: ["the stream ended early"])
    }

    func cacheKey(_ job: GenerationJob, chain: [ModelEntry]) -> String {
        let input = job.input
        var parts = [chain.map(\.id).joined(separator: ","), input.question, input.instructions ?? "", "\(input.grounded)", "\(job.redactPII)"]
        parts += input.sources.flatMap { [$0.id, $0.title ?? "", $0.text, $0.score.map { "\($0)" } ?? ""] }
        parts += input.history.flatMap { [$0.role.rawValue, $0.content] }
        parts += ["\(job.topP ?? 1)", "\(job.maxTokens ?? defaultMaxTokens)"] + job.stop
        return ResponseCache.key(tenant: job.subject.tenant, parts: parts)
    }
}
