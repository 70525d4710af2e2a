import CairnAuthKit
import Crypto
import Foundation
import JWTKit
import Testing

/// The happy path and every forgery we know of. Each attack must end in ``AuthenticationError``
/// (a 401), never a crash, a 500 or an identity.
@Suite struct TokenVerifierTests {
    let key: TestKey
    let source: InMemoryKeySource
    let cache: PublicKeyCache

    init() async throws {
        key = try TestKey(kid: "k1")
        source = InMemoryKeySource(key)
        cache = Fixture.cache(source)
        await cache.refresh()
    }

    func expectRejected(_ token: String, at offset: TimeInterval = 60, sourceLocation: SourceLocation = #_sourceLocation) async {
        await #expect(throws: AuthenticationError.self, sourceLocation: sourceLocation) {
            try await Fixture.verifier(cache, at: offset).verify(token)
        }
    }

    /// The token's three parts.
    func parts(_ token: String) -> [Substring] { token.split(separator: ".", omittingEmptySubsequences: false) }

    @Test func aValidTokenGivesItsIdentity() async throws {
        let tenant = Fixture.tenant
        let identity = Identity(kind: .apiKey, subject: "key-42", tenantID: tenant, role: .tenantAdmin, scopes: ["documents:read", "users:manage"])
        let token = try await key.sign(Fixture.claims(identity, tokenID: "jti-42"))
        let verified = try await Fixture.verifier(cache).verify(token)
        #expect(verified.kind == .apiKey)
        #expect(verified.subject == "key-42")
        #expect(verified.tenantID == tenant)
        #expect(verified.role == .tenantAdmin)
        #expect(verified.scopes == ["documents:read", "users:manage"])
        #expect(verified.tokenID == "jti-42")
    }

    @Test func aServiceTokenNeedsNoTenant() async throws {
        let token = try await key.sign(Fixture.claims(Fixture.identity(.service, tenant: nil)))
        let verified = try await Fixture.verifier(cache).verify(token)
        #expect(verified.role == .service)
        #expect(verified.tenantID == nil)
    }

    @Test func algNoneIsRejected() async throws {
        let valid = try await key.sign(Fixture.claims())
        let header = Base64URL.encode(Data(#"{"alg":"none","kid":"k1","typ":"JWT"}"#.utf8))
        let payload = parts(valid)[1]
        await expectRejected("\(header).\(payload).")
        await expectRejected("\(header).\(payload).\(parts(valid)[2])")
        // Spelling variants some libraries accept.
        for alg in ["None", "NONE", "nOnE"] {
            await expectRejected("\(Base64URL.encode(Data(#"{"alg":"\#(alg)","kid":"k1"}"#.utf8))).\(payload).\(parts(valid)[2])")
        }
    }

    /// The classic confusion attack: HMAC keyed with the (public) verification key's bytes.
    @Test func hs256KeyedWithThePublicKeyIsRejected() async throws {
        let secret = SymmetricKey(data: key.privateKey.publicKey.rawRepresentation)
        let hmac = await JWTKeyCollection().add(hmac: HMACKey(key: secret), digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
        let forged = try await hmac.sign(Fixture.claims(), kid: JWKIdentifier(string: key.kid))
        #expect(String(decoding: Base64URL.decode(parts(forged)[0])!, as: UTF8.self).contains("HS256"))
        await expectRejected(forged)
        // The same with the JWK's `x` text as the secret.
        let textHMAC = await JWTKeyCollection().add(hmac: HMACKey(from: key.jwk.x!), digestAlgorithm: .sha256, kid: JWKIdentifier(string: key.kid))
        await expectRejected(try await textHMAC.sign(Fixture.claims(), kid: JWKIdentifier(string: key.kid)))
    }

    @Test func anUnknownKidIsRejected() async throws {
        let stranger = try TestKey(kid: "k-unknown")
        await expectRejected(try await stranger.sign(Fixture.claims()))
    }

    @Test func aMissingKidIsRejected() async throws {
        let keys = await JWTKeyCollection().add(eddsa: key.privateKey)
        let token = try await keys.sign(Fixture.claims())
        #expect(!String(decoding: Base64URL.decode(parts(token)[0])!, as: UTF8.self).contains("kid"))
        await expectRejected(token)
        // An empty kid is no kid.
        let emptyKid = try await key.sign(Fixture.claims(), headerKid: "")
        await expectRejected(emptyKid)
    }

    @Test func aKeyOutsideTheJWKSUnderAPublishedKidIsRejected() async throws {
        let impostor = try TestKey(kid: "k1")
        await expectRejected(try await impostor.sign(Fixture.claims()))
    }

    @Test func expiryIsEnforcedBeyondTheClockSkew() async throws {
        let token = try await key.sign(Fixture.claims(lifetime: .seconds(900)))
        // Expired 29 s ago: within the 30 s skew.
        _ = try await Fixture.verifier(cache, at: 929).verify(token)
        await expectRejected(token, at: 930)
        await expectRejected(token, at: 86_400)
    }

    @Test func notBeforeInTheFutureBeyondTheSkewIsRejected() async throws {
        // nbf 31 s after the verifier's clock (issued 60 s in), beyond the 30 s skew.
        var claims = Fixture.claims()
        claims.iat = IssuedAtClaim(value: Fixture.issuedAt)
        claims.nbf = NotBeforeClaim(value: Fixture.issuedAt.addingTimeInterval(91))
        let token = try await key.sign(claims)
        await #expect(throws: AuthenticationError("not yet valid")) { try await Fixture.verifier(cache, at: 60).verify(token) }
        // 29 s early is tolerated.
        _ = try await Fixture.verifier(cache, at: 62).verify(token)
    }

    @Test func issuedInTheFutureBeyondTheSkewIsRejected() async throws {
        var claims = Fixture.claims()
        claims.nbf = nil
        claims.iat = IssuedAtClaim(value: Fixture.issuedAt.addingTimeInterval(100))
        await #expect(throws: AuthenticationError("issued in the future")) {
            try await Fixture.verifier(cache, at: 60).verify(try await key.sign(claims))
        }
    }

    @Test func theWrongAudienceIsRejected() async throws {
        await expectRejected(try await key.sign(Fixture.claims(audience: "someone-else")))
    }

    @Test func theWrongIssuerIsRejected() async throws {
        await expectRejected(try await key.sign(Fixture.claims(issuer: "evil-auth")))
    }

    /// Moving a token to another tenant by editing `tid` while keeping the signature.
    @Test func aTamperedTenantIsRejected() async throws {
        let token = try await key.sign(Fixture.claims())
        var payload = try #require(try JSONSerialization.jsonObject(with: Base64URL.decode(parts(token)[1])!) as? [String: Any])
        #expect(payload["tid"] as? String == Fixture.tenant.uuidString.lowercased())
        payload["tid"] = Fixture.otherTenant.uuidString.lowercased()
        let tampered = Base64URL.encode(try JSONSerialization.data(withJSONObject: payload))
        await expectRejected("\(parts(token)[0]).\(tampered).\(parts(token)[2])")
    }

    @Test func aTamperedRoleIsRejected() async throws {
        let token = try await key.sign(Fixture.claims())
        let payload = String(decoding: Base64URL.decode(parts(token)[1])!, as: UTF8.self)
        let promoted = payload.replacingOccurrences(of: #""role":"member""#, with: #""role":"system_admin""#)
        #expect(promoted != payload)
        await expectRejected("\(parts(token)[0]).\(Base64URL.encode(Data(promoted.utf8))).\(parts(token)[2])")
    }

    @Test func aTruncatedTokenIsRejected() async throws {
        let token = try await key.sign(Fixture.claims())
        for drop in [1, 2, 10, parts(token)[2].count, parts(token)[2].count + 1] {
            await expectRejected(String(token.dropLast(drop)))
        }
    }

    @Test(arguments: ["", ".", "..", "a.b", "a.b.c", "a.b.c.d", "Bearer", "e30.e30.e30", "🔑.🔑.🔑", " . . "])
    func garbageIsRejected(_ garbage: String) async {
        await expectRejected(garbage)
    }

    @Test func randomBytesAreRejected() async {
        var generator = SystemRandomNumberGenerator()
        for length in [1, 16, 200, 2_000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
            await expectRejected(String(decoding: bytes, as: UTF8.self))
            await expectRejected("\(Base64URL.encode(bytes)).\(Base64URL.encode(bytes)).\(Base64URL.encode(bytes))")
        }
    }

    @Test func oversizedTokensAreRejectedBeforeParsing() async throws {
        // A valid token padded past the limit with a long (signed) claim.
        var claims = Fixture.claims()
        claims.jti = IDClaim(value: String(repeating: "x", count: TokenVerifier.maxTokenBytes))
        let token = try await key.sign(claims)
        #expect(token.utf8.count > TokenVerifier.maxTokenBytes)
        await #expect(throws: AuthenticationError("token too long")) { try await Fixture.verifier(cache).verify(token) }
        // The source is not asked about kids of oversized tokens.
        #expect(source.fetches == 1)
    }

    @Test func claimsThatDescribeNoIdentityAreRejected() async throws {
        var unknownRole = Fixture.claims()
        unknownRole.role = "root"
        await expectRejected(try await key.sign(unknownRole))
        var badScope = Fixture.claims()
        badScope.scope = "documents:read ALL"
        await expectRejected(try await key.sign(badScope))
        // A member without a tenant would be unscoped: refused.
        await expectRejected(try await key.sign(Fixture.claims(Fixture.member(tenant: nil))))
    }

    @Test func clientsSeeOnlyAGeneric401() {
        let error = AuthenticationError("unknown key id").apiError
        #expect(error.status == .unauthorized)
        #expect(error.code == "UNAUTHENTICATED")
        #expect(!error.message.contains("key id"))
    }
}
