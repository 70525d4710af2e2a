import CairnAuthKit
import Foundation
import Hummingbird
import ServiceKit

/// auth's request state: the shared identity context (identity, peer, ISO 8601 JSON).
public typealias AuthRequestContext = IdentityRequestContext

extension Request {
    /// Where the request came from, for the audit log: the first `X-Forwarded-For` address
    /// (set by the gateway), else the peer.
    func origin(context: AuthRequestContext) -> RequestOrigin {
        let forwarded = headers[.init("X-Forwarded-For")!]?.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespaces) }
        let peer = context.peer ?? ""
        return RequestOrigin(
            ip: String((forwarded ?? peer).prefix(64)), userAgent: String((headers[.userAgent] ?? "").prefix(256)),
            requestID: context.requestID
        )
    }
}
