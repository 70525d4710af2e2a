import ServiceKit

/// auth's client errors, mapped to the one error shape in one place.
enum AuthError: Error, APIErrorConvertible, Equatable {
    /// Wrong email, password, tenant, or an account that may not log in: one answer for all,
    /// so the response never tells which.
    case invalidCredentials
    case invalidToken
    case invalid(String)
    case conflict(String)
    case registrationClosed
    case notFound

    var apiError: APIError {
        switch self {
        case .invalidCredentials: APIError(.unauthorized, code: "INVALID_CREDENTIALS", message: "invalid credentials")
        case .invalidToken: APIError(.unauthorized, code: "INVALID_TOKEN", message: "token is invalid, expired or already used")
        case .invalid(let message): .badRequest(message)
        case .conflict(let message): APIError(.conflict, code: "CONFLICT", message: message)
        case .registrationClosed: APIError(.forbidden, code: "REGISTRATION_CLOSED", message: "registration is by invitation only")
        case .notFound: .notFound()
        }
    }
}
