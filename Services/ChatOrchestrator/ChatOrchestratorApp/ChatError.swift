import ServiceKit

/// The orchestrator's client errors, mapped to the one error shape in one place.
enum ChatError: Error, Sendable, Equatable, APIErrorConvertible {
    case invalid(String)
    /// Missing, or another user's or tenant's: the same answer either way.
    case notFound
    case limitExceeded(name: String, limit: Int, actual: Int)
    /// The same `Idempotency-Key` is still being answered by another request.
    case inProgress
    /// generation could not answer at all (no stream started).
    case generationUnavailable
    /// The `Idempotency-Key` was used before for a different request.
    case idempotencyKeyReused
    /// The default assistant cannot be deleted.
    case defaultAssistant

    var apiError: APIError {
        switch self {
        case .invalid(let message): .badRequest(message)
        case .notFound: .notFound()
        case .limitExceeded(let name, let limit, let actual):
            .limitExceeded(name, message: "\(name): \(actual); at most \(limit)", limit: limit, actual: actual)
        case .inProgress:
            APIError(.conflict, code: "IDEMPOTENCY_IN_PROGRESS", message: "a request with this Idempotency-Key is still being answered")
        case .idempotencyKeyReused:
            APIError(.unprocessableContent, code: "IDEMPOTENCY_KEY_REUSED",
                     message: "this Idempotency-Key was used for a different request; use a new key for a new request")
        case .defaultAssistant:
            APIError(.conflict, code: "CONFLICT", message: "the default assistant cannot be deleted")
        case .generationUnavailable:
            APIError(.serviceUnavailable, code: "GENERATION_UNAVAILABLE", message: "the answer could not be generated; your message was kept")
        }
    }
}
