@testable import BillingApp
import CairnBillingAPI
import CairnRedis
import CairnTesting
import Foundation
import Testing

/// `POST /v1/quota/check` against usage that really went through Kafka and the ledger.
@Suite struct QuotaTests {
    /// Polls the check until `used` reaches `count` (the counter is copied to Redis just after
    /// the ledger commits), then returns that answer.
    static func checkOnce(_ harness: BillingHarness, _ tenant: UUID, _ resource: String, used count: Int, quantity: Int = 1) async throws -> JSONReply {
        _ = await eventually(within: .seconds(60), every: .milliseconds(50)) {
            (try? await harness.quota(tenant, resource).int("used")) == count
        }
        return try await harness.quota(tenant, resource, quantity: quantity)
    }

    @Test func messagesFlipToRefusedAtExactlyTheLimit() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            let fresh = try await harness.quota(tenant, "messages")
            #expect(fresh.status == .ok)
            #expect(fresh["allowed"] as? Bool == true && fresh.int("limit") == 100 && fresh.int("used") == 0 && fresh.int("remaining") == 100)
            #expect(fresh.string("plan") == "free")
            let nextMonth = BillingPeriod.month(containing: Date(), anchor: BillingPeriod.calendarAnchor).end
            #expect(fresh.string("reset_at") == ISO8601DateFormatter().string(from: nextMonth))

            try await harness.publish((0..<99).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage) })
            let below = try await Self.checkOnce(harness, tenant, "messages", used: 99)
            #expect(below.int("used") == 99 && below.int("remaining") == 1 && below["allowed"] as? Bool == true)
            #expect(try await harness.quota(tenant, "messages", quantity: 2)["allowed"] as? Bool == false, "99 + 2 is over 100")

            try await harness.publish([BillingHarness.usage(tenant: tenant, kind: .chatMessage)])
            let at = try await Self.checkOnce(harness, tenant, "messages", used: 100)
            #expect(at.int("used") == 100 && at.int("remaining") == 0 && at["allowed"] as? Bool == false)
            #expect(try await harness.quota(tenant, "messages", quantity: 0)["allowed"] as? Bool == true, "asking for nothing is allowed")
        }
    }

    @Test func tokensPerMessageIsCheckedAgainstTheRequest() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            let fits = try await harness.quota(tenant, "tokens", quantity: 1000)
            #expect(fits["allowed"] as? Bool == true && fits.int("limit") == 1000 && fits.int("remaining") == 1000)
            #expect(fits["reset_at"] is NSNull, "per-request limits do not reset: reset_at is null")
            #expect(try await harness.quota(tenant, "tokens", quantity: 1001)["allowed"] as? Bool == false)
        }
    }

    @Test func periodsResetMonthlyAndDaily() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            let thisMonth = BillingPeriod.month(containing: Date(), anchor: BillingPeriod.calendarAnchor).start
            let today = BillingPeriod.day(containing: Date()).start
            var events = (0..<100).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage, at: thisMonth.addingTimeInterval(-3600)) }
            events += (0..<100).map { _ in BillingHarness.usage(tenant: tenant, kind: .apiRequest, at: today.addingTimeInterval(-60)) }
            events += (0..<3).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage) }
            events += (0..<100).map { _ in BillingHarness.usage(tenant: tenant, kind: .apiRequest) }
            try await harness.publish(events)
            try await harness.awaitLedger(tenant, rows: 303)
            let messages = try await Self.checkOnce(harness, tenant, "messages", used: 3)
            #expect(messages.int("used") == 3 && messages["allowed"] as? Bool == true, "last month's 100 messages do not count")
            let calls = try await Self.checkOnce(harness, tenant, "api_calls", used: 100)
            #expect(calls["allowed"] as? Bool == false && calls.int("limit") == 100, "today's 100 calls exhaust the day; yesterday's do not count")
            #expect(calls.string("reset_at") == ISO8601DateFormatter().string(from: today.addingTimeInterval(86_400)))
        }
    }

    @Test func countersRedisLostAreRebuiltFromTheLedger() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            try await harness.publish((0..<42).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage) })
            _ = try await Self.checkOnce(harness, tenant, "messages", used: 42)
            let redis = RedisClient(settings: .init(endpoint: TestInfra.redis), logger: BillingHarness.logger)
            defer { Task { await redis.shutdown() } }
            let keys = try await redis.command(["KEYS", RedisArgument("billing:*\(tenant.uuidString.lowercased())*")]).array?.compactMap(\.string) ?? []
            #expect(!keys.isEmpty)
            try await redis.del(keys)
            let rebuilt = try await harness.quota(tenant, "messages")
            #expect(rebuilt.int("used") == 42 && rebuilt.int("remaining") == 58)
            let key = "billing:count:\(tenant.uuidString.lowercased()):messages:\(Int(BillingPeriod.month(containing: Date(), anchor: BillingPeriod.calendarAnchor).start.timeIntervalSince1970))"
            #expect(try await redis.get(key, as: Int.self) == 42, "the rebuilt counter is back in Redis")
            try await harness.publish((0..<58).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage) })
            #expect(try await Self.checkOnce(harness, tenant, "messages", used: 100)["allowed"] as? Bool == false)
        }
    }

    @Test func badRequestsAndCallersWithoutTheRightAreRefused() async throws {
        try await BillingHarness.run { harness in
            let tenant = UUID()
            let service = try await harness.tokens.token(.service, tenant: nil, subject: "gateway")
            for body in [#"{"tenant_id": "\#(tenant)", "resource": "unicorns"}"#, #"{"resource": "messages"}"#,
                         #"{"tenant_id": "\#(tenant)", "resource": "messages", "quantity": -1}"#, "not json"] {
                let reply = try await harness.call(.post, "/v1/quota/check", raw: body, token: service)
                #expect(reply.status == .badRequest && reply.errorCode == "INVALID_REQUEST", "\(body): \(reply.text)")
            }
            let body: [String: Any] = ["tenant_id": tenant.uuidString, "resource": "messages"]
            #expect(try await harness.call(.post, "/v1/quota/check", json: body, token: nil).status == .unauthorized)
            let member = try await harness.tokens.token(.member, tenant: tenant)
            #expect(try await harness.call(.post, "/v1/quota/check", json: body, token: member).status == .forbidden)
        }
    }
}
