import ServiceKit

/// embedding's errors, mapped to the one error shape in one place. The messages are written
/// for the client (OpenAI clients show `error.message`); provider detail goes to the log only.
enum EmbeddingError: Error, APIErrorConvertible, Equatable, CustomStringConvertible {
    /// A malformed request: the message says which field and why.
    case invalid(String)
    /// A request over one of the documented limits (`limitName` is the README's name for it).
    case limitExceeded(limitName: String, message: String, limit: Int, actual: Int)
    /// The `model` is served by nobody here.
    case modelNotFound(String, available: [String])
    /// The service is stopping; the caller may retry elsewhere.
    case shuttingDown
    /// The forward pass returned a result of the wrong shape (a bug, never the caller's fault).
    case modelFailed
    /// A remote provider could not be reached or kept failing (429, 5xx) through every retry.
    case providerUnavailable(provider: String)
    /// A remote provider refused the request (a 4xx other than 429) or answered nonsense.
    case providerRejected(provider: String, status: Int)

    var apiError: APIError {
        switch self {
        case .invalid(let message):
            .badRequest(message)
        case .limitExceeded(let name, let message, let limit, let actual):
            .limitExceeded(name, message: message, limit: limit, actual: actual)
        case .modelNotFound(let name, let available):
            .modelNotFound(name, available: available)
        case .shuttingDown:
            APIError(.serviceUnavailable, code: "UNAVAILABLE", message: "the embedding service is shutting down; retry")
        case .modelFailed:
            .internalError
        case .providerUnavailable(let provider):
            APIError(.serviceUnavailable, code: "PROVIDER_UNAVAILABLE", message: "embedding provider \(provider) is unavailable; retry later")
        case .providerRejected(let provider, let status):
            APIError(.badGateway, code: "PROVIDER_ERROR", message: "embedding provider \(provider) refused the request (HTTP \(status))")
        }
    }

    var description: String {
        switch self {
        case .invalid(let message): "invalid request: \(message)"
        case .limitExceeded(_, let message, _, _): message
        case .modelNotFound(let name, _): "unknown model \(name.prefix(100))"
        case .shuttingDown: "shutting down"
        case .modelFailed: "the forward pass returned the wrong number of vectors"
        case .providerUnavailable(let provider): "provider \(provider) unavailable"
        case .providerRejected(let provider, let status): "provider \(provider) answered HTTP \(status)"
        }
    }
}
