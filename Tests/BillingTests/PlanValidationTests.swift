@testable import BillingApp
import CairnBillingAPI
import CairnEvents
import CairnProtos
import CairnTesting
import Foundation
import Hummingbird
import PostgresNIO
import Testing

/// Input that must be refused before it reaches Postgres or billing's arithmetic: 400s and
/// 404s, never a 500 or a crash.
@Suite struct PlanValidationTests {
    static func plan(_ name: String, _ edit: (inout [String: Any]) -> Void = { _ in }) -> [String: Any] {
        var plan = SubscriptionTests.plan(name, messages: 10)
        edit(&plan)
        return plan
    }

    static func limits(_ key: String, _ value: Int) -> (inout [String: Any]) -> Void {
        { plan in
            var limits = plan["limits"] as! [String: Any]
            limits[key] = value
            plan["limits"] = limits
        }
    }

    static func rate(_ key: String, _ value: Int) -> (inout [String: Any]) -> Void {
        { plan in
            var rates = plan["rate_limits"] as! [String: Any]
            var chat = rates["chat"] as! [String: Any]
            chat[key] = value
            rates["chat"] = chat
            plan["rate_limits"] = rates
        }
    }

    @Test func planValuesThatCouldOverflowBillingAreRefused() async throws {
        try await BillingHarness.run { harness in
            let system = try await harness.tokens.token(.systemAdmin, tenant: UUID())
            let name = "big-\(TestInfra.uniqueSuffix())"
            let refused: [(String, (inout [String: Any]) -> Void)] = [
                ("storage_mb", Self.limits("storage_mb", 1_000_000_001)),
                ("storage_mb max", Self.limits("storage_mb", Int.max)),
                ("messages", Self.limits("messages_per_month", 1_000_000_000_001)),
                ("tokens", Self.limits("tokens_per_message", Int.max)),
                ("price", { $0["price_cents"] = 1_000_000_001 }),
                ("overage", { $0["message_overage_cents"] = Int.max }),
                ("per_minute", Self.rate("per_minute", 10_000_001)),
                ("burst", Self.rate("burst", Int.max)),
                ("tenant_per_minute", Self.rate("tenant_per_minute", 10_000_001)),
                ("display_name of 101 code points", { $0["display_name"] = String(repeating: "e\u{301}", count: 51) }),
                ("display_name with NUL", { $0["display_name"] = "a\u{0}b" }),
            ]
            for (what, edit) in refused {
                let created = try await harness.call(.post, "/v1/plans", json: Self.plan(name, edit), token: system)
                #expect(created.status == .badRequest, "\(what): \(created.status) \(created.text)")
                let replaced = try await harness.call(.put, "/v1/plans/free", json: Self.plan("free", edit), token: system)
                #expect(replaced.status == .badRequest, "PUT \(what): \(replaced.status) \(replaced.text)")
            }
            let atBounds = Self.plan(name) { plan in
                Self.limits("storage_mb", 1_000_000_000)(&plan)
                Self.limits("messages_per_month", 1_000_000_000_000)(&plan)
                Self.rate("burst", 10_000_000)(&plan)
                plan["price_cents"] = 1_000_000_000
                plan["message_overage_cents"] = 1_000_000_000
            }
            let created = try await harness.call(.post, "/v1/plans", json: atBounds, token: system)
            #expect(created.status == .created, "\(created.text)")
        }
    }

    @Test func identifiersThatCannotBeStoredAreRefusedNotA500() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            let path = "/v1/tenants/\(tenant.uuidString.lowercased())/subscription"
            let admin = try await harness.tokens.token(.tenantAdmin, tenant: tenant)
            let system = try await harness.tokens.token(.systemAdmin, tenant: UUID())
            #expect(try await harness.get("/v1/plans/%00", token: admin).status == .notFound)
            #expect(try await harness.call(.delete, "/v1/plans/a%00b", token: system).status == .notFound)
            #expect(try await harness.call(.put, "/v1/plans/a%00b", json: SubscriptionTests.plan("x", messages: 1), token: system).status == .notFound)
            #expect(try await harness.call(.post, path, json: ["plan": "pro\u{0}"], token: admin).status == .badRequest)
            #expect(try await harness.call(.patch, path, json: ["plan": "\u{0}"], token: admin).status == .badRequest)
            #expect(try await harness.get("/v1/usage?user_id=a%00b", token: admin).status == .badRequest)
            #expect(try await harness.get("/v1/usage/history?user_id=a%00b", token: admin).status == .badRequest)
            #expect(try await harness.get("/v1/usage?user_id=\(String(repeating: "u", count: 201))", token: admin).status == .badRequest)
        }
    }

    @Test func aPlanInUseCannotBeDeletedEvenWhenTheCheckRaces() async throws {
        try await BillingHarness.run { harness in
            let system = try await harness.tokens.token(.systemAdmin, tenant: UUID())
            let name = "raced-\(TestInfra.uniqueSuffix())"
            #expect(try await harness.call(.post, "/v1/plans", json: SubscriptionTests.plan(name, messages: 3), token: system).status == .created)
            // A subscription only a foreign key knows about (a pending change to the plan).
            let tenant = UUID()
            let admin = try await harness.tokens.token(.tenantAdmin, tenant: tenant)
            let path = "/v1/tenants/\(tenant.uuidString.lowercased())/subscription"
            #expect(try await harness.call(.post, path, json: ["plan": "pro"], token: admin).status == .created)
            #expect(try await harness.call(.patch, path, json: ["plan": name, "effective": "period_end"], token: admin).status == .ok)
            let deleted = try await harness.call(.delete, "/v1/plans/\(name)", token: system)
            #expect(deleted.status == .conflict, "\(deleted.text)")
            #expect(try await harness.get("/v1/plans/\(name)", token: system).status == .ok)
        }
    }

    @Test func aPlanEditAndItsAuditAreOneTransaction() async throws {
        try await BillingHarness.run { harness in
            let system = try await harness.tokens.token(.systemAdmin, tenant: UUID())
            let name = "audited-\(TestInfra.uniqueSuffix())"
            // The audit cannot be written (the outbox is gone): the edit must not happen either.
            try await harness.withDatabase { try await $0.query("ALTER TABLE outbox RENAME TO outbox_away") }
            let failed = try await harness.call(.post, "/v1/plans", json: SubscriptionTests.plan(name, messages: 3), token: system)
            try await harness.withDatabase { try await $0.query("ALTER TABLE outbox_away RENAME TO outbox") }
            #expect(failed.status == .internalServerError)
            #expect(try await harness.get("/v1/plans/\(name)", token: system).status == .notFound, "no plan without its audit")
            #expect(try await harness.call(.post, "/v1/plans", json: SubscriptionTests.plan(name, messages: 3), token: system).status == .created)
        }
    }

    @Test func invoiceAndStorageArithmeticSaturates() throws {
        #expect(Meter.bytes(megabytes: .max) == .max)
        #expect(Meter.bytes(megabytes: 2) == 2_097_152)
        let rate = RateLimit(perMinute: 1, burst: 1, tenantPerMinute: 1)
        let plan = PlanView(
            name: "old", displayName: "Written before the bounds", priceCents: .max, currency: "usd",
            limits: PlanLimits(messagesPerMonth: 0, tokensPerMessage: 1, apiCallsPerDay: 1, documents: 1, storageMB: .max),
            rateLimits: RateLimits(general: rate, chat: rate, search: rate), messageOverageCents: .max
        )
        let billing = TenantBilling(plan: plan, subscription: nil)
        let preview = InvoicePreview(tenantID: UUID(), billing: billing, messagesUsed: .max, at: Date())
        #expect(preview.totalCents == .max)
    }
}
