import CairnAuthKit
import Foundation
import Hummingbird
import HummingbirdTesting
import ServiceKit
import Testing

@Test func identityContextsDecodeWithTheSharedDecoder() {
    // Chosen by associated-type inference: a context that declared its own would lose the NUL check.
    #expect(IdentityRequestContext.Decoder.self == JSONRequestDecoder.self)
    #expect(AuthTestContext.Decoder.self == JSONRequestDecoder.self)
}

/// A service's request context with an identity, as each service defines its own.
struct AuthTestContext: AuthenticatedRequestContext {
    var coreContext: CoreRequestContextStorage
    var requestID: String = ""
    var bodyLimit: Int = 1 << 20
    var identity: Identity?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}

/// The middleware behind ServiceKit's own, in the order ServiceApplication uses, so errors come
/// out in the real shape.
@Suite struct AuthenticationMiddlewareTests {
    let key: TestKey
    let source: InMemoryKeySource
    let cache: PublicKeyCache

    init() throws {
        key = try TestKey(kid: "k-mw")
        source = InMemoryKeySource(key)
        cache = Fixture.cache(source)
    }

    func withApp(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = Router(context: AuthTestContext.self)
        router.add(middleware: RequestIDMiddleware<AuthTestContext>())
        router.add(middleware: ErrorMiddleware<AuthTestContext>())
        // A route outside the authenticated group: the middleware applies only where it is added.
        router.get("/open") { _, context in context.identity == nil ? "anonymous" : "identified" }
        router.get("/unguarded") { _, context in try context.requireIdentity().subject }
        router.group("/me").add(middleware: AuthenticationMiddleware<AuthTestContext>(verifier: Fixture.verifier(cache)))
            .get { _, context in
                let identity = try context.requireIdentity()
                return "\(identity.kind.rawValue) \(identity.subject) \(identity.tenantID?.uuidString.lowercased() ?? "-") \(identity.role.rawValue)"
            }
        try await Application(router: router, logger: Fixture.logger).test(.router, body)
    }

    func expectUnauthenticated(_ client: any TestClientProtocol, headers: HTTPFields, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        try await client.execute(uri: "/me", method: .get, headers: headers) { response in
            #expect(response.status == .unauthorized, sourceLocation: sourceLocation)
            let body = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
            #expect(body.error.code == "UNAUTHENTICATED", sourceLocation: sourceLocation)
            #expect(body.error.requestID == response.headers[.requestID], sourceLocation: sourceLocation)
        }
    }

    @Test func aMissingHeaderIs401() async throws {
        try await withApp { client in try await expectUnauthenticated(client, headers: [:]) }
    }

    @Test func aSchemeOtherThanBearerIs401() async throws {
        let token = try await key.sign(Fixture.claims())
        try await withApp { client in
            try await expectUnauthenticated(client, headers: [.authorization: "Basic \(token)"])
            try await expectUnauthenticated(client, headers: [.authorization: token])
            try await expectUnauthenticated(client, headers: [.authorization: "Bearer"])
            try await expectUnauthenticated(client, headers: [.authorization: "Bearer   "])
        }
    }

    @Test func aBadTokenIs401AndTheReasonStaysInTheLog() async throws {
        let stranger = try TestKey(kid: "k-stranger")
        let forged = try await stranger.sign(Fixture.claims())
        try await withApp { client in
            try await expectUnauthenticated(client, headers: [.authorization: "Bearer not-a-token"])
            try await expectUnauthenticated(client, headers: [.authorization: "Bearer \(forged)"])
            try await client.execute(uri: "/me", method: .get, headers: [.authorization: "Bearer \(forged)"]) { response in
                #expect(!String(buffer: response.body).contains("key id"))
            }
        }
    }

    /// Fails closed: when the keys cannot be fetched at all the answer is 401, not 500.
    @Test func anUnreachableKeySourceIs401() async throws {
        source.setFailing(true)
        let token = try await key.sign(Fixture.claims())
        try await withApp { client in try await expectUnauthenticated(client, headers: [.authorization: "Bearer \(token)"]) }
    }

    @Test func aValidTokenReachesTheHandlerWithTheIdentity() async throws {
        let token = try await key.sign(Fixture.claims())
        let expected = "user user-1 \(Fixture.tenant.uuidString.lowercased()) member"
        try await withApp { client in
            for scheme in ["Bearer", "bearer", "BEARER"] {
                try await client.execute(uri: "/me", method: .get, headers: [.authorization: "\(scheme) \(token)"]) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == expected)
                }
            }
            try await client.execute(uri: "/open", method: .get) { response in
                #expect(String(buffer: response.body) == "anonymous")
            }
        }
    }

    @Test func bearerTokenParsing() {
        #expect(AuthenticationMiddleware<AuthTestContext>.bearerToken("Bearer abc") == "abc")
        #expect(AuthenticationMiddleware<AuthTestContext>.bearerToken("bearer  abc ") == "abc")
        #expect(AuthenticationMiddleware<AuthTestContext>.bearerToken("Bearer") == nil)
        #expect(AuthenticationMiddleware<AuthTestContext>.bearerToken("Bearer ") == nil)
        #expect(AuthenticationMiddleware<AuthTestContext>.bearerToken("Basic abc") == nil)
        #expect(AuthenticationMiddleware<AuthTestContext>.bearerToken("Bearerabc") == nil)
    }

    /// A route that forgot the middleware still cannot be reached without an identity.
    @Test func requireIdentityWithoutTheMiddlewareIs401() async throws {
        try await withApp { client in
            try await client.execute(uri: "/unguarded", method: .get) { response in
                #expect(response.status == .unauthorized)
                let body = try JSONDecoder().decode(ErrorBody.self, from: Data(buffer: response.body))
                #expect(body.error.code == "UNAUTHENTICATED")
            }
        }
    }
}
