import Foundation
import Hummingbird

/// An error a client is meant to see: status, a stable machine-readable code, a human message,
/// optional details. Rendered as the one error shape of ARCHITECTURE.md by ``ErrorMiddleware``:
/// `{"error": {"code": ..., "message": ..., "details": {...}, "request_id": ...}}`.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: [String: ErrorDetail]

    public init(_ status: HTTPResponse.Status, code: String, message: String, details: [String: ErrorDetail] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
    }

    public static func badRequest(_ message: String, details: [String: ErrorDetail] = [:]) -> APIError {
        APIError(.badRequest, code: "INVALID_REQUEST", message: message, details: details)
    }

    public static func notFound(_ message: String = "not found") -> APIError {
        APIError(.notFound, code: "NOT_FOUND", message: message)
    }

    public static func payloadTooLarge(limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "PAYLOAD_TOO_LARGE", message: "request body exceeds \(limit) bytes",
                 details: ["limit_bytes": .number(limit)])
    }

    /// A request over one of a service's documented limits: `limitName` is the README's name
    /// for it, so clients and logs can tell which without parsing the message.
    public static func limitExceeded(_ limitName: String, message: String, limit: Int, actual: Int) -> APIError {
        APIError(.badRequest, code: "LIMIT_EXCEEDED", message: message, details: ["limit_name": .text(limitName), "limit": .number(limit), "actual": .number(actual)])
    }

    /// A `model` no provider of this service serves, naming those it does.
    public static func modelNotFound(_ name: String, available: [String]) -> APIError {
        APIError(.notFound, code: "MODEL_NOT_FOUND", message: "model \"\(name.prefix(100))\" is not served here; available: \(available.joined(separator: ", "))")
    }

    public static let internalError = APIError(.internalServerError, code: "INTERNAL", message: "internal error")
}

/// One value in an error's `details`: text, or a number where the value is one (a limit, a
/// count), so clients need not parse it.
public enum ErrorDetail: Sendable, Hashable, Codable, ExpressibleByStringInterpolation, ExpressibleByIntegerLiteral {
    case text(String)
    case number(Int)

    public init(stringLiteral value: String) { self = .text(value) }
    public init(stringInterpolation: DefaultStringInterpolation) { self = .text(String(stringInterpolation: stringInterpolation)) }
    public init(integerLiteral value: Int) { self = .number(value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = if let number = try? container.decode(Int.self) { .number(number) } else { .text(try container.decode(String.self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .text(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        }
    }
}

/// A domain error that knows which client error it is (``APIError/from(_:)`` uses it), so each
/// service maps its errors in one place: the error type itself.
public protocol APIErrorConvertible: Error {
    var apiError: APIError { get }
}

/// The JSON body of every error response.
public struct ErrorBody: Codable, Sendable, Equatable {
    public struct Detail: Codable, Sendable, Equatable {
        public var code: String
        public var message: String
        public var details: [String: ErrorDetail]?
        public var requestID: String

        enum CodingKeys: String, CodingKey {
            case code, message, details
            case requestID = "request_id"
        }
    }

    public var error: Detail
}

extension APIError {
    /// The one place an error becomes an HTTP response.
    public func response(requestID: String) -> Response {
        let body = ErrorBody(error: .init(code: code, message: message, details: details.isEmpty ? nil : details, requestID: requestID))
        let data = (try? JSONEncoder().encode(body)) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Maps any error to what the client may see. Unknown errors are a bare 500: their detail
    /// goes to the log only.
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as any APIErrorConvertible:
            return error.apiError
        case let error as HTTPError:
            return APIError(error.status, code: code(for: error.status),
                            message: error.status.code < 500 ? (error.body ?? error.status.reasonPhrase) : "internal error")
        case is DecodingError:
            return .badRequest("request body is not valid for this endpoint")
        default:
            return .internalError
        }
    }

    /// Stable codes for statuses raised by the framework itself.
    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "INVALID_REQUEST"
        case 401: "UNAUTHENTICATED"
        case 403: "FORBIDDEN"
        case 404: "NOT_FOUND"
        case 405: "METHOD_NOT_ALLOWED"
        case 408: "REQUEST_TIMEOUT"
        case 409: "CONFLICT"
        case 413: "PAYLOAD_TOO_LARGE"
        case 415: "UNSUPPORTED_MEDIA_TYPE"
        case 422: "UNPROCESSABLE"
        case 429: "RATE_LIMITED"
        case 503: "UNAVAILABLE"
        case 400..<500: "CLIENT_ERROR"
        default: "INTERNAL"
        }
    }
}
