/// Who an identity is, coarsely. Each role's permissions include those of the roles it inherits.
public enum Role: String, Sendable, Codable, CaseIterable, Comparable {
    case member
    case tenantAdmin = "tenant_admin"
    case systemAdmin = "system_admin"
    /// Another Cairn service (client-credentials tokens); not a person, not bound to one tenant.
    case service

    /// The role this one builds on.
    public var inherits: Role? {
        switch self {
        case .member, .service: nil
        case .tenantAdmin: .member
        case .systemAdmin: .tenantAdmin
        }
    }

    /// Whether identities of this role act on many tenants and so must name the tenant they act on.
    public var spansTenants: Bool { self == .systemAdmin || self == .service }

    /// Everything the role grants, inherited permissions included. The one table of the platform:
    /// README "Roles and permissions" lists it.
    public var permissions: Set<Permission> {
        Self.ownPermissions[self, default: []].union(inherits?.permissions ?? [])
    }

    /// What each role adds to the one it inherits.
    static let ownPermissions: [Role: Set<Permission>] = [
        // People and their API keys search, embed and generate within their own tenant: the
        // OpenAI-compatible endpoints are part of the product, not only internal plumbing.
        .member: [
            "documents:read", "documents:write", "chat:create", "chat:read", "assistants:read", "usage:read",
            "search:query", "embeddings:create", "generation:create",
        ],
        .tenantAdmin: [
            "documents:delete", "assistants:write", "billing:read", "billing:manage", "users:read", "users:manage",
            "api_keys:read", "api_keys:manage", "audit:read",
        ],
        .systemAdmin: ["admin:*"],
        .service: [
            "api_keys:introspect", "audit:write", "usage:write", "usage:read", "documents:*", "chat:*", "assistants:read",
            "embeddings:create", "search:query", "search:write", "generation:create", "billing:read", "quota:read",
        ],
    ]

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}
