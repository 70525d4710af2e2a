import ServiceKit

/// ingestion's client errors, mapped to the one error shape in one place (with
/// ``ExtractionError``'s mapping below).
enum IngestionError: Error, APIErrorConvertible, Equatable {
    case invalid(String)
    case conflict(String)
    case notFound
    /// A request body over `limit` bytes (the upload limit plus the form's allowance, or the API's).
    case bodyTooLarge(limit: Int, what: String)

    var apiError: APIError {
        switch self {
        case .invalid(let message): .badRequest(message)
        case .conflict(let message): APIError(.conflict, code: "CONFLICT", message: message)
        case .notFound: .notFound()
        case .bodyTooLarge(let limit, let what):
            APIError(.contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "\(what) is larger than the limit of \(limit) bytes",
                     details: ["limit_bytes": .number(limit)])
        }
    }
}

/// The processing core's errors as HTTP answers: 413 too large, 415 unsupported type, 422 a
/// document that cannot be processed, each message naming the limit; our own failures a 500.
extension ExtractionError: APIErrorConvertible {
    public var apiError: APIError {
        switch category {
        case .tooLarge:
            var details: [String: ErrorDetail] = [:]
            if case .tooLarge(_, let limit) = self { details["limit_bytes"] = .number(limit) }
            return APIError(.contentTooLarge, code: code, message: reason, details: details)
        case .unsupportedMediaType: return APIError(.unsupportedMediaType, code: code, message: reason)
        case .unprocessable: return APIError(.unprocessableContent, code: code, message: reason)
        case .internal: return .internalError
        }
    }
}
