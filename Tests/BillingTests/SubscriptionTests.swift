import CairnEvents
import CairnProtos
import CairnTesting
import Foundation
import Hummingbird
import PostgresNIO
import Testing

/// Plans (system admins) and subscriptions (tenant admins): one in force per tenant, plan
/// changes now or at period end, cancellation, every change audited; quota checks follow.
@Suite struct SubscriptionTests {
    static func plan(_ name: String, messages: Int) -> [String: Any] {
        let rate: [String: Any] = ["per_minute": 10, "burst": 10, "tenant_per_minute": 100]
        return ["name": name, "display_name": "Tiny", "price_cents": 500, "currency": "usd", "message_overage_cents": NSNull(),
                "limits": ["messages_per_month": messages, "tokens_per_message": 500, "api_calls_per_day": 10, "documents": 5, "storage_mb": 1],
                "rate_limits": ["general": rate, "chat": rate, "search": rate]]
    }

    @Test func systemAdminsEditPlansAndQuotaChecksFollowAtOnce() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            let tenantPath = "/v1/tenants/\(tenant.uuidString.lowercased())"
            let system = try await harness.tokens.token(.systemAdmin, tenant: UUID())
            let admin = try await harness.tokens.token(.tenantAdmin, tenant: tenant)
            let name = "tiny-\(TestInfra.uniqueSuffix())"

            let free = try await harness.get("/v1/plans/free", token: admin)
            #expect(free.int("rate_limits", "chat", "per_minute") == 30 && free.int("limits", "messages_per_month") == 100)
            #expect(try await harness.call(.post, "/v1/plans", json: Self.plan(name, messages: 3), token: admin).status == .forbidden)
            #expect(try await harness.call(.post, "/v1/plans", json: Self.plan(name, messages: 3), token: system).status == .created)
            #expect(try await harness.call(.post, "/v1/plans", json: Self.plan(name, messages: 3), token: system).status == .conflict)
            #expect(try await harness.call(.post, "/v1/plans", json: Self.plan("Bad Name", messages: 3), token: system).status == .badRequest)

            let created = try await harness.call(.post, "\(tenantPath)/subscription", json: ["plan": name], token: admin)
            #expect(created.status == .created && created.string("subscription", "plan") == name, "\(created.text)")
            #expect(try await harness.call(.post, "\(tenantPath)/subscription", json: ["plan": "pro"], token: admin).status == .conflict)
            #expect(try await harness.quota(tenant, "messages").int("limit") == 3)

            #expect(try await harness.call(.put, "/v1/plans/\(name)", json: Self.plan(name, messages: 5), token: system).status == .ok)
            #expect(try await harness.quota(tenant, "messages").int("limit") == 5, "a plan edit reaches cached checks at once")
            #expect(try await harness.call(.delete, "/v1/plans/\(name)", token: system).status == .conflict, "in use")
            #expect(try await harness.call(.delete, "/v1/plans/free", token: system).status == .conflict, "the default plan")

            let view = try await harness.get("\(tenantPath)/plan", token: try await harness.tokens.token(.service, tenant: nil, subject: "gateway"))
            #expect(view.string("plan", "name") == name && view.int("plan", "rate_limits", "general", "burst") == 10, "\(view.text)")
        }
    }

    @Test func subscriptionsChangeAndCancelOneAtATimeAndAreAudited() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            let path = "/v1/tenants/\(tenant.uuidString.lowercased())/subscription"
            let admin = try await harness.tokens.token(.tenantAdmin, tenant: tenant)
            #expect(try await harness.get(path, token: admin)["subscription"] is NSNull)
            #expect(try await harness.call(.post, path, json: ["plan": "nope"], token: admin).status == .badRequest)
            let created = try await harness.call(.post, path, json: ["plan": "pro", "billing_cycle": "monthly", "trial_days": 14], token: admin)
            #expect(created.status == .created && created.string("subscription", "status") == "trialing", "\(created.text)")
            #expect(try await harness.quota(tenant, "messages").string("plan") == "pro")

            let downgrade = try await harness.call(.patch, path, json: ["plan": "free", "effective": "period_end"], token: admin)
            #expect(downgrade.status == .ok && downgrade.string("subscription", "plan") == "pro", "a downgrade waits for the period end")
            let upgrade = try await harness.call(.patch, path, json: ["plan": "enterprise"], token: admin)
            #expect(upgrade.string("subscription", "plan") == "enterprise", "\(upgrade.text)")
            let unlimited = try await harness.quota(tenant, "messages")
            #expect(unlimited.int("limit") == -1 && unlimited.int("remaining") == -1 && unlimited["allowed"] as? Bool == true)
            #expect(try await harness.call(.patch, path, json: ["status": "past_due"], token: admin).status == .forbidden)
            let ending = try await harness.call(.patch, path, json: ["cancel_at_period_end": true], token: admin)
            #expect(ending.string("subscription", "ends_at") == ending.string("subscription", "current_period_end") && ending.string("subscription", "ends_at") != nil)

            // The constraint itself: a second subscription in force cannot be written.
            let second = try await harness.withDatabase { client in
                try? await client.query("""
                    INSERT INTO subscriptions (id, tenant_id, plan_name, status, billing_cycle, period_anchor, started_at)
                    VALUES (\(UUID()), \(tenant), 'free', 'active', 'monthly', now(), now())
                    """)
            }
            #expect(second == nil, "the unique index refuses a second subscription in force")

            #expect(try await harness.call(.delete, path, token: admin).status == .noContent)
            #expect(try await harness.get(path, token: admin)["subscription"] is NSNull)
            #expect(try await harness.quota(tenant, "messages").string("plan") == "free")
            #expect(try await harness.call(.post, path, json: ["plan": "pro"], token: admin).status == .created, "a new one after cancelling")

            let key = Array(tenant.uuidString.lowercased().utf8)
            let audit = try await TopicReader.read(EventTopic.audit.name, within: .seconds(30), keep: { $0.key == key }) { $0.count >= 6 }
            let actions = try audit.map { try EventCodec.decode(Cairn_V1_AuditEvent.self, from: $0.value) }.map(\.action)
            #expect(actions.sorted() == ["subscription.cancel", "subscription.create", "subscription.create", "subscription.update",
                                         "subscription.update", "subscription.update"], "\(actions)")
        }
    }
}
