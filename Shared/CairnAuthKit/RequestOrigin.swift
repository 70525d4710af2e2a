import Foundation
import Hummingbird

/// Who did something, from where, for audit events: taken from the request (the gateway
/// passes the client's address in `X-Forwarded-For`).
public struct RequestOrigin: Sendable {
    /// At most 64 characters.
    public var ip: String
    /// At most 256 characters.
    public var userAgent: String
    public var requestID: String

    public init(ip: String, userAgent: String, requestID: String) {
        self.ip = ip
        self.userAgent = userAgent
        self.requestID = requestID
    }
}

extension Request {
    /// Where the request came from: the first `X-Forwarded-For` address (set by the
    /// gateway), else the peer; the user agent; the request id.
    public func origin(context: IdentityRequestContext) -> RequestOrigin {
        let forwarded = headers[.init("X-Forwarded-For")!]?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
        let peer = context.peer ?? ""
        return RequestOrigin(
            ip: String((forwarded ?? peer).prefix(64)), userAgent: String((headers[.userAgent] ?? "").prefix(256)),
            requestID: context.requestID
        )
    }
}
