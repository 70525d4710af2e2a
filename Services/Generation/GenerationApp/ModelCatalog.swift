import Foundation

/// How one provider is reached (`CAIRN_GENERATION_PROVIDERS`, a JSON array).
public struct ProviderSettings: Sendable, Equatable, Decodable, CustomStringConvertible {
    public enum Kind: String, Sendable, Decodable {
        case openAICompatible = "openai-compatible"
        case anthropic
    }

    public var name: String
    public var kind: Kind
    /// `https://api.openai.com/v1` (the part before `/chat/completions`), `https://api.anthropic.com`.
    public var baseURL: String
    /// Secret; never logged. Read from the variable the JSON's `api_key_env` names, so the
    /// table can live in a ConfigMap and the key in a Secret.
    public var apiKey: String?
    public var apiKeyEnv: String?
    public var organization: String?
    /// The HTTP client's own limit on one call (the router's timeouts are tighter).
    public var requestTimeout: Duration = .seconds(600)

    enum CodingKeys: String, CodingKey {
        case name, kind = "type", baseURL = "base_url", apiKeyEnv = "api_key_env", organization
    }

    public init(name: String, kind: Kind, baseURL: String, apiKey: String? = nil, organization: String? = nil) {
        self.name = name
        self.kind = kind
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.organization = organization
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decode(Kind.self, forKey: .kind)
        var url = try container.decode(String.self, forKey: .baseURL)
        while url.hasSuffix("/") { url.removeLast() }
        baseURL = url
        apiKeyEnv = try container.decodeIfPresent(String.self, forKey: .apiKeyEnv)
        organization = try container.decodeIfPresent(String.self, forKey: .organization)
    }

    /// Without the key.
    public var description: String { "\(name)=\(kind.rawValue)@\(baseURL)" }
}

/// One row of the routing table (`CAIRN_GENERATION_MODELS`, a JSON array).
public struct ModelEntry: Sendable, Equatable, Decodable {
    /// The name clients use.
    public var id: String
    /// The provider's name from `CAIRN_GENERATION_PROVIDERS`, or `extractive`.
    public var provider: String
    /// The provider's own name for it (default: `id`).
    public var upstreamModel: String
    public var contextWindow: Int
    public var maxOutputTokens: Int
    /// US dollars per 1,000 tokens.
    public var inputPricePer1K: Double
    public var outputPricePer1K: Double
    public var capabilities: [String]

    enum CodingKeys: String, CodingKey {
        case id, provider, capabilities
        case upstreamModel = "upstream_model"
        case contextWindow = "context_window"
        case maxOutputTokens = "max_output_tokens"
        case inputPricePer1K = "input_price_per_1k"
        case outputPricePer1K = "output_price_per_1k"
    }

    public init(
        id: String, provider: String, upstreamModel: String? = nil, contextWindow: Int, maxOutputTokens: Int,
        inputPricePer1K: Double = 0, outputPricePer1K: Double = 0, capabilities: [String] = ["chat", "stream"]
    ) {
        self.id = id
        self.provider = provider
        self.upstreamModel = upstreamModel ?? id
        self.contextWindow = contextWindow
        self.maxOutputTokens = maxOutputTokens
        self.inputPricePer1K = inputPricePer1K
        self.outputPricePer1K = outputPricePer1K
        self.capabilities = capabilities
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        provider = try container.decode(String.self, forKey: .provider)
        upstreamModel = try container.decodeIfPresent(String.self, forKey: .upstreamModel) ?? id
        contextWindow = try container.decode(Int.self, forKey: .contextWindow)
        maxOutputTokens = try container.decodeIfPresent(Int.self, forKey: .maxOutputTokens) ?? 4_096
        inputPricePer1K = try container.decodeIfPresent(Double.self, forKey: .inputPricePer1K) ?? 0
        outputPricePer1K = try container.decodeIfPresent(Double.self, forKey: .outputPricePer1K) ?? 0
        capabilities = try container.decodeIfPresent([String].self, forKey: .capabilities) ?? ["chat", "stream"]
    }

    /// US dollars for this much usage.
    public func cost(_ usage: TokenUsage) -> Double {
        (Double(usage.promptTokens) * inputPricePer1K + Double(usage.completionTokens) * outputPricePer1K) / 1_000
    }

    /// The built-in extractive generator: free, no network.
    public static let extractive = ModelEntry(
        id: ExtractiveProvider.modelID, provider: ExtractiveProvider.providerName, contextWindow: 32_768, maxOutputTokens: 1_024,
        capabilities: ["chat", "stream", "citations", "extractive"]
    )
}

/// The models, the aliases and their fallback chains. Every alias resolves to a chain of
/// models tried in order; a model name resolves to itself alone.
public struct ModelCatalog: Sendable, Equatable {
    public var models: [String: ModelEntry]
    /// Alias → model ids, in the order they are tried.
    public var aliases: [String: [String]]
    /// What a request that names no model gets.
    public var defaultModel: String

    public init(models: [ModelEntry], aliases: [String: [String]], defaultModel: String) {
        var table = Dictionary(models.map { ($0.id, $0) }) { first, _ in first }
        if table[ModelEntry.extractive.id] == nil { table[ModelEntry.extractive.id] = .extractive }
        self.models = table
        self.aliases = aliases
        self.defaultModel = defaultModel
    }

    /// The chain for `name` (nil: the default); nil when nothing by that name is served.
    public func chain(for name: String?) -> [ModelEntry]? {
        let name = name ?? defaultModel
        if let ids = aliases[name] { return ids.compactMap { models[$0] } }
        return models[name].map { [$0] }
    }

    /// Problems with the table: aliases naming unknown models, models of unknown providers.
    func problems(providers: Set<String>) -> [String] {
        var problems: [String] = []
        for (alias, ids) in aliases.sorted(by: { $0.key < $1.key }) {
            if ids.isEmpty { problems.append("alias \(alias) has no models") }
            for id in ids where models[id] == nil { problems.append("alias \(alias) names unknown model \(id)") }
            if models[alias] != nil { problems.append("alias \(alias) is also a model id") }
        }
        for model in models.values.sorted(by: { $0.id < $1.id }) {
            if model.provider != ExtractiveProvider.providerName, !providers.contains(model.provider) {
                problems.append("model \(model.id) names unknown provider \(model.provider)")
            }
            if model.contextWindow < 256 || model.maxOutputTokens < 1 || model.maxOutputTokens >= model.contextWindow {
                problems.append("model \(model.id): context_window must be at least 256 and above max_output_tokens (at least 1)")
            }
            if model.inputPricePer1K < 0 || model.outputPricePer1K < 0 { problems.append("model \(model.id): prices must not be negative") }
        }
        if chain(for: nil) == nil { problems.append("default model \(defaultModel) is neither a model nor an alias") }
        return problems
    }
}
