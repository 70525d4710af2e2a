import Foundation
import JWTKit

/// The claims of a Cairn access token (an Ed25519-signed JWT issued by auth).
///
/// `sub` is the user id, API key id or service name; `tid` the tenant (absent for services);
/// `role` and `scope` (space-separated permissions) what it may do; `kind` what `sub` is.
public struct AccessTokenClaims: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var tid: String?
    public var role: String
    public var scope: String
    public var kind: String
    public var iss: IssuerClaim
    public var aud: AudienceClaim
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var nbf: NotBeforeClaim?
    public var jti: IDClaim

    public init(identity: Identity, issuer: String, audience: String, issuedAt: Date, lifetime: Duration, tokenID: String) {
        sub = SubjectClaim(value: identity.subject)
        tid = identity.tenantID?.uuidString.lowercased()
        role = identity.role.rawValue
        scope = identity.scopes.scopeString
        kind = identity.kind.rawValue
        iss = IssuerClaim(value: issuer)
        aud = AudienceClaim(value: [audience])
        // Whole seconds, as the JWT NumericDate is read back.
        let now = Date(timeIntervalSince1970: issuedAt.timeIntervalSince1970.rounded(.down))
        iat = IssuedAtClaim(value: now)
        exp = ExpirationClaim(value: now.addingTimeInterval(TimeInterval(lifetime.components.seconds)))
        nbf = NotBeforeClaim(value: now)
        jti = IDClaim(value: tokenID)
    }

    /// Signature checks happen in jwt-kit; the time, issuer and audience checks need settings
    /// and are made by ``TokenVerifier``.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}

    /// The identity the claims describe, or nil if any claim is malformed.
    public var identity: Identity? {
        guard let role = Role(rawValue: role), let kind = Identity.Kind(rawValue: kind),
              let scopes = Set<Permission>(scope: scope), !sub.value.isEmpty
        else { return nil }
        var tenant: UUID?
        if let tid {
            guard let parsed = UUID(uuidString: tid) else { return nil }
            tenant = parsed
        }
        guard tenant != nil || role == .service else { return nil }
        return Identity(kind: kind, subject: sub.value, tenantID: tenant, role: role, scopes: scopes, tokenID: jti.value)
    }
}
