import CairnAuthKit
import Foundation
import Hummingbird
import ServiceKit

/// auth's request state: the kit's, plus the caller's identity on authenticated routes.
public struct AuthRequestContext: AuthenticatedRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""
    public var bodyLimit: Int = 1 << 20
    public var identity: Identity?
    /// The connection's peer address.
    public let peer: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peer = source.channel.remoteAddress?.ipAddress
    }

    public var maxUploadSize: Int { bodyLimit }

    /// ISO 8601 dates and sorted keys in every JSON answer.
    public var responseEncoder: JSONEncoder { Self.encoder }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}

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
