import CairnAuthKit
import CairnTesting
import Hummingbird
import Foundation
import Testing

/// Tenancy and roles on every endpoint: another tenant's billing answers 404; members see
/// only their own usage.
@Suite struct AccessTests {
    @Test func anotherTenantsBillingIsNotFoundOnEveryEndpoint() async throws {
        try await BillingHarness.run { harness in
            let victim = UUID().uuidString.lowercased()
            let intruder = try await harness.tokens.token(.tenantAdmin, tenant: UUID())
            // Members and narrow API keys lack billing:read/manage in their own tenant: still a 404, never a 403.
            let member = try await harness.tokens.token(.member, tenant: UUID())
            let apiKey = try await harness.tokens.token(Identity(kind: .apiKey, subject: "key-1", tenantID: UUID(), role: .member, scopes: ["usage:read"]))
            let probes: [(HTTPRequest.Method, String, [String: Any]?)] = [
                (.get, "/v1/tenants/\(victim)/plan", nil),
                (.get, "/v1/tenants/\(victim)/subscription", nil),
                (.post, "/v1/tenants/\(victim)/subscription", ["plan": "pro"]),
                (.patch, "/v1/tenants/\(victim)/subscription", ["plan": "pro"]),
                (.delete, "/v1/tenants/\(victim)/subscription", nil),
                (.get, "/v1/usage?tenant_id=\(victim)", nil),
                (.get, "/v1/usage/history?tenant_id=\(victim)", nil),
                (.get, "/v1/invoices/preview?tenant_id=\(victim)", nil),
            ]
            for (who, token) in [("tenant admin", intruder), ("member", member), ("api key", apiKey)] {
                for (method, path, body) in probes {
                    let reply = try await harness.call(method, path, json: body, token: token)
                    #expect(reply.status == .notFound && reply.errorCode == "NOT_FOUND", "\(who) \(method) \(path): \(reply.status) \(reply.text)")
                }
            }
            // The quota check is for services: a tenant admin may not ask, for any tenant.
            let check = try await harness.call(.post, "/v1/quota/check", json: ["tenant_id": victim, "resource": "messages"], token: intruder)
            #expect(check.status == .forbidden)
            for path in ["/v1/tenants/\(victim)/plan", "/v1/usage", "/v1/plans"] {
                #expect(try await harness.get(path, token: nil).status == .unauthorized, "\(path)")
            }
        }
    }

    @Test func membersSeeTheirOwnUsageOnly() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            let (alice, bob) = ("alice-\(TestInfra.uniqueSuffix())", "bob-\(TestInfra.uniqueSuffix())")
            try await harness.publish(
                (0..<3).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage, subject: alice) }
                    + (0..<5).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage, subject: bob) }
            )
            try await harness.awaitLedger(tenant, rows: 8)
            let member = try await harness.tokens.token(.member, tenant: tenant, subject: alice)
            let own = try await harness.get("/v1/usage", token: member)
            #expect(own.status == .ok && own.string("user_id") == alice)
            #expect(Self.used(own, "messages") == 3, "\(own.text)")
            #expect(try await harness.get("/v1/usage?user_id=\(bob)", token: member).status == .notFound)
            #expect(try await harness.get("/v1/usage/history?user_id=\(bob)", token: member).status == .notFound)
            let history = try await harness.get("/v1/usage/history?group_by=user", token: member)
            #expect(history.array("series")?.allSatisfy { $0["user_id"] as? String == alice } == true, "\(history.text)")
            #expect(try await harness.get("/v1/invoices/preview", token: member).status == .forbidden)

            let admin = try await harness.tokens.token(.tenantAdmin, tenant: tenant)
            #expect(Self.used(try await harness.get("/v1/usage", token: admin), "messages") == 8)
            #expect(Self.used(try await harness.get("/v1/usage?user_id=\(bob)", token: admin), "messages") == 5)
            let byUser = try await harness.get("/v1/usage/history?group_by=user&resource=messages", token: admin)
            let quantities = Dictionary(uniqueKeysWithValues: (byUser.array("series") ?? []).map { ($0["user_id"] as? String ?? "", $0["quantity"] as? Int ?? 0) })
            #expect(quantities == [alice: 3, bob: 5], "\(byUser.text)")
            let system = try await harness.tokens.token(.systemAdmin, tenant: UUID())
            #expect(Self.used(try await harness.get("/v1/usage?tenant_id=\(tenant.uuidString)", token: system), "messages") == 8)
            #expect(try await harness.get("/v1/usage", token: system).status == .badRequest, "system admins name the tenant")
        }
    }

    static func used(_ reply: JSONReply, _ resource: String) -> Int? {
        reply.array("usage")?.first { $0["resource"] as? String == resource }?["used"] as? Int
    }
}
