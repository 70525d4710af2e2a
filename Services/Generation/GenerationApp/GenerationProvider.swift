import Foundation

/// A chat message as providers take it.
public struct ChatMessage: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable {
        case system, user, assistant
    }

    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// A retrieved passage, numbered `[n]` (1-based) in prompts and answers.
public struct Source: Sendable, Equatable, Codable {
    public var id: String
    public var title: String?
    public var text: String
    /// Retrieval score; higher is more relevant (used to trim sources to the budget).
    public var score: Double?

    public init(id: String, title: String? = nil, text: String, score: Double? = nil) {
        self.id = id
        self.title = title
        self.text = text
        self.score = score
    }
}

/// What a provider is asked: the assembled prompt, the sampling parameters (already clamped),
/// and, for the extractive generator, the question and sources themselves.
public struct ProviderRequest: Sendable {
    /// The provider's own name for the model.
    public var upstreamModel: String
    public var messages: [ChatMessage]
    public var temperature: Double
    public var topP: Double
    public var maxTokens: Int
    public var stop: [String]
    public var question: String
    public var sources: [Source]
    /// Tokens of the prompt as Cairn counted them (a fallback when the provider reports none).
    public var estimatedPromptTokens: Int
    /// The tenant the request is for (the extractive generator's embedding calls name it).
    public var tenantID: UUID?

    public init(
        upstreamModel: String, messages: [ChatMessage], temperature: Double = 0, topP: Double = 1, maxTokens: Int = 512,
        stop: [String] = [], question: String = "", sources: [Source] = [], estimatedPromptTokens: Int = 0, tenantID: UUID? = nil
    ) {
        self.tenantID = tenantID
        self.upstreamModel = upstreamModel
        self.messages = messages
        self.temperature = temperature
        self.topP = topP
        self.maxTokens = maxTokens
        self.stop = stop
        self.question = question
        self.sources = sources
        self.estimatedPromptTokens = estimatedPromptTokens
    }
}

/// One way of producing text. Streaming first: the answer is an `AsyncSequence` of
/// ``GenerationEvent``s that throws ``ProviderFailure`` when the provider fails. Nothing is
/// collected: each delta is yielded as it arrives.
public protocol GenerationProvider: Sendable {
    /// The configured name (`openai`, `anthropic`, `extractive`): the circuit breaker's key.
    var name: String { get }
    func stream(_ request: ProviderRequest) -> AsyncThrowingStream<GenerationEvent, any Error>
}
