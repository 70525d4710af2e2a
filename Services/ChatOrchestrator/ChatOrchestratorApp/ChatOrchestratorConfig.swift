import CairnAuthKit
import CairnEvents
import ServiceKit

/// Everything chat-orchestrator reads at start-up, in one place (README "Chat orchestrator",
/// key by key).
public struct ChatOrchestratorConfig: ServiceConfigurable {
    public var service: ServiceConfig
    public var auth: AuthClientSettings
    /// vector-search, for `/v1/search` (it embeds the query text itself).
    public var vectorSearchURL: String
    /// generation, for `/v1/generate`.
    public var generationURL: String
    public var pipeline: PipelineSettings
    public var usageTopic: String
    /// How often the outbox is published.
    public var relayInterval: Duration
    /// How long a complete answer is kept in the answer cache; nil: no cache.
    public var answerCacheTTL: Duration?
    /// Bounds each step of an answer-cache lookup (the collection versions, each Redis call);
    /// beyond it, a miss.
    public var answerCacheTimeout: Duration
    /// Assistants' HTTP tools: allowed private hosts, secrets, excerpt size.
    public var tools: ToolSettings

    public init(environment: [String: String]) throws(ConfigurationError) {
        var reader = ConfigReader(environment: environment)
        service = ChatOrchestratorService.serviceConfig(reader: &reader)
        auth = AuthClientSettings(reader: &reader, serviceName: ChatOrchestratorService.name, requireSecret: false)
        vectorSearchURL = reader.baseURL("CAIRN_VECTOR_SEARCH_URL", default: "http://127.0.0.1:8085")
        generationURL = reader.baseURL("CAIRN_GENERATION_URL", default: "http://127.0.0.1:8086")
        pipeline = PipelineSettings(
            retrievalTimeout: .milliseconds(reader.int("CAIRN_CHAT_RETRIEVAL_TIMEOUT_MS", default: 3_000, range: 10...60_000)),
            generationStartTimeout: .milliseconds(reader.int("CAIRN_CHAT_GENERATION_START_TIMEOUT_MS", default: 30_000, range: 100...600_000)),
            contextTokens: reader.int("CAIRN_CHAT_CONTEXT_TOKENS", default: 3_000, range: 100...1_000_000),
            historyMessages: reader.int("CAIRN_CHAT_HISTORY_MESSAGES", default: 6, range: 0...100),
            maxMessageCharacters: reader.int("CAIRN_CHAT_MAX_MESSAGE_CHARS", default: 8_000, range: 10...100_000),
            defaultModel: reader.string("CAIRN_CHAT_DEFAULT_MODEL", default: "default"),
            defaultTopK: reader.int("CAIRN_CHAT_DEFAULT_TOP_K", default: 8, range: 1...100),
            webSocketLifetime: .seconds(reader.int("CAIRN_CHAT_WS_MAX_SECONDS", default: 240, range: 1...86_400))
        )
        usageTopic = reader.string("CAIRN_CHAT_USAGE_TOPIC", default: EventTopic.usage.name)
        relayInterval = .milliseconds(reader.int("CAIRN_CHAT_OUTBOX_RELAY_MS", default: 100, range: 10...60_000))
        let ttl = reader.int("CAIRN_CHAT_CACHE_TTL_SECONDS", default: 3_600, range: 0...2_592_000)
        answerCacheTTL = ttl == 0 ? nil : .seconds(ttl)
        answerCacheTimeout = .milliseconds(reader.int("CAIRN_CHAT_CACHE_TIMEOUT_MS", default: 250, range: 5...5_000))
        tools = ToolSettings(
            allowedHosts: Set((reader.optionalString("CAIRN_CHAT_TOOL_ALLOWED_HOSTS") ?? "").split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }),
            secrets: ToolSecrets(environment: environment),
            excerptCharacters: reader.int("CAIRN_CHAT_TOOL_EXCERPT_CHARS", default: 4_000, range: 100...100_000)
        )
        try reader.finish()
    }
}

/// The pipeline's bounds and defaults.
public struct PipelineSettings: Sendable {
    /// A search slower than this is abandoned and the answer is given without context.
    public var retrievalTimeout: Duration
    /// generation must start answering (its first event) within this; the rest of the stream
    /// is bounded by generation's own total timeout.
    public var generationStartTimeout: Duration
    /// Passages handed to generation fit in this many (estimated) tokens.
    public var contextTokens: Int
    /// Recent messages sent along as history (and used to rewrite follow-ups).
    public var historyMessages: Int
    /// A user message longer than this (code points) is refused with 400 `LIMIT_EXCEEDED`.
    public var maxMessageCharacters: Int
    /// The model alias of a tenant's default assistant.
    public var defaultModel: String
    public var defaultTopK: Int
    /// A WebSocket is closed (code 4001: reconnect) after this long: it was authenticated once,
    /// at its upgrade, and must not outlive that credential (an API key's token lives 300 s).
    public var webSocketLifetime: Duration = .seconds(240)
}
