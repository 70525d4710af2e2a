import CairnAuthKit
import CairnEvents
import Foundation
import ServiceKit

/// Everything generation reads at start-up, in one place (README "Generation", key by key).
public struct GenerationConfig: ServiceConfigurable {
    public var service: ServiceConfig
    public var auth: AuthClientSettings
    /// The embedding service, for the extractive generator's vectors.
    public var embeddingURL: String
    public var providers: [ProviderSettings]
    public var catalog: ModelCatalog
    public var routing: RoutingPolicy
    /// The service's own ceiling on `max_tokens` (models may have lower ones).
    public var maxTokensLimit: Int
    /// `max_tokens` when the request names none.
    public var defaultMaxTokens: Int
    /// Questions, instructions and each source or history message are bounded (code points).
    public var limits: GenerationLimits
    /// Cached answers live this long; nil: no cache.
    public var cacheTTL: Duration?
    public var cacheTimeout: Duration
    /// Tenants whose outgoing prompts are always redacted (`*`: all).
    public var redactionTenants: RedactionTenants
    public var usageTopic: String
    /// `vocab.txt` of the BERT tokenizer used to estimate tokens (absent: a byte estimate).
    public var vocabularyFile: String?

    public init(environment: [String: String]) throws(ConfigurationError) {
        var reader = ConfigReader(environment: environment)
        service = GenerationService.serviceConfig(reader: &reader)
        auth = AuthClientSettings(reader: &reader, serviceName: GenerationService.name, requireSecret: false)
        embeddingURL = reader.baseURL("CAIRN_EMBEDDING_URL", default: "http://127.0.0.1:8084")
        providers = Self.json([ProviderSettings].self, "CAIRN_GENERATION_PROVIDERS", default: "[]", reader: &reader) ?? []
        for index in providers.indices {
            if let variable = providers[index].apiKeyEnv {
                guard let key = environment[variable], !key.isEmpty else {
                    reader.report("CAIRN_GENERATION_PROVIDERS", "provider \(providers[index].name): \(variable) (its api_key_env) is not set")
                    continue
                }
                providers[index].apiKey = key
            }
            if providers[index].name == ExtractiveProvider.providerName {
                reader.report("CAIRN_GENERATION_PROVIDERS", "the name \(ExtractiveProvider.providerName) is the built-in generator's")
            }
        }
        let models = Self.json([ModelEntry].self, "CAIRN_GENERATION_MODELS", default: "[]", reader: &reader) ?? []
        let aliases = Self.json([String: [String]].self, "CAIRN_GENERATION_ALIASES", default: #"{"default":["cairn-extractive-1"]}"#, reader: &reader) ?? [:]
        catalog = ModelCatalog(models: models, aliases: aliases, defaultModel: reader.string("CAIRN_GENERATION_DEFAULT_MODEL", default: "default"))
        for problem in catalog.problems(providers: Set(providers.map(\.name))) { reader.report("CAIRN_GENERATION_MODELS", problem) }
        routing = RoutingPolicy(
            firstTokenTimeout: .milliseconds(reader.int("CAIRN_GENERATION_FIRST_TOKEN_TIMEOUT_MS", default: 15_000, range: 10...600_000)),
            totalTimeout: .milliseconds(reader.int("CAIRN_GENERATION_TOTAL_TIMEOUT_MS", default: 120_000, range: 100...3_600_000)),
            attemptsPerModel: reader.int("CAIRN_GENERATION_ATTEMPTS_PER_MODEL", default: 2, range: 1...5),
            breakerFailures: reader.int("CAIRN_GENERATION_BREAKER_FAILURES", default: 5, range: 1...1_000),
            breakerOpenFor: .milliseconds(reader.int("CAIRN_GENERATION_BREAKER_OPEN_MS", default: 30_000, range: 10...3_600_000))
        )
        maxTokensLimit = reader.int("CAIRN_GENERATION_MAX_TOKENS", default: 4_096, range: 16...131_072)
        defaultMaxTokens = min(reader.int("CAIRN_GENERATION_DEFAULT_MAX_TOKENS", default: 1_024, range: 16...131_072), maxTokensLimit)
        limits = GenerationLimits(
            maxSources: reader.int("CAIRN_GENERATION_MAX_SOURCES", default: 64, range: 1...1_000),
            maxTextCharacters: reader.int("CAIRN_GENERATION_MAX_TEXT_CHARS", default: 100_000, range: 100...10_000_000),
            maxHistoryMessages: reader.int("CAIRN_GENERATION_MAX_HISTORY", default: 100, range: 0...10_000)
        )
        let ttl = reader.int("CAIRN_GENERATION_CACHE_TTL_SECONDS", default: 3_600, range: 0...2_592_000)
        cacheTTL = ttl == 0 ? nil : .seconds(ttl)
        cacheTimeout = .milliseconds(reader.int("CAIRN_GENERATION_CACHE_TIMEOUT_MS", default: 100, range: 5...5_000))
        redactionTenants = RedactionTenants(reader.optionalString("CAIRN_GENERATION_PII_REDACTION_TENANTS") ?? "")
        usageTopic = reader.string("CAIRN_GENERATION_USAGE_TOPIC", default: EventTopic.usage.name)
        vocabularyFile = reader.optionalString("CAIRN_GENERATION_VOCAB_FILE")
            ?? reader.optionalString("CAIRN_EMBEDDING_MODEL_DIR").map { $0 + "/vocab.txt" }
        try reader.finish()
    }

    private static func json<T: Decodable>(_ type: T.Type, _ key: String, default value: String, reader: inout ConfigReader) -> T? {
        let raw = reader.string(key, default: value)
        do {
            return try JSONDecoder().decode(T.self, from: Data(raw.utf8))
        } catch {
            reader.report(key, "invalid JSON for this key (see README \"Generation\"): \(Self.reason(error))")
            return nil
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "missing field \(key.stringValue)"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?, .dataCorrupted(let context)?:
            "\(context.codingPath.map(\.stringValue).joined(separator: ".")): \(context.debugDescription)"
        default: "not JSON"
        }
    }
}

/// The bounds of one request (README "Generation", limits).
public struct GenerationLimits: Sendable, Equatable {
    public var maxSources: Int
    public var maxTextCharacters: Int
    public var maxHistoryMessages: Int

    public init(maxSources: Int = 64, maxTextCharacters: Int = 100_000, maxHistoryMessages: Int = 100) {
        self.maxSources = maxSources
        self.maxTextCharacters = maxTextCharacters
        self.maxHistoryMessages = maxHistoryMessages
    }
}

/// Which tenants have PII redaction on regardless of the request.
public struct RedactionTenants: Sendable, Equatable {
    public var all: Bool
    public var tenants: Set<UUID>

    public init(_ raw: String) {
        let items = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        all = items.contains("*")
        tenants = Set(items.compactMap { UUID(uuidString: $0) })
    }

    public func contains(_ tenant: UUID) -> Bool { all || tenants.contains(tenant) }
}
