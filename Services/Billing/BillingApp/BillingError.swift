import ServiceKit

/// billing's client errors, mapped to the one error shape in one place.
enum BillingError: Error, APIErrorConvertible, Equatable {
    case invalid(String)
    case conflict(String)
    case forbidden(String)
    case notFound

    var apiError: APIError {
        switch self {
        case .invalid(let message): .badRequest(message)
        case .conflict(let message): APIError(.conflict, code: "CONFLICT", message: message)
        case .forbidden(let message): APIError(.forbidden, code: "FORBIDDEN", message: message)
        case .notFound: .notFound()
        }
    }
}
