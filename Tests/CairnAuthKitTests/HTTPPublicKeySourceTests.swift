import CairnAuthKit
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Testing

/// ``HTTPPublicKeySource`` against a real HTTP server on a free loopback port, standing in for
/// auth's `/.well-known/jwks.json`.
@Suite struct HTTPPublicKeySourceTests {
    let key: TestKey

    init() throws { key = try TestKey(kid: "k-http") }

    /// A live server answering the JWKS, a 500, an oversized body and non-JWKS JSON; `body` gets
    /// its base URL.
    func withJWKSServer(_ body: @Sendable (String) async throws -> Void) async throws {
        let jwks = try JSONEncoder().encode(JWKS(keys: [key.jwk]))
        let router = Router()
        router.get("/.well-known/jwks.json") { _, _ in Self.json(jwks) }
        router.get("/broken") { _, _ -> Response in Response(status: .internalServerError) }
        router.get("/huge") { _, _ in Self.json(Data(#"{"keys":[], "pad":""#.utf8) + Data(repeating: 0x61, count: 70_000) + Data(#""}"#.utf8)) }
        router.get("/not-jwks") { _, _ in Self.json(Data(#"{"hello":"world"}"#.utf8)) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              logger: Fixture.logger)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try await body("http://127.0.0.1:\(port)")
        }
    }

    static func json(_ data: Data) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    @Test func fetchesThePublishedKeys() async throws {
        let kid = key.kid
        let x = key.jwk.x
        try await withJWKSServer { base in
            let jwks = try await HTTPPublicKeySource(url: "\(base)/.well-known/jwks.json").publicKeys()
            #expect(jwks.keys.map(\.keyIdentifier?.string) == [kid])
            #expect(jwks.keys.first?.x == x)
        }
    }

    @Test func aTokenVerifiesThroughTheHTTPSource() async throws {
        let token = try await key.sign(Fixture.claims())
        try await withJWKSServer { base in
            let cache = Fixture.cache(HTTPPublicKeySource(url: "\(base)/.well-known/jwks.json"))
            let identity = try await Fixture.verifier(cache).verify(token)
            #expect(identity.subject == "user-1")
        }
    }

    @Test func aServerErrorThrows() async throws {
        try await withJWKSServer { base in
            let error = await #expect(throws: HTTPPublicKeySource.FetchFailed.self) {
                try await HTTPPublicKeySource(url: "\(base)/broken").publicKeys()
            }
            #expect(error?.status == 500)
        }
    }

    @Test func anOversizedOrMalformedBodyThrows() async throws {
        try await withJWKSServer { base in
            await #expect(throws: (any Error).self) { try await HTTPPublicKeySource(url: "\(base)/huge").publicKeys() }
            await #expect(throws: DecodingError.self) { try await HTTPPublicKeySource(url: "\(base)/not-jwks").publicKeys() }
        }
    }

    /// Timeouts under a second are legitimate settings (a JWKS on the same host answers in
    /// microseconds) and must not round down to "already expired".
    @Test func aSubSecondTimeoutStillFetches() async throws {
        try await withJWKSServer { base in
            let jwks = try await HTTPPublicKeySource(url: "\(base)/.well-known/jwks.json", timeout: .milliseconds(900)).publicKeys()
            #expect(jwks.keys.count == 1)
        }
    }
}
