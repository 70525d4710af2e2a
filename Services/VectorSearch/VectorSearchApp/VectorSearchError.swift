import ServiceKit

/// vector-search's client errors, mapped to the one error shape in one place.
enum VectorSearchError: Error, APIErrorConvertible, Equatable {
    case invalid(String)
    case notFound
    /// The embedding service could not turn the query text into a vector and the strategy
    /// needs one.
    case embeddingUnavailable

    var apiError: APIError {
        switch self {
        case .invalid(let message): .badRequest(message)
        case .notFound: .notFound()
        case .embeddingUnavailable:
            APIError(.serviceUnavailable, code: "EMBEDDING_UNAVAILABLE", message: "the query text could not be embedded; retry, pass a vector, or use strategy lexical")
        }
    }
}
