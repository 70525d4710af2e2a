import Foundation
import Hummingbird
import ServiceKit

/// The request state of a service whose routes take verified identities: the kit's, the
/// caller's identity (set by ``AuthenticationMiddleware``) and the connection's peer address;
/// ISO 8601 dates and sorted keys in every JSON answer. A service that needs nothing more uses
/// it as it is (billing); one that does defines its own.
public struct IdentityRequestContext: AuthenticatedRequestContext {
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

    public var responseEncoder: JSONEncoder { Self.encoder }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()
}
