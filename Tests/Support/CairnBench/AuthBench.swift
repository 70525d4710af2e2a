import CairnAuthKit
import CairnTesting
import Crypto
import Foundation
import JWTKit
import Logging

/// Access-token verification as every service does it on every request, with the key already
/// in the ``PublicKeyCache`` (JWKS fetched once). Three measurements in one run:
/// - `ed25519_verify`: swift-crypto's bare signature check of the same token — the floor;
/// - `token_verify_first`: tokens seen for the first time (header, key lookup, signature, claims);
/// - `token_verify`: a token seen before (a client's second and later requests), answered by the
///   ``TokenVerifier``'s verified-token cache with the time claims re-checked.
enum AuthBench {
    static let verifications = 20_000
    static let distinctTokens = 5_000
    static let warmUp = 1_000
    static let concurrency = 4
    /// Verification sits in front of every authenticated request; a tenth of a millisecond
    /// at p99 keeps it out of the latency budget.
    static let targetP99Microseconds = 100.0

    static func verification() async throws -> [String] {
        let key = try EdDSA.PrivateKey()
        let kid = JWKIdentifier(string: "bench-key")
        let signer = await JWTKeyCollection().add(eddsa: key, kid: kid)
        let jwk = JWK.octetKeyPair(.eddsa, identifier: kid, x: key.publicKey.rawRepresentation.base64URLEncodedString(), y: nil, curve: .ed25519)
        var logger = Logger(label: "cairn-bench.auth")
        logger.logLevel = .error
        let cache = PublicKeyCache(source: StaticKeySource(jwks: JWKS(keys: [jwk])), logger: logger)
        await cache.refresh()
        var signedTokens: [String] = []
        for number in 0..<distinctTokens { signedTokens.append(try await signer.sign(claims(number), kid: kid)) }
        let tokens = signedTokens

        // The floor: the signature check alone, on the same inputs.
        let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey.rawRepresentation)
        let signed = tokens.map { token -> (Data, Data) in
            let parts = token.split(separator: ".")
            return (Data("\(parts[0]).\(parts[1])".utf8), Data(base64URLEncoded: parts[2])!)
        }
        let floor = try measure(count: distinctTokens) { index in
            let (message, signature) = signed[index]
            guard publicKey.isValidSignature(signature, for: message) else { throw Bench.ToolFailed(tool: "ed25519", status: 1) }
        }

        // First sight of each token: a verifier that remembers nothing.
        let uncached = TokenVerifier(keys: cache, settings: TokenVerificationSettings(), cachedTokens: 0)
        let first = try await measureAsync(count: distinctTokens) { index in _ = try await uncached.verify(tokens[index]) }

        // The same token again, as a client's next requests present it.
        let verifier = TokenVerifier(keys: cache, settings: TokenVerificationSettings())
        for _ in 0..<warmUp { _ = try await verifier.verify(tokens[0]) }
        let repeated = try await measureAsync(count: verifications) { _ in _ = try await verifier.verify(tokens[0]) }

        let perTask = verifications / concurrency
        let concurrentSeconds = try await Bench.time {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<concurrency {
                    group.addTask { for _ in 0..<perTask { _ = try await verifier.verify(tokens[task]) } }
                }
                try await group.waitForAll()
            }
        }
        return [
            line("ed25519_verify", floor, extra: ["client": "swift-crypto (floor)"]),
            line("token_verify_first", first, extra: ["client": "cairn"]),
            line("token_verify", repeated, extra: [
                "client": "cairn", "target_p99_us": targetP99Microseconds, "meets_target": repeated.p99 <= targetP99Microseconds,
            ]),
            Bench.line([
                "bench": "token_verify_concurrent", "verifications": perTask * concurrency, "concurrency": concurrency,
                "per_s": Bench.rounded(Double(perTask * concurrency) / concurrentSeconds),
            ]),
        ]
    }

    struct Timing {
        var count: Int
        var p50: Double
        var p99: Double
        var seconds: Double
    }

    static func line(_ bench: String, _ timing: Timing, extra: [String: Any]) -> String {
        Bench.line([
            "bench": bench, "verifications": timing.count, "p50_us": Bench.rounded(timing.p50), "p99_us": Bench.rounded(timing.p99),
            "per_s": Bench.rounded(Double(timing.count) / timing.seconds),
        ].merging(extra) { $1 })
    }

    /// Times each call on its own; microseconds.
    static func measure(count: Int, _ body: (Int) throws -> Void) rethrows -> Timing {
        var samples: [Double] = []
        samples.reserveCapacity(count)
        let start = ContinuousClock.now
        for index in 0..<count {
            let began = ContinuousClock.now
            try body(index)
            samples.append(Bench.seconds(ContinuousClock.now - began) * 1e6)
        }
        return timing(samples, seconds: Bench.seconds(since: start))
    }

    static func measureAsync(count: Int, _ body: (Int) async throws -> Void) async rethrows -> Timing {
        var samples: [Double] = []
        samples.reserveCapacity(count)
        let start = ContinuousClock.now
        for index in 0..<count {
            let began = ContinuousClock.now
            try await body(index)
            samples.append(Bench.seconds(ContinuousClock.now - began) * 1e6)
        }
        return timing(samples, seconds: Bench.seconds(since: start))
    }

    static func timing(_ samples: [Double], seconds: Double) -> Timing {
        let sorted = samples.sorted()
        return Timing(count: sorted.count, p50: Bench.percentile(sorted, 0.5), p99: Bench.percentile(sorted, 0.99), seconds: seconds)
    }

    /// A member's token, distinct per `number`, valid for an hour (outlasts any run).
    static func claims(_ number: Int) -> AccessTokenClaims {
        let identity = Identity(kind: .user, subject: "bench-user-\(number)", tenantID: UUID(), role: .member, scopes: Role.member.permissions)
        return AccessTokenClaims(identity: identity, issuer: "cairn-auth", audience: "cairn", issuedAt: Date(), lifetime: .seconds(3600),
                                 tokenID: UUID().uuidString)
    }

    /// A JWKS that never changes: the bench measures the cached path, not fetching.
    struct StaticKeySource: PublicKeySource {
        var jwks: JWKS
        func publicKeys() async throws -> JWKS { jwks }
    }

    /// A verifier over a fresh signing key and a service token it accepts, for benchmarks
    /// that call a service's HTTP API the way another service would.
    static func serviceCredentials(subject: String, logger: Logger) async throws -> (verifier: TokenVerifier, token: String) {
        let tokens = try TestTokens(kid: "bench-\(subject)")
        return (tokens.verifier(logger: logger), try await tokens.token(.service, tenant: nil, subject: subject))
    }
}
