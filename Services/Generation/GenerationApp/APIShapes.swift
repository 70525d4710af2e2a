import Foundation

/// `POST /v1/generate`'s JSON answer.
struct GenerateAnswer: Encodable {
    var answer: String
    var completion: Completion

    func encode(to encoder: any Encoder) throws {
        try GenerateDone(completion, answer: answer).encode(to: encoder)
    }
}

/// The `done` event (and, with `answer`, the JSON answer) of `POST /v1/generate`.
struct GenerateDone: Encodable {
    struct Usage: Encodable {
        var promptTokens: Int
        var completionTokens: Int
        var totalTokens: Int
        var costUSD: Double
        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens", costUSD = "cost_usd"
        }
    }

    var answer: String?
    var model: String
    var finishReason: String
    var citations: [Int]
    var sourcesIncluded: [Int]
    var usage: Usage
    var cached: Bool

    init(_ completion: Completion, answer: String? = nil) {
        self.answer = answer
        model = completion.model
        finishReason = completion.finishReason.rawValue
        citations = completion.citations
        sourcesIncluded = completion.includedSources
        usage = Usage(
            promptTokens: completion.usage.promptTokens, completionTokens: completion.usage.completionTokens,
            totalTokens: completion.usage.totalTokens, costUSD: completion.costUSD
        )
        cached = completion.cached
    }

    enum CodingKeys: String, CodingKey {
        case answer, model, citations, usage, cached
        case finishReason = "finish_reason"
        case sourcesIncluded = "sources_included"
    }
}

/// The `error` event of `POST /v1/generate`: the one error shape, plus what was used.
struct GenerateFailed: Encodable {
    struct Detail: Encodable {
        var code = "PROVIDER_FAILED"
        var message: String
        var requestID: String
        enum CodingKeys: String, CodingKey { case code, message, requestID = "request_id" }
    }

    var error: Detail
    var done: GenerateDone

    init(failure: ProviderFailure, completion: Completion, requestID: String) {
        error = Detail(message: "the model's provider failed mid-answer (\(failure.kind.rawValue)); the answer is incomplete", requestID: requestID)
        done = GenerateDone(completion)
    }
}

/// OpenAI's chat completion objects.
enum OpenAIShapes {
    static func usage(_ usage: TokenUsage) -> [String: Any] {
        ["prompt_tokens": usage.promptTokens, "completion_tokens": usage.completionTokens, "total_tokens": usage.totalTokens]
    }

    static func completion(id: String, created: Int, text: String, completion: Completion) -> [String: Any] {
        [
            "id": id, "object": "chat.completion", "created": created, "model": completion.model, "system_fingerprint": NSNull(),
            "choices": [["index": 0, "message": ["role": "assistant", "content": text, "refusal": NSNull()] as [String: Any],
                         "logprobs": NSNull(), "finish_reason": completion.finishReason == .error ? "stop" : completion.finishReason.rawValue] as [String: Any]],
            "usage": usage(completion.usage),
        ]
    }

    static func chunk(id: String, created: Int, model: String, delta: [String: String], finish: String?) -> [String: Any] {
        [
            "id": id, "object": "chat.completion.chunk", "created": created, "model": model, "system_fingerprint": NSNull(),
            "choices": [["index": 0, "delta": delta, "logprobs": NSNull(), "finish_reason": finish.map { $0 as Any } ?? NSNull()] as [String: Any]],
        ]
    }

    static func usageChunk(id: String, created: Int, model: String, usage: TokenUsage) -> [String: Any] {
        ["id": id, "object": "chat.completion.chunk", "created": created, "model": model, "system_fingerprint": NSNull(), "choices": [Any](),
         "usage": self.usage(usage)]
    }
}

/// `GET /v1/models`: OpenAI's list, each model with Cairn's details, and the aliases with their chains.
struct ModelsList: Encodable {
    struct Model: Encodable {
        var id: String
        var object = "model"
        var created = 0
        var ownedBy: String
        var contextWindow: Int?
        var maxOutputTokens: Int?
        var inputPricePer1K: Double?
        var outputPricePer1K: Double?
        var capabilities: [String]?
        var fallbacks: [String]?
        enum CodingKeys: String, CodingKey {
            case id, object, created, capabilities, fallbacks
            case ownedBy = "owned_by", contextWindow = "context_window", maxOutputTokens = "max_output_tokens"
            case inputPricePer1K = "input_price_per_1k", outputPricePer1K = "output_price_per_1k"
        }
    }

    var object = "list"
    var data: [Model]

    static func make(_ catalog: ModelCatalog) -> ModelsList {
        let models = catalog.models.values.sorted { $0.id < $1.id }.map {
            Model(ownedBy: $0.provider, contextWindow: $0.contextWindow, maxOutputTokens: $0.maxOutputTokens, inputPricePer1K: $0.inputPricePer1K,
                  outputPricePer1K: $0.outputPricePer1K, capabilities: $0.capabilities, fallbacks: nil, id: $0.id)
        }
        let aliases = catalog.aliases.keys.sorted().map { Model(ownedBy: "cairn-alias", fallbacks: catalog.aliases[$0], id: $0) }
        return ModelsList(data: models + aliases)
    }
}

extension ModelsList.Model {
    init(ownedBy: String, contextWindow: Int? = nil, maxOutputTokens: Int? = nil, inputPricePer1K: Double? = nil, outputPricePer1K: Double? = nil,
         capabilities: [String]? = nil, fallbacks: [String]?, id: String) {
        self.id = id
        self.ownedBy = ownedBy
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.inputPricePer1K = inputPricePer1K
        self.outputPricePer1K = outputPricePer1K
        self.capabilities = capabilities
        self.fallbacks = fallbacks
    }
}
