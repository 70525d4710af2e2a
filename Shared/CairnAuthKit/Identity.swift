import Foundation

/// Who is making a request, as established by a verified token (or, at the gateway, an API key).
public struct Identity: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable {
        case user
        case apiKey = "api_key"
        case service
    }

    public var kind: Kind
    /// User id, API key id or service name.
    public var subject: String
    /// The tenant the identity belongs to; nil only for service identities.
    public var tenantID: UUID?
    public var role: Role
    /// What the credential was granted; only the part the role allows is effective.
    public var scopes: Set<Permission>
    /// The token's `jti`, when the identity came from a token.
    public var tokenID: String?

    public init(kind: Kind, subject: String, tenantID: UUID?, role: Role, scopes: Set<Permission>, tokenID: String? = nil) {
        self.kind = kind
        self.subject = subject
        self.tenantID = tenantID
        self.role = role
        self.scopes = scopes
        self.tokenID = tokenID
    }

    /// Whether the identity may do `permission`: its scopes must grant it and its role must too
    /// (a scope wider than the role gives nothing extra).
    public func has(_ permission: Permission) -> Bool {
        scopes.grants(permission) && role.permissions.grants(permission)
    }

    enum CodingKeys: String, CodingKey {
        case kind, subject, role, scopes
        case tenantID = "tenant_id"
        case tokenID = "token_id"
    }
}
