import CairnTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

extension GatewayTestSuite {
    @Suite("Gateway: edge headers, CORS, unknown routes", .serialized)
    struct EdgeHygieneTests {
        @Test("security headers on every answer, errors and operational routes included")
        func securityHeaders() async throws {
            try await GatewayHarness.run(overrides: ["CAIRN_GATEWAY_HSTS": "true"]) { gateway in
                for path in ["/health", "/v1/auth/me", "/no/such/route", "/openapi.json"] {
                    let reply = try await gateway.call(.get, path)
                    #expect(reply.header("X-Content-Type-Options") == "nosniff", "\(path)")
                    #expect(reply.header("X-Frame-Options") == "DENY", "\(path)")
                    #expect(reply.header("Referrer-Policy") == "no-referrer", "\(path)")
                    #expect(reply.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true, "\(path)")
                    #expect(reply.header("Strict-Transport-Security")?.hasPrefix("max-age=") == true, "\(path)")
                }
                let unknown = try await gateway.call(.get, "/no/such/route")
                #expect(unknown.status == .notFound)
                #expect(unknown.errorCode == "NOT_FOUND")
                #expect(try await gateway.call(.get, "/metrics").status == .notFound, "metrics are on the admin port only")
                let metrics = try await TestClient.withClient(host: "127.0.0.1", port: gateway.adminPort) { try await $0.get("/metrics") }
                #expect(metrics.status == .ok)
                #expect(String(buffer: metrics.body ?? ByteBuffer()).contains("http_requests_total{"))
            }
        }

        @Test("CORS: allowed origins are echoed and may preflight; others get no CORS headers and a 403 preflight")
        func cors() async throws {
            try await GatewayHarness.run(overrides: ["CAIRN_GATEWAY_CORS_ORIGINS": "https://app.example.com"]) { gateway in
                let allowed = try await gateway.call(.get, "/health", headers: [.origin: "https://app.example.com"])
                #expect(allowed.header("Access-Control-Allow-Origin") == "https://app.example.com")
                #expect(allowed.header("Access-Control-Expose-Headers")?.contains("RateLimit-Remaining") == true)
                let other = try await gateway.call(.get, "/health", headers: [.origin: "https://evil.example.com"])
                #expect(other.header("Access-Control-Allow-Origin") == nil)

                let preflight = try await gateway.call(.options, "/v1/auth/me", headers: [
                    .origin: "https://app.example.com", .accessControlRequestMethod: "GET",
                ])
                #expect(preflight.status == .noContent)
                #expect(preflight.header("Access-Control-Allow-Headers")?.contains("Authorization") == true)
                let refused = try await gateway.call(.options, "/v1/auth/me", headers: [
                    .origin: "https://evil.example.com", .accessControlRequestMethod: "GET",
                ])
                #expect(refused.status == .forbidden)
                #expect(refused.errorCode == "FORBIDDEN")
                #expect(refused.header("X-Frame-Options") == "DENY", "a refused preflight carries the security headers too")
                #expect(refused.header("Vary") == "Origin")
                #expect(allowed.header("Access-Control-Allow-Credentials") == nil)
            }
        }
    }
}
