import CairnTesting
import Foundation
import HummingbirdOTP
import PostgresNIO
import Testing

/// TOTP second factor: enrolment, confirmation, the two-step login, recovery codes, the
/// challenge's attempt limit, disabling, and the secret sealed at rest.
@Suite struct MFATests {
    /// The current code of `secret`, as an authenticator app shows it.
    static func code(_ secret: String) -> String {
        String(format: "%06d", TOTP(secret: secret).compute())
    }

    /// A six-digit code that is none of the codes the server accepts around now.
    static func wrongCode(_ secret: String) -> String {
        let totp = TOTP(secret: secret)
        let now = Date()
        let accepted = Set([-90.0, -60, -30, 0, 30, 60, 90].map { totp.compute(date: now.addingTimeInterval($0)) })
        var candidate = 123_456
        while accepted.contains(candidate) { candidate += 1 }
        return String(format: "%06d", candidate)
    }

    /// Enrols and confirms MFA for `session`; returns the secret and the recovery codes.
    static func enable(_ auth: AuthHarness, _ session: Session) async throws -> (secret: String, recoveryCodes: [String]) {
        let enrolment = try await auth.post("/v1/auth/mfa/enroll", token: session.accessToken)
        try #require(enrolment.status == .ok, "\(enrolment.text)")
        let secret = try #require(enrolment.string("secret"))
        let confirmed = try await auth.post("/v1/auth/mfa/confirm", ["code": code(secret)], token: session.accessToken)
        try #require(confirmed.status == .ok, "\(confirmed.text)")
        return (secret, try #require(confirmed["recovery_codes"] as? [String]))
    }

    /// The password step of a login with MFA on: the challenge token.
    static func challenge(_ auth: AuthHarness, _ session: Session) async throws -> String {
        let login = try await auth.login(tenant: session.tenantSlug, email: session.email, password: session.password)
        try #require(login.status == .ok, "\(login.text)")
        #expect(login["mfa_required"] as? Bool == true)
        #expect(login["tokens"] == nil && !login.text.contains("access_token") && !login.text.contains("refresh_token"), "\(login.text)")
        return try #require(login.string("mfa_token"))
    }

    static func storedSecret(_ auth: AuthHarness, _ session: Session) async throws -> Data? {
        try await auth.withDatabase { client in
            var secret: Data?
            let rows = try await client.query("SELECT mfa_secret FROM users WHERE id = \(UUID(uuidString: session.userID)!)")
            for try await value in rows.decode(Data?.self) { secret = value }
            return secret
        }
    }

    @Test func enrolConfirmAndLogInWithACode() async throws {
        try await AuthHarness.run { auth in
            let user = try await auth.register()
            let enrolment = try await auth.post("/v1/auth/mfa/enroll", token: user.accessToken)
            #expect(enrolment.status == .ok, "\(enrolment.text)")
            let secret = try #require(enrolment.string("secret"))
            #expect(secret.count >= 16)
            let url = try #require(enrolment.string("otpauth_url"))
            #expect(url.hasPrefix("otpauth://totp/"), "\(url)")
            #expect(url.contains("secret="))
            #expect(url.contains("issuer=Cairn"), "\(url)")

            // Sealed at rest: neither the secret nor its bytes are in the column.
            let sealed = try #require(try await Self.storedSecret(auth, user))
            #expect(sealed != Data(secret.utf8))
            #expect(sealed.range(of: Data(secret.utf8)) == nil)
            #expect(!String(decoding: sealed, as: UTF8.self).contains(secret))

            // Not on until confirmed: login still gives tokens.
            let beforeConfirm = try await auth.login(tenant: user.tenantSlug, email: user.email, password: user.password)
            #expect(beforeConfirm.string("tokens", "access_token") != nil, "\(beforeConfirm.text)")

            let wrong = try await auth.post("/v1/auth/mfa/confirm", ["code": Self.wrongCode(secret)], token: user.accessToken)
            #expect(wrong.status == .badRequest, "\(wrong.text)")
            #expect(wrong.string("error", "message")?.isEmpty == false)
            for malformed in ["12345", "1234567", "abcdef", ""] {
                let reply = try await auth.post("/v1/auth/mfa/confirm", ["code": malformed], token: user.accessToken)
                #expect(reply.status == .badRequest, "\(malformed): \(reply.text)")
            }
            let confirmed = try await auth.post("/v1/auth/mfa/confirm", ["code": Self.code(secret)], token: user.accessToken)
            #expect(confirmed.status == .ok, "\(confirmed.text)")
            let codes = try #require(confirmed["recovery_codes"] as? [String])
            #expect(codes.count == 10)
            #expect(Set(codes).count == 10)
            #expect(codes.allSatisfy { $0.count >= 10 })
            // Still sealed after confirmation, and enabled.
            let stillSealed = try #require(try await Self.storedSecret(auth, user))
            #expect(stillSealed.range(of: Data(secret.utf8)) == nil)
            let me = try await auth.get("/v1/auth/me", token: user.accessToken)
            #expect(me.object("user")?["mfa_enabled"] as? Bool == true)
            #expect(!me.text.contains(secret))
            // Enrolling again while on is refused (it would replace the secret).
            #expect(try await auth.post("/v1/auth/mfa/enroll", token: user.accessToken).status == .conflict)

            // Two-step login.
            let token = try await Self.challenge(auth, user)
            let wrongStep = try await auth.post("/v1/auth/login/mfa", ["mfa_token": token, "code": Self.wrongCode(secret)])
            #expect(wrongStep.status == .unauthorized, "\(wrongStep.text)")
            #expect(wrongStep["access_token"] == nil && wrongStep["tokens"] == nil)
            let unknown = try await auth.post("/v1/auth/login/mfa", ["mfa_token": "mfa_forged", "code": Self.code(secret)])
            #expect(unknown.status == .unauthorized, "\(unknown.text)")
            let passed = try await auth.post("/v1/auth/login/mfa", ["mfa_token": token, "code": Self.code(secret)])
            #expect(passed.status == .ok, "\(passed.text)")
            let access = try #require(passed.string("tokens", "access_token"))
            #expect(passed.string("tokens", "refresh_token") != nil)
            let meAfter = try await auth.get("/v1/auth/me", token: access)
            #expect(meAfter.string("identity", "subject")?.lowercased() == user.userID.lowercased())

            // A used challenge is spent.
            let reused = try await auth.post("/v1/auth/login/mfa", ["mfa_token": token, "code": Self.code(secret)])
            #expect(reused.status == .unauthorized, "\(reused.text)")
            #expect(reused["tokens"] == nil)
        }
    }

    @Test func recoveryCodesWorkOnceEach() async throws {
        try await AuthHarness.run { auth in
            let user = try await auth.register()
            let (_, codes) = try await Self.enable(auth, user)

            let first = try await Self.challenge(auth, user)
            let recovered = try await auth.post("/v1/auth/login/mfa", ["mfa_token": first, "recovery_code": codes[0]])
            #expect(recovered.status == .ok, "\(recovered.text)")
            #expect(recovered.string("tokens", "access_token") != nil)

            let second = try await Self.challenge(auth, user)
            let again = try await auth.post("/v1/auth/login/mfa", ["mfa_token": second, "recovery_code": codes[0]])
            #expect(again.status == .unauthorized, "a recovery code worked twice: \(again.text)")
            let bogus = try await auth.post("/v1/auth/login/mfa", ["mfa_token": second, "recovery_code": "not-a-code-at-all"])
            #expect(bogus.status == .unauthorized)
            // Another code still works on the same challenge (upper-cased, as people type them).
            let other = try await auth.post("/v1/auth/login/mfa", ["mfa_token": second, "recovery_code": codes[1].uppercased()])
            #expect(other.status == .ok, "\(other.text)")
        }
    }

    @Test func aChallengeStopsAfterFiveAttempts() async throws {
        try await AuthHarness.run { auth in
            let user = try await auth.register()
            let (secret, codes) = try await Self.enable(auth, user)
            let token = try await Self.challenge(auth, user)
            for attempt in 1...5 {
                let reply = try await auth.post("/v1/auth/login/mfa", ["mfa_token": token, "code": Self.wrongCode(secret)])
                #expect(reply.status == .unauthorized, "attempt \(attempt): \(reply.text)")
            }
            // The right code, and a recovery code, no longer help on this challenge.
            let right = try await auth.post("/v1/auth/login/mfa", ["mfa_token": token, "code": Self.code(secret)])
            #expect(right.status == .unauthorized, "\(right.text)")
            #expect(right["tokens"] == nil)
            let recovery = try await auth.post("/v1/auth/login/mfa", ["mfa_token": token, "recovery_code": codes[0]])
            #expect(recovery.status == .unauthorized, "\(recovery.text)")
            // The recovery code was not spent by the refused attempt; a fresh challenge works.
            let fresh = try await Self.challenge(auth, user)
            let ok = try await auth.post("/v1/auth/login/mfa", ["mfa_token": fresh, "recovery_code": codes[0]])
            #expect(ok.status == .ok, "\(ok.text)")
        }
    }

    @Test func disablingNeedsACodeAndTurnsMFAOff() async throws {
        try await AuthHarness.run { auth in
            let user = try await auth.register()
            let (secret, codes) = try await Self.enable(auth, user)
            let wrong = try await auth.post("/v1/auth/mfa/disable", ["code": Self.wrongCode(secret)], token: user.accessToken)
            #expect(wrong.status == .badRequest, "\(wrong.text)")
            #expect(try await Self.challenge(auth, user).hasPrefix("mfa_"))

            let disabled = try await auth.post("/v1/auth/mfa/disable", ["code": Self.code(secret)], token: user.accessToken)
            #expect(disabled.status == .noContent, "\(disabled.text)")
            #expect(try await Self.storedSecret(auth, user) == nil)

            let login = try await auth.login(tenant: user.tenantSlug, email: user.email, password: user.password)
            #expect(login.status == .ok)
            #expect(login["mfa_required"] == nil, "\(login.text)")
            #expect(login.string("tokens", "access_token") != nil, "\(login.text)")
            // Old recovery codes are gone with it.
            let count = try await auth.withDatabase { client in
                var count = -1
                let rows = try await client.query("SELECT count(*)::int FROM recovery_codes WHERE user_id = \(UUID(uuidString: user.userID)!)")
                for try await value in rows.decode(Int.self) { count = value }
                return count
            }
            #expect(count == 0)
            #expect(codes.count == 10)
            #expect(try await auth.post("/v1/auth/mfa/disable", ["code": Self.code(secret)], token: user.accessToken).status == .conflict)
        }
    }
}
