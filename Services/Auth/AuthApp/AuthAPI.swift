import CairnAuthKit
import CairnProtos
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// Everything auth's routes use, built once by ``AuthService``.
struct AuthAPI: Sendable {
    let config: AuthConfig
    let client: PostgresClient
    let accounts: AccountStore
    let refreshTokens: RefreshTokenStore
    let apiKeys: APIKeyStore
    let mfa: MFAStore
    let keys: SigningKeyStore
    let issuer: TokenIssuer
    let passwords: PasswordPolicy
    let audit: AuditLog
    let verifier: TokenVerifier
    let logger: Logger
    /// How long an invitation can be accepted.
    static let invitationLifetime: Duration = .seconds(7 * 86_400)

    init(config: AuthConfig, client: PostgresClient, logger: Logger) {
        self.config = config
        self.client = client
        self.logger = logger
        let box = SecretBox(keyEncryptionKey: config.keyEncryptionKey)
        accounts = AccountStore(client: client, logger: logger)
        refreshTokens = RefreshTokenStore(client: client, lifetime: config.refreshTokenLifetime, logger: logger)
        apiKeys = APIKeyStore(client: client, logger: logger)
        mfa = MFAStore(client: client, box: box, logger: logger)
        let longestToken = max(config.accessTokenLifetime, config.serviceTokenLifetime)
        keys = SigningKeyStore(
            client: client, box: box, rotationPeriod: config.signingKeyRotation, retiredKeyGrace: longestToken + .seconds(120), logger: logger
        )
        issuer = TokenIssuer(keys: keys, issuer: config.issuer, audience: config.audience)
        passwords = PasswordPolicy(cost: config.bcryptCost)
        audit = AuditLog(client: client, logger: logger)
        verifier = TokenVerifier(
            keys: PublicKeyCache(source: keys, minimumRefreshInterval: .seconds(1), logger: logger),
            settings: TokenVerificationSettings(issuer: config.issuer, audience: config.audience)
        )
    }

    /// Starts a session (a new refresh-token family) inside the caller's transaction. The access
    /// token is signed after commit (``tokenPair(for:refreshToken:)``): signing may need a pool
    /// connection of its own to load the key, which must not wait behind an open transaction.
    func startSession(for user: User, on connection: PostgresConnection) async throws -> String {
        try await refreshTokens.issue(userID: user.id, tenantID: user.tenantID, on: connection)
    }

    func tokenPair(for user: User, refreshToken: String) async throws -> TokenPair {
        let access = try await issuer.accessToken(for: user.identity, lifetime: config.accessTokenLifetime)
        return TokenPair(
            accessToken: access.token, expiresIn: access.expiresIn, refreshToken: refreshToken,
            refreshExpiresIn: Int(config.refreshTokenLifetime.components.seconds)
        )
    }

    /// The tenant a request acts on: the caller's own, or for system admins and services the
    /// one named by `?tenant_id=` (required for them). Another tenant's id answers 404.
    func actingTenant(_ request: Request, context: AuthRequestContext, _ permission: Permission) async throws -> (Identity, UUID) {
        let identity = try context.requireIdentity()
        var named: UUID?
        if let raw = request.uri.queryParameters["tenant_id"] {
            guard let id = UUID(uuidString: String(raw)) else { throw AuthError.invalid("tenant_id must be a UUID") }
            named = id
        }
        let tenant = try authorize(identity, permission, resourceTenant: named)
        // A platform identity may name any tenant: one that does not exist is a 404 here, not
        // a foreign-key failure later.
        if named != nil, identity.role.spansTenants, try await accounts.tenant(id: tenant) == nil { throw AuthError.notFound }
        return (identity, tenant)
    }

    /// The actor of an audit line from an identity.
    static func actor(_ identity: Identity) -> (type: Cairn_V1_ActorType, id: String) {
        switch identity.kind {
        case .user: (.user, identity.subject)
        case .apiKey: (.apiKey, identity.subject)
        case .service: (.service, identity.subject)
        }
    }
}

extension UUID {
    /// A path parameter as a UUID; anything else is a 404, as for an unknown id.
    init(parameter: String?) throws {
        guard let parameter, let id = UUID(uuidString: parameter) else { throw AuthError.notFound }
        self = id
    }
}
