import Foundation
import HummingbirdOTP
import Logging
import PostgresNIO

/// TOTP second factors (RFC 6238, 6 digits, 30 s, SHA-1: what authenticator apps use), their
/// recovery codes, and the short-lived challenges between the password step and the code step.
struct MFAStore: Sendable {
    let client: PostgresClient
    let box: SecretBox
    let logger: Logger
    static let recoveryCodeCount = 10
    static let challengeLifetime: TimeInterval = 300
    static let challengeAttempts = 5

    /// A fresh secret for `userID`, sealed at rest, not yet enabled until ``confirm``.
    func enroll(userID: UUID, tenantID: UUID, label: String) async throws -> (secret: String, url: String) {
        let secret = String(OpaqueToken.generate().filter { $0.isLetter || $0.isNumber }.prefix(20))
        try await client.query("""
            UPDATE users SET mfa_secret = \(try box.seal(Data(secret.utf8))), mfa_enabled = false
            WHERE id = \(userID) AND tenant_id = \(tenantID)
            """, logger: logger)
        let totp = TOTP(secret: secret)
        return (secret, totp.createAuthenticatorURL(label: label, issuer: "Cairn"))
    }

    /// Whether `code` is the current TOTP of `sealedSecret`, one step either side allowed for
    /// clock drift.
    func check(code: String, sealedSecret: Data?, now: Date = Date()) -> Bool {
        step(of: code, sealedSecret: sealedSecret, now: now) != nil
    }

    /// The 30-second time step `code` belongs to, if it is one of the accepted ones.
    func step(of code: String, sealedSecret: Data?, now: Date = Date()) -> Int64? {
        guard let sealedSecret, code.count == 6, let value = Int(code),
              let secret = try? box.open(sealedSecret) else { return nil }
        let totp = TOTP(secret: String(decoding: secret, as: UTF8.self))
        for offset in [-30.0, 0, 30] {
            let date = now.addingTimeInterval(offset)
            if totp.compute(date: date) == value { return Int64((date.timeIntervalSince1970 / 30).rounded(.down)) }
        }
        return nil
    }

    /// Records that a login used `step`; false if that step (or a later one) was already used,
    /// so a code seen over someone's shoulder or replayed from a log cannot log in again.
    func useStep(_ step: Int64, userID: UUID) async throws -> Bool {
        let rows = try await client.query("""
            UPDATE users SET mfa_last_step = \(step)
            WHERE id = \(userID) AND (mfa_last_step IS NULL OR mfa_last_step < \(step)) RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(UUID.self) { return true }
        return false
    }

    /// Enables MFA and returns fresh recovery codes (shown once, stored hashed).
    func enable(userID: UUID, on connection: PostgresConnection) async throws -> [String] {
        try await connection.query("UPDATE users SET mfa_enabled = true WHERE id = \(userID)", logger: logger)
        try await connection.query("DELETE FROM recovery_codes WHERE user_id = \(userID)", logger: logger)
        var codes: [String] = []
        for _ in 0..<Self.recoveryCodeCount {
            let code = String(OpaqueToken.generate().filter { $0.isLetter || $0.isNumber }.prefix(12)).lowercased()
            codes.append(code)
            try await connection.query(
                "INSERT INTO recovery_codes (user_id, code_hash) VALUES (\(userID), \(OpaqueToken.hash(code)))", logger: logger
            )
        }
        return codes
    }

    func disable(userID: UUID, on connection: PostgresConnection) async throws {
        try await connection.query("UPDATE users SET mfa_enabled = false, mfa_secret = NULL WHERE id = \(userID)", logger: logger)
        try await connection.query("DELETE FROM recovery_codes WHERE user_id = \(userID)", logger: logger)
    }

    /// Uses up a recovery code; false if it is unknown or used.
    func redeemRecoveryCode(_ code: String, userID: UUID) async throws -> Bool {
        let normalised = code.trimmingCharacters(in: .whitespaces).lowercased()
        let rows = try await client.query("""
            UPDATE recovery_codes SET used_at = now()
            WHERE user_id = \(userID) AND code_hash = \(OpaqueToken.hash(normalised)) AND used_at IS NULL RETURNING user_id
            """, logger: logger)
        for try await _ in rows.decode(UUID.self) { return true }
        return false
    }

    /// A challenge token for the second login step.
    func createChallenge(userID: UUID) async throws -> String {
        let token = OpaqueToken.generate(prefix: "mfa_")
        let expiresAt = Date().addingTimeInterval(Self.challengeLifetime)
        try await client.query("""
            INSERT INTO mfa_challenges (token_hash, user_id, expires_at) VALUES (\(OpaqueToken.hash(token)), \(userID), \(expiresAt))
            """, logger: logger)
        return token
    }

    /// The user a live challenge belongs to, counting the attempt; nil once expired, used or
    /// tried too often.
    func challengeUser(_ token: String) async throws -> UUID? {
        let rows = try await client.query("""
            UPDATE mfa_challenges SET attempts = attempts + 1
            WHERE token_hash = \(OpaqueToken.hash(token)) AND used_at IS NULL AND expires_at > now() AND attempts < \(Self.challengeAttempts)
            RETURNING user_id
            """, logger: logger)
        for try await user in rows.decode(UUID.self) { return user }
        return nil
    }

    /// Uses up the challenge; false if another request already did (two requests racing with
    /// the same challenge and code get one session between them).
    func completeChallenge(_ token: String) async throws -> Bool {
        let rows = try await client.query("""
            UPDATE mfa_challenges SET used_at = now() WHERE token_hash = \(OpaqueToken.hash(token)) AND used_at IS NULL RETURNING user_id
            """, logger: logger)
        for try await _ in rows.decode(UUID.self) { return true }
        return false
    }
}
