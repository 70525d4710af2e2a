import AsyncHTTPClient
import CairnTesting
import Foundation
import HTTPTypes
import Hummingbird
import Testing

extension GatewayTestSuite {
    @Suite("Gateway: authentication at the edge", .serialized)
    struct EdgeAuthenticationTests {
        @Test("a JWT from login reaches auth; none, a forged one or a service token is 401 in the error shape")
        func jwt() async throws {
            try await GatewayHarness.run { gateway in
                let (token, tenantID) = try await gateway.register()
                let me = try await gateway.call(.get, "/v1/auth/me", token: token)
                #expect(me.status == .ok, "\(me.text)")
                #expect(me.string("tenant_id") == tenantID || me.string("user", "tenant_id") == tenantID, "\(me.text)")

                let missing = try await gateway.call(.get, "/v1/auth/me")
                #expect(missing.status == .unauthorized)
                #expect(missing.errorCode == "UNAUTHENTICATED")
                #expect(missing.string("error", "request_id")?.isEmpty == false)

                var forged = Array(token)
                forged[forged.count - 5] = forged[forged.count - 5] == "A" ? "B" : "A"
                #expect(try await gateway.call(.get, "/v1/auth/me", token: String(forged)).status == .unauthorized)

                let service = try await gateway.call(.post, "/v1/auth/service-token", json: ["client_id": "gateway", "client_secret": GatewayHarness.serviceSecret])
                #expect(service.status == .notFound, "internal operations are not public: \(service.text)")
                let direct = try await serviceToken(authPort: gateway.authPort)
                let refused = try await gateway.call(.get, "/v1/auth/me", token: direct)
                #expect(refused.status == .unauthorized, "\(refused.text)")
            }
        }

        @Test("an API key works as Bearer and as X-API-Key; deleted, it stops within the cache TTL")
        func apiKeys() async throws {
            try await GatewayHarness.run { gateway in
                let (token, _) = try await gateway.register()
                let (key, id) = try await gateway.apiKey(token: token)
                let asBearer = try await gateway.call(.get, "/v1/test/echo", token: key)
                #expect(asBearer.status == .ok, "\(asBearer.text)")
                let forwarded = try #require(asBearer.string("authorization"))
                #expect(forwarded.hasPrefix("Bearer ey") && !forwarded.contains(key), "the upstream gets a token, never the key")
                #expect(asBearer.string("x-api-key") == nil)

                let asHeader = try await gateway.call(.get, "/v1/test/echo", headers: [.init("X-API-Key")!: key])
                #expect(asHeader.status == .ok, "\(asHeader.text)")
                #expect(asHeader.string("authorization")?.hasPrefix("Bearer ey") == true)
                // Through to auth: the key's permissions are a member's, so key management is refused.
                let managed = try await gateway.call(.get, "/v1/api-keys", headers: [.init("X-API-Key")!: key])
                #expect(managed.status == .forbidden, "\(managed.text)")
                #expect(managed.header("RateLimit-Limit") == "100")

                let both = try await gateway.call(.get, "/v1/api-keys", token: token, headers: [.init("X-API-Key")!: key])
                #expect(both.status == .badRequest)

                let bogus = try await gateway.call(.get, "/v1/test/echo", token: "cairn_abcdefgh_" + String(repeating: "x", count: 40))
                #expect(bogus.status == .unauthorized, "\(bogus.text)")

                #expect(try await gateway.call(.delete, "/v1/api-keys/\(id)", token: token).status == .noContent)
                // The cache TTL is 1 s in the harness; the key must stop working after it.
                let stopped = await eventually(within: .seconds(5), every: .milliseconds(200)) {
                    (try? await gateway.call(.get, "/v1/test/echo", token: key).status) == .unauthorized
                }
                #expect(stopped, "a deleted key keeps working past the cache TTL")
            }
        }

        @Test("the upstream sees the gateway's X-Forwarded-For and request id, never the client's")
        func forwardedHeaders() async throws {
            try await GatewayHarness.run { gateway in
                let (token, _) = try await gateway.register()
                let reply = try await gateway.call(.get, "/v1/test/echo?x=1&y=%20z", token: token, headers: [
                    .init("X-Forwarded-For")!: "6.6.6.6", .init("X-Request-ID")!: "client-chosen-id-1",
                ])
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(reply.string("x-forwarded-for") == "127.0.0.1")
                #expect(reply.string("x-request-id") == "client-chosen-id-1", "a valid client request id is kept end to end")
                #expect(reply.string("query") == "x=1&y=%20z")
                #expect(reply.header("X-Request-ID") == "client-chosen-id-1")
            }
        }

        private func serviceToken(authPort: Int) async throws -> String {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(authPort)/v1/auth/service-token")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: [
                "client_id": "gateway", "client_secret": GatewayHarness.serviceSecret,
            ])))
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            let reply = JSONReply(status: .init(code: Int(response.status.code)), text: String(buffer: try await response.body.collect(upTo: 1 << 16)))
            return try #require(reply.string("access_token"), "\(reply.text)")
        }
    }
}
