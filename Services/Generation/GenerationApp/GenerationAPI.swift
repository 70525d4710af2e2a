import CairnAuthKit
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceKit

/// generation's HTTP API (README "Generation"): the internal `POST /v1/generate` (JSON or SSE),
/// the OpenAI-compatible `POST /v1/chat/completions`, and `GET /v1/models`. Every route needs a
/// verified token; generating needs `generation:create`.
struct GenerationAPI: Sendable {
    static let permission: Permission = "generation:create"

    let engine: GenerationEngine
    let limits: GenerationLimits
    let redactionTenants: RedactionTenants
    let verifier: TokenVerifier

    func addRoutes(to router: Router<IdentityRequestContext>) {
        let group = router.group().add(middleware: AuthenticationMiddleware<IdentityRequestContext>(verifier: verifier))
        group.post("/v1/generate") { request, context in try await generate(request, context: context) }
        group.post("/v1/chat/completions") { request, context in try await chatCompletions(request, context: context) }
        group.get("/v1/models") { _, context -> Response in
            _ = try context.requireIdentity()
            return SSEWriter.json(.ok, ModelsList.make(engine.router.catalog))
        }
    }

    // MARK: POST /v1/generate

    private func generate(_ request: Request, context: IdentityRequestContext) async throws -> Response {
        let subject = try subject(request, context: context, conversationID: nil)
        let body = try decodeBody(GenerateRequest.self, Data(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        let sources = body.sources ?? []
        let history = body.history ?? []
        try limits.check(question: body.question, instructions: body.instructions, sources: sources, history: history)
        var usageSubject = subject
        usageSubject.conversationID = body.conversationID
        let job = GenerationJob(
            model: body.model,
            input: .init(question: body.question, sources: Self.sources(sources), history: history, instructions: body.instructions),
            temperature: body.temperature, topP: body.topP, maxTokens: body.maxTokens, stop: body.stop?.values ?? [],
            redactPII: body.piiRedaction == true || redactionTenants.contains(subject.tenant), subject: usageSubject
        )
        guard body.stream == true else {
            let (text, completion) = try await engine.complete(job)
            return SSEWriter.json(.ok, GenerateAnswer(answer: text, completion: completion))
        }
        let first = try await FirstEvent.await(try engine.stream(job))
        let requestID = context.requestID
        return SSEWriter.stream { writer in
            try await first.forEach { event in
                switch event {
                case .started(let model):
                    try await writer.event("start", ["model": model])
                case .delta(let text):
                    try await writer.event("delta", ["text": text])
                case .done(let completion):
                    try await writer.event("done", GenerateDone(completion))
                case .failed(let failure, let completion):
                    try await writer.event("error", GenerateFailed(failure: failure, completion: completion, requestID: requestID))
                }
            }
        }
    }

    // MARK: POST /v1/chat/completions

    private func chatCompletions(_ request: Request, context: IdentityRequestContext) async throws -> Response {
        let subject = try subject(request, context: context, conversationID: nil)
        let body = try decodeBody(ChatCompletionRequest.self, Data(buffer: try await request.body.collect(upTo: context.maxUploadSize)))
        guard (body.n ?? 1) == 1 else { throw GenerationError.invalid("n must be 1") }
        guard let last = body.messages.last, last.role == "user" else { throw GenerationError.invalid("the last message must be the user's") }
        var history: [ChatMessage] = []
        var instructions: [String] = []
        for message in body.messages.dropLast() {
            switch message.role {
            case "system", "developer": instructions.append(message.content)
            case "user": history.append(ChatMessage(.user, message.content))
            case "assistant": history.append(ChatMessage(.assistant, message.content))
            default: throw GenerationError.invalid("messages[].role \(message.role.prefix(20)) is not supported")
            }
        }
        let instructionText = instructions.isEmpty ? nil : instructions.joined(separator: "\n\n")
        let sources = body.sources ?? []
        try limits.check(question: last.content, instructions: instructionText, sources: sources, history: history)
        let job = GenerationJob(
            model: body.model,
            input: .init(question: last.content, sources: Self.sources(sources), history: history, instructions: instructionText, grounded: body.sources != nil),
            temperature: body.temperature, topP: body.topP, maxTokens: body.maxCompletionTokens ?? body.maxTokens, stop: body.stop?.values ?? [],
            redactPII: redactionTenants.contains(subject.tenant), subject: subject
        )
        let id = "chatcmpl-\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
        let created = Int(Date().timeIntervalSince1970)
        guard body.stream == true else {
            let (text, completion) = try await engine.complete(job)
            return SSEWriter.json(.ok, object: OpenAIShapes.completion(id: id, created: created, text: text, completion: completion))
        }
        let includeUsage = body.streamOptions?.includeUsage == true
        let first = try await FirstEvent.await(try engine.stream(job))
        return SSEWriter.stream { writer in
            var model = ""
            try await first.forEach { event in
                switch event {
                case .started(let name):
                    model = name
                    try await writer.data(OpenAIShapes.chunk(id: id, created: created, model: model, delta: ["role": "assistant", "content": ""], finish: nil))
                case .delta(let text):
                    try await writer.data(OpenAIShapes.chunk(id: id, created: created, model: model, delta: ["content": text], finish: nil))
                case .done(let completion):
                    try await writer.data(OpenAIShapes.chunk(id: id, created: created, model: model, delta: [:], finish: completion.finishReason.rawValue))
                    if includeUsage { try await writer.data(OpenAIShapes.usageChunk(id: id, created: created, model: model, usage: completion.usage)) }
                case .failed(let failure, _):
                    try await writer.data(["error": ["message": "the model's provider failed mid-answer (\(failure.kind.rawValue)); the answer is incomplete",
                                                     "type": "server_error", "code": "provider_failed"]])
                }
            }
            try await writer.raw("data: [DONE]\n\n")
        }
    }

    // MARK: Shared

    private func subject(_ request: Request, context: IdentityRequestContext, conversationID: String?) throws -> UsageSubject {
        let identity = try context.requireIdentity()
        var named: UUID?
        if let raw = request.uri.queryParameters["tenant_id"] {
            guard let id = UUID(uuidString: String(raw)) else { throw GenerationError.invalid("tenant_id must be a UUID") }
            named = id
        }
        let tenant = try authorize(identity, Self.permission, resourceTenant: named)
        return UsageSubject(tenant: tenant, identity: identity, requestID: context.requestID, conversationID: conversationID)
    }

    static func sources(_ bodies: [SourceBody]) -> [Source] {
        bodies.enumerated().map { Source(id: $0.element.id ?? "\($0.offset + 1)", title: $0.element.title, text: $0.element.text, score: $0.element.score) }
    }
}

/// Waits for a stream's first event before the HTTP answer starts, so that "no provider could
/// answer" is a proper 503 rather than an SSE stream that fails at once.
struct FirstEvent: @unchecked Sendable {
    // The iterator is used by one task at a time: the handler, then the response body writer.
    private var iterator: AsyncThrowingStream<OutputEvent, any Error>.AsyncIterator
    private let first: OutputEvent?

    static func `await`(_ stream: AsyncThrowingStream<OutputEvent, any Error>) async throws -> FirstEvent {
        var iterator = stream.makeAsyncIterator()
        let first = try await iterator.next()
        return FirstEvent(iterator: iterator, first: first)
    }

    /// Every event, the first included; a failure after the first event is thrown.
    func forEach(_ body: (OutputEvent) async throws -> Void) async throws {
        guard let first else { return }
        try await body(first)
        var iterator = iterator
        while let event = try await iterator.next() { try await body(event) }
    }
}
