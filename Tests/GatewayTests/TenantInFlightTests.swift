import AsyncHTTPClient
import CairnTesting
import Foundation
import NIOCore
import ServiceKit
import Testing

extension GatewayTestSuite {
    @Suite("Gateway: requests in flight per tenant", .serialized)
    struct TenantInFlightTests {
        @Test("past its cap a tenant gets 429 CONCURRENCY_LIMITED, other tenants go on, and a stream that ends or is abandoned frees its place")
        func capPerTenant() async throws {
            try await GatewayHarness.run(overrides: ["CAIRN_GATEWAY_TENANT_MAX_IN_FLIGHT": "2"]) { gateway in
                // Whatever fails, the upstream's held streams end, so the servers can shut down.
                defer { gateway.upstream.releaseStreams() }
                let (token, _) = try await gateway.register()
                let (neighbourToken, _) = try await gateway.register()
                // Two streams the upstream holds open: the tenant's two places.
                let abandoned = try await Self.openStream(gateway, token: token)
                let kept = try await Self.openStream(gateway, token: token)

                let refused = try await gateway.call(.get, "/v1/test/echo", token: token)
                #expect(refused.status == .tooManyRequests, "\(refused.text)")
                #expect(refused.errorCode == "CONCURRENCY_LIMITED")
                #expect(refused.header("Retry-After") == "1")
                #expect(refused.int("error", "details", "limit") == 2)
                #expect(refused.string("error", "request_id")?.isEmpty == false)
                let neighbour = try await gateway.call(.get, "/v1/test/echo", token: neighbourToken)
                #expect(neighbour.status == .ok, "another tenant is not held back: \(neighbour.text)")

                // A client that goes away mid-stream gives its place back.
                abandoned.cancel()
                #expect(try await Self.eventuallyAllowed(gateway, token: token), "the abandoned stream's place came back")
                #expect(try await gateway.call(.get, "/v1/test/echo", token: token).status == .ok)

                // Both places taken again, then a stream that ends gives its place back.
                let third = try await Self.openStream(gateway, token: token)
                #expect(try await gateway.call(.get, "/v1/test/echo", token: token).status == .tooManyRequests)
                gateway.upstream.releaseStreams()
                #expect(try await kept.value == "data: first\n\ndata: second\n\n")
                #expect(try await third.value == "data: first\n\ndata: second\n\n")
                #expect(try await Self.eventuallyAllowed(gateway, token: token), "the finished streams' places came back")
            }
        }

        /// A stream of `/v1/test/stream` whose first event has arrived; the task reads the rest.
        static func openStream(_ gateway: GatewayHarness, token: String) async throws -> Task<String, any Error> {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(gateway.gatewayPort)/v1/test/stream")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            let (started, signal) = AsyncStream.makeStream(of: Bool.self)
            let task = Task {
                let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
                var received = ""
                var sentSignal = false
                defer { if !sentSignal { signal.yield(false) } }
                guard response.status == .ok else { return "status \(response.status.code)" }
                for try await chunk in response.body {
                    received += String(buffer: chunk)
                    if !sentSignal, received.contains("data: first\n\n") {
                        sentSignal = true
                        signal.yield(true)
                    }
                }
                return received
            }
            let firstArrived = try await withTimeout(.seconds(30)) { await started.first { _ in true } }
            try #require(firstArrived == true, "the stream's first event arrived")
            return task
        }

        /// Whether the tenant's next request is let through within 5 s.
        static func eventuallyAllowed(_ gateway: GatewayHarness, token: String) async throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(5)
            while ContinuousClock.now < deadline {
                if try await gateway.call(.get, "/v1/test/echo", token: token).status == .ok { return true }
                try await Task.sleep(for: .milliseconds(200))
            }
            return false
        }
    }
}
