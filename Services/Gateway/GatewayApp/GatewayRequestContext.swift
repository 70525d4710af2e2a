import CairnAuthKit
import Hummingbird
import ServiceKit

/// The gateway's request state: the kit's, the connection's peer, and once established the
/// caller's credential and the rate-limit decision (its headers go on every answer).
public struct GatewayRequestContext: AuthenticatedRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""
    public var bodyLimit: Int = 1 << 20
    public var identity: Identity?
    /// The connection's peer address (the client, unless proxies stand in front).
    public let peer: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peer = source.channel.remoteAddress?.ipAddress
    }

    public var maxUploadSize: Int { bodyLimit }
}
