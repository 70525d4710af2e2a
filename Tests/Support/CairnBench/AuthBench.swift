import CairnAuthKit
import Foundation
import JWTKit
import Logging

/// Access-token verification as every service does it on every request: the key already in the
/// ``PublicKeyCache`` (JWKS fetched once), so what is measured is header parsing, the cache
/// lookup, the Ed25519 signature check and the claim checks.
enum AuthBench {
    static let verifications = 20_000
    static let warmUp = 1_000
    static let concurrency = 4
    /// Verification sits in front of every authenticated request; a tenth of a millisecond
    /// at p99 keeps it out of the latency budget.
    static let targetP99Microseconds = 100.0

    /// One JSON line for the sequential latency run, one for the concurrent throughput run.
    static func verification() async throws -> [String] {
        let (verifier, token) = try await setUp()
        for _ in 0..<warmUp { _ = try await verifier.verify(token) }

        // Sequential: each verification timed on its own, for the latency distribution.
        var samples: [Double] = []
        samples.reserveCapacity(verifications)
        let clock = ContinuousClock()
        let sequentialStart = clock.now
        for _ in 0..<verifications {
            let start = clock.now
            _ = try await verifier.verify(token)
            samples.append(Bench.seconds(clock.now - start) * 1e6)
        }
        let sequentialSeconds = Bench.seconds(since: sequentialStart)
        samples.sort()
        let p99 = percentile(samples, 0.99)

        // Concurrent: the same total split over a few tasks, as a busy service verifies.
        let perTask = verifications / concurrency
        let concurrentSeconds = try await Bench.time {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency {
                    group.addTask { for _ in 0..<perTask { _ = try await verifier.verify(token) } }
                }
                try await group.waitForAll()
            }
        }

        return [
            Bench.line([
                "bench": "token_verify", "verifications": verifications,
                "p50_us": Bench.rounded(percentile(samples, 0.50)), "p99_us": Bench.rounded(p99),
                "per_s": Bench.rounded(Double(verifications) / sequentialSeconds),
                "target_p99_us": targetP99Microseconds, "meets_target": p99 <= targetP99Microseconds,
            ]),
            Bench.line([
                "bench": "token_verify_concurrent", "verifications": perTask * concurrency, "concurrency": concurrency,
                "per_s": Bench.rounded(Double(perTask * concurrency) / concurrentSeconds),
            ]),
        ]
    }

    /// A verifier whose cache already holds the signing key, and a token it accepts.
    static func setUp() async throws -> (TokenVerifier, String) {
        let key = try EdDSA.PrivateKey()
        let kid = JWKIdentifier(string: "bench-key")
        let jwk = JWK.octetKeyPair(.eddsa, identifier: kid, x: base64URL(key.publicKey.rawRepresentation), y: nil, curve: .ed25519)
        var logger = Logger(label: "cairn-bench.auth")
        logger.logLevel = .error
        let cache = PublicKeyCache(source: StaticKeySource(jwks: JWKS(keys: [jwk])), logger: logger)
        await cache.refresh()

        let identity = Identity(kind: .user, subject: "bench-user", tenantID: UUID(), role: .member, scopes: Role.member.permissions)
        // An hour's lifetime outlasts any run; the verifier reads the real clock, as in a service.
        let claims = AccessTokenClaims(identity: identity, issuer: "cairn-auth", audience: "cairn", issuedAt: Date(),
                                       lifetime: .seconds(3600), tokenID: UUID().uuidString)
        let token = try await JWTKeyCollection().add(eddsa: key, kid: kid).sign(claims, kid: kid)
        return (TokenVerifier(keys: cache, settings: TokenVerificationSettings()), token)
    }

    /// The value below which `fraction` of the sorted `samples` lie.
    static func percentile(_ samples: [Double], _ fraction: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        return samples[min(samples.count - 1, Int(Double(samples.count) * fraction))]
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A JWKS that never changes: the bench measures the cached path, not fetching.
    struct StaticKeySource: PublicKeySource {
        var jwks: JWKS
        func publicKeys() async throws -> JWKS { jwks }
    }
}
