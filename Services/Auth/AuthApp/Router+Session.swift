import CairnPostgres
import CairnAuthKit
import Foundation
import Hummingbird
import PostgresNIO

/// Registration, login (with the MFA step), refresh, logout and `me`.
extension AuthAPI {
    struct RegisterRequest: Decodable {
        var organisation: String?
        var email: String?
        var password: String
        var displayName: String?
        var invitationToken: String?

        enum CodingKeys: String, CodingKey {
            case organisation, email, password
            case displayName = "display_name"
            case invitationToken = "invitation_token"
        }
    }

    struct SessionResponse: ResponseEncodable {
        var tenant: Tenant?
        var user: UserView
        var tokens: TokenPair
    }

    struct LoginRequest: Decodable {
        var tenant: String
        var email: String
        var password: String
    }

    struct MFAChallengeResponse: ResponseEncodable {
        var mfaRequired = true
        var mfaToken: String
        var expiresIn = Int(MFAStore.challengeLifetime)

        enum CodingKeys: String, CodingKey {
            case mfaRequired = "mfa_required"
            case mfaToken = "mfa_token"
            case expiresIn = "expires_in"
        }
    }

    struct MFALoginRequest: Decodable {
        var mfaToken: String
        var code: String?
        var recoveryCode: String?

        enum CodingKeys: String, CodingKey {
            case code
            case mfaToken = "mfa_token"
            case recoveryCode = "recovery_code"
        }
    }

    struct RefreshRequest: Decodable {
        var refreshToken: String

        enum CodingKeys: String, CodingKey {
            case refreshToken = "refresh_token"
        }
    }

    struct MeResponse: ResponseEncodable {
        var identity: Identity
        var permissions: [String]
        var user: UserView?
        var tenant: Tenant?
    }

    func addSessionRoutes(to router: Router<AuthRequestContext>, authenticated: RouterGroup<AuthRequestContext>) {
        router.post("/v1/auth/register") { request, context in
            let body = try await request.decode(as: RegisterRequest.self, context: context)
            return try await EditedResponse(status: .created, response: register(body, origin: request.origin(context: context)))
        }
        router.post("/v1/auth/login") { request, context in
            let body = try await request.decode(as: LoginRequest.self, context: context)
            return try await login(body, origin: request.origin(context: context))
        }
        router.post("/v1/auth/login/mfa") { request, context in
            let body = try await request.decode(as: MFALoginRequest.self, context: context)
            return try await completeMFALogin(body, origin: request.origin(context: context))
        }
        router.post("/v1/auth/refresh") { request, context in
            let body = try await request.decode(as: RefreshRequest.self, context: context)
            return try await refresh(body.refreshToken, origin: request.origin(context: context))
        }
        router.post("/v1/auth/logout") { request, context in
            let body = try await request.decode(as: RefreshRequest.self, context: context)
            let origin = request.origin(context: context)
            try await client.transaction(logger: logger) { connection in
                guard let (user, tenant) = try await refreshTokens.revokeFamily(of: body.refreshToken, on: connection) else { return }
                try await audit.record(
                    AuditEntry(tenantID: tenant, actorType: .user, actorID: user.lowercased, action: "auth.logout"), origin: origin, on: connection
                )
            }
            return HTTPResponse.Status.noContent
        }
        authenticated.post("/v1/auth/logout-all") { request, context in
            let identity = try context.requireIdentity()
            guard identity.kind == .user, let tenant = identity.tenantID, let user = UUID(uuidString: identity.subject) else {
                throw AuthError.invalid("only users have sessions")
            }
            let origin = request.origin(context: context)
            try await client.transaction(logger: logger) { connection in
                let families = try await refreshTokens.revokeAll(userID: user, on: connection)
                try await audit.record(
                    AuditEntry(tenantID: tenant, actorType: .user, actorID: identity.subject, action: "auth.logout_all",
                               details: ["sessions_revoked": "\(families)"]),
                    origin: origin, on: connection
                )
            }
            return HTTPResponse.Status.noContent
        }
        authenticated.get("/v1/auth/me") { _, context in
            let identity = try context.requireIdentity()
            var response = MeResponse(
                identity: identity, permissions: identity.role.permissions.filter { identity.scopes.grants($0) }.map(\.description).sorted()
            )
            if let tenant = identity.tenantID {
                response.tenant = try await accounts.tenant(id: tenant)
                if identity.kind == .user, let id = UUID(uuidString: identity.subject) {
                    response.user = try await accounts.user(id: id, tenantID: tenant).map(UserView.init)
                }
            }
            return response
        }
    }

    func register(_ body: RegisterRequest, origin: RequestOrigin) async throws -> SessionResponse {
        let displayName = try AccountInput.name(body.displayName ?? "", field: "display_name", required: false)
        if let invitation = body.invitationToken {
            return try await registerByInvitation(token: invitation, password: body.password, displayName: displayName, origin: origin)
        }
        guard config.openRegistration else { throw AuthError.registrationClosed }
        guard let rawEmail = body.email, let email = AccountInput.email(rawEmail) else { throw AuthError.invalid("email is not a valid address") }
        let organisation = try AccountInput.name(body.organisation ?? "", field: "organisation")
        if let problem = PasswordPolicy.problem(with: body.password, email: email) { throw AuthError.invalid(problem) }
        let hash = try await passwords.hash(body.password)
        let (tenant, user, refresh) = try await client.transaction(logger: logger) { connection in
            let tenant = try await accounts.createTenant(name: organisation, on: connection)
            let user = try await accounts.createUser(
                tenantID: tenant.id, email: email, displayName: displayName, passwordHash: hash, role: .tenantAdmin, on: connection
            )
            try await audit.record(
                AuditEntry(tenantID: tenant.id, actorType: .user, actorID: user.id.lowercased, action: "tenant.create",
                           targetType: "tenant", targetID: tenant.id.lowercased, details: ["slug": tenant.slug]),
                origin: origin, on: connection
            )
            return (tenant, user, try await startSession(for: user, on: connection))
        }
        logger.info("tenant registered", metadata: ["tenant_id": "\(tenant.id)", "user_id": "\(user.id)"])
        return SessionResponse(tenant: tenant, user: UserView(user), tokens: try await tokenPair(for: user, refreshToken: refresh))
    }

    private func registerByInvitation(token: String, password: String, displayName: String, origin: RequestOrigin) async throws -> SessionResponse {
        guard password.count >= PasswordPolicy.minimumLength else {
            throw AuthError.invalid("password must be at least \(PasswordPolicy.minimumLength) characters")
        }
        let hash = try await passwords.hash(password)
        let (user, refresh) = try await client.transaction(logger: logger) { connection in
            guard let invitation = try await accounts.acceptInvitation(token: token, on: connection) else { throw AuthError.invalidToken }
            if let problem = PasswordPolicy.problem(with: password, email: invitation.email) { throw AuthError.invalid(problem) }
            let user = try await accounts.createUser(
                tenantID: invitation.tenantID, email: invitation.email, displayName: displayName, passwordHash: hash, role: invitation.role,
                on: connection
            )
            try await audit.record(
                AuditEntry(tenantID: user.tenantID, actorType: .user, actorID: user.id.lowercased, action: "user.join",
                           targetType: "user", targetID: user.id.lowercased, details: ["role": user.role.rawValue]),
                origin: origin, on: connection
            )
            return (user, try await startSession(for: user, on: connection))
        }
        return SessionResponse(
            tenant: try await accounts.tenant(id: user.tenantID), user: UserView(user), tokens: try await tokenPair(for: user, refreshToken: refresh)
        )
    }

    /// Password login. Every refusal looks the same to the client and costs one bcrypt check,
    /// whether the tenant or email exist or not; the audit log records the real reason.
    /// A session, or the MFA challenge to complete first.
    enum LoginResult: ResponseGenerator {
        case session(SessionResponse)
        case challenge(MFAChallengeResponse)

        func response(from request: Request, context: some RequestContext) throws -> Response {
            switch self {
            case .session(let session): try session.response(from: request, context: context)
            case .challenge(let challenge): try challenge.response(from: request, context: context)
            }
        }
    }

    func login(_ body: LoginRequest, origin: RequestOrigin) async throws -> LoginResult {
        guard let email = AccountInput.email(body.email) else { throw AuthError.invalid("email is not a valid address") }
        guard body.tenant.count <= 64, body.password.utf8.count <= 1_024 else { throw AuthError.invalid("tenant or password too long") }
        let user = try await accounts.user(tenantSlug: body.tenant.lowercased(), email: email)
        let passwordMatches = try await passwords.verify(body.password, hash: user?.passwordHash)
        guard let user else {
            let tenant = try await accounts.tenant(slug: body.tenant.lowercased())
            try await refuseLogin("unknown_account", tenant: tenant?.id, user: nil, email: email, origin: origin)
        }
        if user.status == .disabled { try await refuseLogin("disabled", tenant: user.tenantID, user: user.id, email: email, origin: origin) }
        if user.isLocked(at: Date()) { try await refuseLogin("locked", tenant: user.tenantID, user: user.id, email: email, origin: origin) }
        guard passwordMatches else {
            try await refuseLogin("wrong_password", tenant: user.tenantID, user: user.id, email: email, origin: origin, countFailure: true)
        }
        if user.mfaEnabled {
            // Failures are forgotten only once the second factor is also right.
            return .challenge(MFAChallengeResponse(mfaToken: try await mfa.createChallenge(userID: user.id)))
        }
        return .session(try await completeLogin(user, details: [:], origin: origin))
    }

    /// Answers a failed login: audited with its reason (and, for `countFailure`, counted
    /// towards the lockout in the same transaction), then the one refusal every failure gets.
    func refuseLogin(
        _ reason: String, tenant: UUID?, user: UUID?, email: String, origin: RequestOrigin, countFailure: Bool = false,
        action: String = "auth.login", refusal: AuthError = .invalidCredentials
    ) async throws -> Never {
        try await client.transaction(logger: logger) { connection in
            if countFailure, let user, let tenant {
                let locked = try await accounts.recordFailedLogin(
                    userID: user, threshold: config.lockoutThreshold, window: config.lockoutWindow, lockFor: config.lockoutDuration,
                    on: connection
                )
                if locked {
                    try await audit.record(
                        AuditEntry(tenantID: tenant, actorType: .anonymous, actorID: "", action: "user.lockout", targetType: "user",
                                   targetID: user.lowercased, details: ["seconds": "\(config.lockoutDuration.components.seconds)"]),
                        origin: origin, on: connection
                    )
                    logger.warning("account locked", metadata: ["user_id": "\(user)"])
                }
            }
            try await audit.record(
                AuditEntry(tenantID: tenant ?? platformTenantID, actorType: user == nil ? .anonymous : .user, actorID: user?.lowercased ?? "",
                           action: action, targetType: "user", targetID: user?.lowercased ?? "", outcome: .failure,
                           details: ["reason": reason, "email": email]),
                origin: origin, on: connection
            )
        }
        throw refusal
    }

    /// The last step of every login: failures cleared (unless the account was locked or
    /// disabled meanwhile), the success audited, a session started.
    private func completeLogin(_ user: User, details: [String: String], origin: RequestOrigin) async throws -> SessionResponse {
        guard try await accounts.recordSuccessfulLogin(userID: user.id) else {
            try await refuseLogin("locked", tenant: user.tenantID, user: user.id, email: user.email, origin: origin)
        }
        let refresh = try await client.transaction(logger: logger) { connection in
            try await audit.record(
                AuditEntry(tenantID: user.tenantID, actorType: .user, actorID: user.id.lowercased, action: "auth.login",
                           targetType: "user", targetID: user.id.lowercased, details: details),
                origin: origin, on: connection
            )
            return try await startSession(for: user, on: connection)
        }
        return SessionResponse(tenant: nil, user: UserView(user), tokens: try await tokenPair(for: user, refreshToken: refresh))
    }

    /// The second login step. A wrong code counts towards the lockout like a wrong password,
    /// so the challenge's five tries cannot be renewed indefinitely by logging in again.
    func completeMFALogin(_ body: MFALoginRequest, origin: RequestOrigin) async throws -> SessionResponse {
        guard let userID = try await mfa.challengeUser(body.mfaToken) else { throw AuthError.invalidToken }
        guard let candidate = try await accounts.user(byID: userID),
              let user = try await accounts.activeUser(id: candidate.id, tenantID: candidate.tenantID)
        else { throw AuthError.invalidCredentials }
        var passed = false
        var method = "totp"
        if let code = body.code {
            if let step = mfa.step(of: code, sealedSecret: user.mfaSecret) {
                passed = try await mfa.useStep(step, userID: user.id)
            }
        } else if let recovery = body.recoveryCode {
            method = "recovery_code"
            passed = try await mfa.redeemRecoveryCode(recovery, userID: user.id)
        }
        guard passed else {
            try await refuseLogin("wrong_\(method)", tenant: user.tenantID, user: user.id, email: user.email, origin: origin,
                                  countFailure: true, action: "auth.login_mfa")
        }
        guard try await mfa.completeChallenge(body.mfaToken) else { throw AuthError.invalidToken }
        return try await completeLogin(user, details: ["mfa": method], origin: origin)
    }

    /// Rotates a refresh token. Reuse of a rotated token revokes its family; that revocation is
    /// committed (and audited) before the refusal is sent.
    func refresh(_ token: String, origin: RequestOrigin) async throws -> TokenPair {
        guard token.utf8.count <= 256 else { throw AuthError.invalidToken }
        let rotation = try await client.transaction(logger: logger) { connection in
            let rotation = try await refreshTokens.rotate(token, on: connection)
            if case .reused(let family, let user, let tenant) = rotation {
                try await audit.record(
                    AuditEntry(tenantID: tenant, actorType: .anonymous, actorID: "", action: "auth.token_family_revoked",
                               targetType: "user", targetID: user.lowercased, outcome: .denied,
                               details: ["family_id": family.lowercased, "reason": "refresh_token_reuse"]),
                    origin: origin, on: connection
                )
            }
            return rotation
        }
        switch rotation {
        case .invalid:
            throw AuthError.invalidToken
        case .reused(_, let user, _):
            logger.warning("refresh token reused; family revoked", metadata: ["user_id": "\(user)"])
            throw AuthError.invalidToken
        case .rotated(let next, let userID, let tenantID):
            guard let user = try await accounts.activeUser(id: userID, tenantID: tenantID) else { throw AuthError.invalidToken }
            return try await tokenPair(for: user, refreshToken: next)
        }
    }
}

extension UUID {
    /// The lower-case text form used in tokens, events and the audit log.
    var lowercased: String { uuidString.lowercased() }
}
