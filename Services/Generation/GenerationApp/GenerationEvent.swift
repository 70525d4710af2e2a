import Foundation

/// One thing a model stream says, in order: text deltas, then (in any order at the end) the
/// token usage and why it stopped. Failures are thrown by provider streams; the router turns a
/// failure after the first token into a terminal ``GenerationEvent/error(_:)`` so a client never
/// mistakes a broken answer for a finished one.
public enum GenerationEvent: Sendable, Equatable {
    case delta(String)
    case usage(TokenUsage)
    case finish(FinishReason)
    case error(ProviderFailure)
}

/// Tokens in and out, as the provider counted them (or as Cairn estimated them when it did not).
public struct TokenUsage: Sendable, Equatable, Codable {
    public var promptTokens: Int
    public var completionTokens: Int

    public init(promptTokens: Int, completionTokens: Int) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
    }

    public var totalTokens: Int { promptTokens + completionTokens }
}

/// Why generation ended, in OpenAI's vocabulary (Anthropic's reasons are mapped to it).
public enum FinishReason: String, Sendable, Equatable, Codable {
    /// The model finished (or hit a stop sequence).
    case stop
    /// Cut by the max-tokens limit: the answer is incomplete.
    case length
    case contentFilter = "content_filter"
    /// The stream broke off; an error event came before it.
    case error
}

/// Why a provider failed, as much as the client may know.
public struct ProviderFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// Nothing arrived within the time-to-first-token limit.
        case firstTokenTimeout = "first_token_timeout"
        /// The whole answer took longer than the total limit.
        case totalTimeout = "total_timeout"
        /// Could not connect, or the connection broke.
        case transport
        /// The provider answered an HTTP error (status in `status`).
        case http
        /// The provider sent an error event or something unparseable.
        case protocolError = "protocol"
        /// The circuit breaker is open for this provider.
        case circuitOpen = "circuit_open"
    }

    public var kind: Kind
    public var provider: String
    public var status: Int?
    /// For logs only: may contain provider detail.
    public var detail: String

    public init(_ kind: Kind, provider: String, status: Int? = nil, detail: String = "") {
        self.kind = kind
        self.provider = provider
        self.status = status
        self.detail = detail
    }

    /// A 4xx other than 408/429 is the request's fault: another attempt would fail the same way.
    public var isRetryable: Bool {
        guard kind == .http, let status else { return true }
        return status == 408 || status == 429 || status >= 500
    }

    public var description: String { "\(provider): \(kind.rawValue)\(status.map { " HTTP \($0)" } ?? "") \(detail)" }
}
