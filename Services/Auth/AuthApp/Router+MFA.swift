import CairnPostgres
import CairnAuthKit
import Foundation
import Hummingbird

/// TOTP enrolment for the signed-in user: enroll (secret + otpauth URL), confirm with a code
/// (MFA on, recovery codes shown once), disable with a code.
extension AuthAPI {
    struct Enrolment: ResponseEncodable {
        var secret: String
        var otpauthURL: String

        enum CodingKeys: String, CodingKey {
            case secret
            case otpauthURL = "otpauth_url"
        }
    }

    struct CodeRequest: Decodable {
        var code: String
    }

    struct RecoveryCodes: ResponseEncodable {
        var recoveryCodes: [String]

        enum CodingKeys: String, CodingKey {
            case recoveryCodes = "recovery_codes"
        }
    }

    func addMFARoutes(to group: RouterGroup<AuthRequestContext>) {
        group.post("/v1/auth/mfa/enroll") { _, context in
            let user = try await currentUser(context)
            guard !user.mfaEnabled else { throw AuthError.conflict("MFA is already enabled; disable it first") }
            let enrolment = try await mfa.enroll(userID: user.id, tenantID: user.tenantID, label: user.email)
            return Enrolment(secret: enrolment.secret, otpauthURL: enrolment.url)
        }
        group.post("/v1/auth/mfa/confirm") { request, context in
            let user = try await currentUser(context)
            let body = try await request.decode(as: CodeRequest.self, context: context)
            guard !user.mfaEnabled, user.mfaSecret != nil else { throw AuthError.conflict("start with /v1/auth/mfa/enroll") }
            let origin = request.origin(context: context)
            guard mfa.check(code: body.code, sealedSecret: user.mfaSecret) else { try await wrongCode(user, code: body.code, origin: origin, action: "user.mfa_enable") }
            let codes = try await client.transaction(logger: logger) { connection in
                let codes = try await mfa.enable(userID: user.id, on: connection)
                try await audit.record(
                    AuditEntry(tenantID: user.tenantID, actorType: .user, actorID: user.id.lowercased, action: "user.mfa_enable",
                               targetType: "user", targetID: user.id.lowercased),
                    origin: origin, on: connection
                )
                return codes
            }
            return RecoveryCodes(recoveryCodes: codes)
        }
        group.post("/v1/auth/mfa/disable") { request, context in
            let user = try await currentUser(context)
            let body = try await request.decode(as: CodeRequest.self, context: context)
            guard user.mfaEnabled else { throw AuthError.conflict("MFA is not enabled") }
            let origin = request.origin(context: context)
            guard mfa.check(code: body.code, sealedSecret: user.mfaSecret) else { try await wrongCode(user, code: body.code, origin: origin, action: "user.mfa_disable") }
            try await client.transaction(logger: logger) { connection in
                try await mfa.disable(userID: user.id, on: connection)
                try await audit.record(
                    AuditEntry(tenantID: user.tenantID, actorType: .user, actorID: user.id.lowercased, action: "user.mfa_disable",
                               targetType: "user", targetID: user.id.lowercased),
                    origin: origin, on: connection
                )
            }
            return HTTPResponse.Status.noContent
        }
    }

    /// The signed-in user (not an API key or service), while the account is active: a locked
    /// or disabled account's unexpired tokens cannot change its second factor.
    func currentUser(_ context: AuthRequestContext) async throws -> User {
        let identity = try context.requireIdentity()
        guard identity.kind == .user, let tenant = identity.tenantID, let id = UUID(uuidString: identity.subject) else {
            throw AuthError.invalid("this needs a signed-in user")
        }
        guard let user = try await accounts.activeUser(id: id, tenantID: tenant) else { throw AuthError.invalidCredentials }
        return user
    }

    /// A wrong code for a signed-in user counts towards the lockout like a wrong password, so a
    /// stolen session cannot guess its way to changing the second factor.
    private func wrongCode(_ user: User, code: String, origin: RequestOrigin, action: String) async throws -> Never {
        // Not six digits is a typo, not a guess: refused without counting.
        guard code.count == 6, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else {
            throw AuthError.invalid("code must be 6 digits")
        }
        try await refuseLogin(
            "wrong_code", tenant: user.tenantID, user: user.id, email: user.email, origin: origin, countFailure: true, action: action,
            refusal: .invalid("code does not match")
        )
    }
}
