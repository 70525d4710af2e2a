import CairnTesting
import Foundation
import HTTPTypes
import Hummingbird
import Testing

extension GatewayTestSuite {
    /// The gateway with the real billing service behind it.
    @Suite("Gateway: plans and quotas from billing", .serialized)
    struct PlanAndQuotaTests {
        @Test("limits differ by plan: a tenant that moves to pro gets pro's chat limit")
        func limitsFollowThePlan() async throws {
            try await GatewayHarness.run(overrides: ["CAIRN_GATEWAY_PLAN_CACHE_SECONDS": "1"], billing: BillingUpstream()) { gateway in
                let (freeToken, _) = try await gateway.register()
                let free = try await gateway.call(.post, "/v1/test/chat", json: [:], token: freeToken)
                #expect(free.status == .ok, "\(free.text)")
                #expect(free.header("RateLimit-Limit") == "30")

                let (proToken, proTenant) = try await gateway.register()
                let subscribed = try await gateway.call(.post, "/v1/tenants/\(proTenant)/subscription", json: ["plan": "pro"], token: proToken)
                #expect(subscribed.status == .created, "\(subscribed.text)")
                let plan = try await gateway.call(.get, "/v1/tenants/\(proTenant)/plan", token: proToken)
                let proChat = try #require(plan.object("plan", "rate_limits", "chat")?["burst"] as? Int, "\(plan.text)")
                #expect(proChat > 30)
                var last: JSONReply?
                let applied = await eventually(within: .seconds(10), every: .milliseconds(300)) {
                    last = try? await gateway.call(.post, "/v1/test/chat", json: [:], token: proToken)
                    return last?.header("RateLimit-Limit") == "\(proChat)"
                }
                #expect(applied, "pro's limit \(proChat) never applied: \(String(describing: last?.headers))")
                // The free tenant keeps its own.
                #expect(try await gateway.call(.post, "/v1/test/chat", json: [:], token: freeToken).header("RateLimit-Limit") == "30")
            }
        }

        @Test("a used-up quota is 429 QUOTA_EXCEEDED with usage, limit and reset time; the upstream is not called")
        func quotaRefusal() async throws {
            let billing = BillingUpstream()
            try await GatewayHarness.run(overrides: ["CAIRN_GATEWAY_QUOTA_CACHE_SECONDS": "1"], billing: billing) { gateway in
                let (token, tenant) = try await gateway.register()
                let first = try await gateway.call(.post, "/v1/test/ask", json: [:], token: token)
                #expect(first.status == .ok, "\(first.text)")
                try await billing.recordMessages(tenant: tenant, quantity: 100)
                var refused: JSONReply?
                let exhausted = await eventually(within: .seconds(60), every: .milliseconds(500)) {
                    refused = try? await gateway.call(.post, "/v1/test/ask", json: [:], token: token)
                    return refused?.status == .tooManyRequests
                }
                let reply = try #require(refused)
                #expect(exhausted, "\(reply.text)")
                #expect(reply.errorCode == "QUOTA_EXCEEDED")
                let details = try #require(reply.object("error", "details"))
                #expect(details["resource"] as? String == "messages")
                #expect(details["current_usage"] as? Int == 100)
                #expect(details["limit"] as? Int == 100)
                let reset = try #require(details["reset_at"] as? String)
                #expect(try Date(reset, strategy: .iso8601) > Date())
                #expect(reply.header("RateLimit-Limit") == "30", "the rate-limit headers are there on a quota refusal too")
                let reached = gateway.upstream.askCount
                #expect(try await gateway.call(.post, "/v1/test/ask", json: [:], token: token).status == .tooManyRequests)
                #expect(gateway.upstream.askCount == reached, "refused requests never reach the upstream")
            }
        }
    }
}
