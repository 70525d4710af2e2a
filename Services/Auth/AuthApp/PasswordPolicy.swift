import Foundation
import HummingbirdBcrypt
import NIOPosix

/// Password rules and hashing. bcrypt runs on NIO's blocking pool, never on Swift's cooperative
/// threads (one hash at cost 12 takes a few hundred milliseconds).
struct PasswordPolicy: Sendable {
    static let minimumLength = 10
    /// bcrypt reads at most 72 bytes; longer passwords would be silently truncated.
    static let maximumBytes = 72

    let cost: Int
    /// A hash of a random password, verified against when the email is unknown so that an
    /// unknown email costs the same time as a wrong password.
    let decoyHash: String

    init(cost: Int) {
        self.cost = cost
        decoyHash = Bcrypt.hash(OpaqueToken.generate(), cost: UInt8(cost))
    }

    /// Why `password` is not acceptable, or nil.
    static func problem(with password: String, email: String) -> String? {
        if password.count < minimumLength { return "password must be at least \(minimumLength) characters" }
        if password.utf8.count > maximumBytes { return "password must be at most \(maximumBytes) bytes" }
        let lowered = password.lowercased()
        if CommonPasswords.all.contains(lowered) { return "password is too common" }
        if let local = email.split(separator: "@").first, local.count >= 4, lowered.contains(local.lowercased()) {
            return "password must not contain the email address"
        }
        if Set(lowered).count < 4 { return "password must not repeat so few characters" }
        return nil
    }

    func hash(_ password: String) async throws -> String {
        let cost = UInt8(cost)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Checks `password` against `hash`, or against the decoy when there is no user, so both
    /// paths take one bcrypt verification.
    func verify(_ password: String, hash: String?) async throws -> Bool {
        let target = hash ?? decoyHash
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: target) }
        return matches && hash != nil
    }
}
