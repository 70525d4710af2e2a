import CairnPostgres
import CairnAuthKit
import Crypto
import Foundation
import JWTKit
import Logging
import NIOConcurrencyHelpers
import PostgresNIO

/// The Ed25519 keys auth signs tokens with, persisted in `signing_keys` (private keys sealed
/// with the key-encryption key) so that every replica and every restart signs with the same
/// active key and verifies the others.
///
/// Rotation makes a new active key; the old one is retired but stays in the JWKS until every
/// token it signed has expired (`published_until`), so rotation never logs anybody out.
final class SigningKeyStore: PublicKeySource, Sendable {
    struct ActiveKey: Sendable {
        var kid: String
        var signer: JWTKeyCollection
        var createdAt: Date
        var loadedAt: ContinuousClock.Instant
    }

    private let client: PostgresClient
    private let box: SecretBox
    private let rotationPeriod: Duration
    /// How long a retired key stays published: the longest token lifetime plus clock skew.
    private let retiredKeyGrace: Duration
    private let logger: Logger
    private let active = NIOLockedValueBox<ActiveKey?>(nil)
    /// Other replicas may rotate: the active key is re-read from the database this often.
    private let reloadInterval: Duration = .seconds(10)

    init(client: PostgresClient, box: SecretBox, rotationPeriod: Duration, retiredKeyGrace: Duration, logger: Logger) {
        self.client = client
        self.box = box
        self.rotationPeriod = rotationPeriod
        self.retiredKeyGrace = retiredKeyGrace
        self.logger = logger
    }

    /// The key to sign with now: loaded, created on first use, rotated when too old.
    func signingKey() async throws -> ActiveKey {
        if let key = active.withLockedValue({ $0 }), ContinuousClock.now - key.loadedAt < reloadInterval,
           Date().timeIntervalSince(key.createdAt) < Self.seconds(rotationPeriod) {
            return key
        }
        if let key = try await loadActive(), Date().timeIntervalSince(key.createdAt) < Self.seconds(rotationPeriod) {
            active.withLockedValue { $0 = key }
            return key
        }
        return try await rotate(force: false)
    }

    /// Retires the active key (it stays published for `retiredKeyGrace`) and makes a new one.
    /// Serialised across replicas by a transaction-level advisory lock; unless `force`d, a
    /// replica that finds, once it holds the lock, that another has just rotated uses that key.
    @discardableResult
    func rotate(force: Bool = true) async throws -> ActiveKey {
        let key = Curve25519.Signing.PrivateKey()
        let kid = OpaqueToken.generate().prefix(16).lowercased()
        let sealed = try box.seal(key.rawRepresentation)
        let publicKey = key.publicKey.rawRepresentation
        let grace = Int(Self.seconds(retiredKeyGrace))
        let rotated = try await client.transaction(logger: logger) { connection -> Bool in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('cairn_auth.signing_keys'))", logger: logger)
            if !force {
                let rotationSeconds = Int(Self.seconds(rotationPeriod))
                let fresh = try await connection.query("""
                    SELECT kid FROM signing_keys WHERE retired_at IS NULL AND created_at > now() - make_interval(secs => \(rotationSeconds))
                    """, logger: logger)
                for try await _ in fresh.decode(String.self) { return false }
            }
            try await connection.query("""
                UPDATE signing_keys SET retired_at = now(), published_until = now() + make_interval(secs => \(grace))
                WHERE retired_at IS NULL
                """, logger: logger)
            try await connection.query("""
                INSERT INTO signing_keys (kid, sealed_private_key, public_key) VALUES (\(kid), \(sealed), \(publicKey))
                """, logger: logger)
            return true
        }
        if rotated { logger.info("signing key rotated", metadata: ["kid": "\(kid)"]) }
        let loaded = try await loadActive()!
        active.withLockedValue { $0 = loaded }
        return loaded
    }

    private func loadActive() async throws -> ActiveKey? {
        let rows = try await client.query("""
            SELECT kid, sealed_private_key, created_at FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC LIMIT 1
            """, logger: logger)
        for try await (kid, sealed, createdAt) in rows.decode((String, Data, Date).self) {
            let raw = try box.open(sealed)
            let key = try EdDSA.PrivateKey(backing: Curve25519.Signing.PrivateKey(rawRepresentation: raw))
            let signer = await JWTKeyCollection().add(eddsa: key, kid: JWKIdentifier(string: kid))
            return ActiveKey(kid: kid, signer: signer, createdAt: createdAt, loadedAt: .now)
        }
        return nil
    }

    /// The JWKS: the active key and every retired key still within its grace.
    func publicKeys() async throws -> JWKS {
        let rows = try await client.query("""
            SELECT kid, public_key FROM signing_keys
            WHERE retired_at IS NULL OR published_until > now() ORDER BY created_at DESC
            """, logger: logger)
        var keys: [JWK] = []
        for try await (kid, publicKey) in rows.decode((String, Data).self) {
            keys.append(.octetKeyPair(.eddsa, identifier: JWKIdentifier(string: kid), x: publicKey.base64URLEncodedString(), y: nil, curve: .ed25519))
        }
        return JWKS(keys: keys)
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        TimeInterval(duration.components.seconds)
    }
}
