import Foundation

/// The exit codes a script can rely on (documented in the README's CLI section).
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    case failure = 1
    case usage = 2
    case authentication = 3
    case notFound = 4
    case limited = 5
    case unreachable = 6
    case server = 7

    /// The exit status for an HTTP error status.
    init(httpStatus: Int) {
        switch httpStatus {
        case 401, 403: self = .authentication
        case 404: self = .notFound
        case 429: self = .limited
        case 500...599: self = .server
        default: self = .failure
        }
    }
}

/// Everything the CLI reports as one line on stderr and an exit status.
public struct CLIError: Error, CustomStringConvertible, Sendable {
    public var status: ExitStatus
    public var message: String
    /// The server's stable error code (`QUOTA_EXCEEDED`, ...), when the server answered.
    public var code: String?
    public var httpStatus: Int?
    public var requestID: String?

    public init(_ status: ExitStatus, _ message: String, code: String? = nil, httpStatus: Int? = nil, requestID: String? = nil) {
        self.status = status
        self.message = message
        self.code = code
        self.httpStatus = httpStatus
        self.requestID = requestID
    }

    /// `message (CODE, HTTP 429, request id ...)`; never contains credentials.
    public var description: String {
        var facts: [String] = []
        if let code { facts.append(code) }
        if let httpStatus { facts.append("HTTP \(httpStatus)") }
        if let requestID { facts.append("request id \(requestID)") }
        return facts.isEmpty ? message : "\(message) (\(facts.joined(separator: ", ")))"
    }

    static func usage(_ message: String) -> CLIError { CLIError(.usage, message) }
    static func notLoggedIn(_ profile: String) -> CLIError {
        CLIError(.authentication, "not logged in (profile \(profile)); run `cairn login` first")
    }

    /// Builds the error for a non-2xx answer from the error shape `{"error": {code, message, details, request_id}}`.
    static func fromResponse(status: Int, body: Data, requestID: String?) -> CLIError {
        struct Envelope: Decodable {
            struct Body: Decodable {
                var code: String
                var message: String
                var requestId: String?
            }
            var error: Body
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        if let envelope = try? decoder.decode(Envelope.self, from: body) {
            return CLIError(ExitStatus(httpStatus: status), envelope.error.message, code: envelope.error.code,
                            httpStatus: status, requestID: envelope.error.requestId ?? requestID)
        }
        return CLIError(ExitStatus(httpStatus: status), "the server answered HTTP \(status)", httpStatus: status, requestID: requestID)
    }
}
