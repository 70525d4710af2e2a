import Hummingbird

/// Auth's answer to `POST /v1/api-keys/introspect` (the gateway's question): whether the key
/// is live, whose identity it carries, and a short-lived access token for that identity that the
/// gateway forwards to the services behind it, so they verify one kind of credential.
public struct KeyIntrospection: Codable, Sendable, ResponseEncodable {
    public var active: Bool
    public var identity: Identity?
    public var accessToken: String?
    public var expiresIn: Int?

    public init(active: Bool, identity: Identity? = nil, accessToken: String? = nil, expiresIn: Int? = nil) {
        self.active = active
        self.identity = identity
        self.accessToken = accessToken
        self.expiresIn = expiresIn
    }

    enum CodingKeys: String, CodingKey {
        case active, identity
        case accessToken = "access_token"
        case expiresIn = "expires_in"
    }
}
