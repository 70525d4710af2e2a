import CairnAuthKit
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import ServiceKit

/// The gateway's request state: the kit's, the caller's identity, the connection's peer and
/// the connection itself (an admitted WebSocket upgrade is handed to its socket handler by
/// connection, see ``UpgradeHandoff``), and the socket handler the WebSocket router sets.
public struct GatewayRequestContext: AuthenticatedRequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String = ""
    public var bodyLimit: Int = 1 << 20
    public var identity: Identity?
    /// The connection's peer address.
    public let peer: String?
    /// The connection the request came on.
    let channel: any Channel
    public let webSocket: WebSocketHandlerReference<Self>

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress
        channel = source.channel
        webSocket = .init()
    }

    public var maxUploadSize: Int { bodyLimit }
}
