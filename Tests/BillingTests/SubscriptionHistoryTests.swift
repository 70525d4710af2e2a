@testable import BillingApp
import CairnTesting
import Foundation
import PostgresNIO
import Testing

/// Usage is counted under the subscription in force when it occurred, and a tenant's period
/// survives cancel + re-subscribe.
@Suite struct SubscriptionHistoryTests {
    /// A day-of-month anchor 20 days back (not the 1st, so its periods differ from calendar months).
    static let anchor: Date = {
        var day = BillingPeriod.day(containing: Date().addingTimeInterval(-20 * 86_400)).start
        if BillingPeriod.calendar.component(.day, from: day) == 1 { day = day.addingTimeInterval(86_400) }
        return day
    }()

    /// Moves the tenant's subscription back to ``anchor`` (as if it had started then).
    static func backdate(_ harness: BillingHarness, _ tenant: UUID) async throws {
        try await harness.withDatabase { client in
            try await client.query("UPDATE subscriptions SET started_at = \(anchor), period_anchor = \(anchor) WHERE tenant_id = \(tenant)")
        }
    }

    /// A new tenant on `pro` since ``anchor``: its id, subscription path and an admin's token.
    static func subscribeToPro(_ harness: BillingHarness) async throws -> (UUID, String, String) {
        let tenant = UUID()
        let path = "/v1/tenants/\(tenant.uuidString.lowercased())/subscription"
        let admin = try await harness.tokens.token(.tenantAdmin, tenant: tenant)
        try #require(try await harness.call(.post, path, json: ["plan": "pro"], token: admin).status == .created)
        try await backdate(harness, tenant)
        return (tenant, path, admin)
    }

    static func periodStarts(_ harness: BillingHarness, _ tenant: UUID) async throws -> [Date] {
        try await harness.withDatabase { client in
            try await client.query("SELECT period_start FROM usage_ledger WHERE tenant_id = \(tenant) ORDER BY occurred_at")
                .decode(Date.self).reduce(into: []) { $0.append($1) }
        }
    }

    @Test func aLateEventAfterACancellationCountsUnderTheSubscriptionInForceWhenItOccurred() async throws {
        try await BillingHarness.run { harness in
            let (tenant, path, admin) = try await Self.subscribeToPro(harness)
            #expect(try await harness.call(.delete, path, token: admin).status == .noContent)

            // Occurred an hour before the cancellation, arrives after it; then one under the default plan.
            try await harness.publish([BillingHarness.usage(tenant: tenant, kind: .chatMessage, at: Date().addingTimeInterval(-3_600))])
            try await harness.awaitLedger(tenant, rows: 1)
            try await harness.publish([BillingHarness.usage(tenant: tenant, kind: .chatMessage, at: Date().addingTimeInterval(60))])
            try await harness.awaitLedger(tenant, rows: 2)
            let starts = try await Self.periodStarts(harness, tenant)
            #expect(starts[0] == BillingPeriod.month(containing: Date(), anchor: Self.anchor).start, "the pro subscription's period")
            #expect(starts[1] == BillingPeriod.month(containing: Date(), anchor: BillingPeriod.calendarAnchor).start, "the default plan's")
        }
    }

    @Test func cancelAndResubscribeWithinThePeriodKeepsItsCounters() async throws {
        try await BillingHarness.run { harness in
            let (tenant, path, admin) = try await Self.subscribeToPro(harness)
            try await harness.publish((0..<3).map { _ in BillingHarness.usage(tenant: tenant, kind: .chatMessage) })
            try await harness.awaitLedger(tenant, rows: 3)
            #expect(try await QuotaTests.checkOnce(harness, tenant, "messages", used: 3).int("used") == 3)

            #expect(try await harness.call(.delete, path, token: admin).status == .noContent)
            let again = try await harness.call(.post, path, json: ["plan": "pro"], token: admin)
            #expect(again.status == .created, "\(again.text)")
            let check = try await harness.quota(tenant, "messages")
            #expect(check.int("used") == 3, "messages used before the cancellation still count: \(check.text)")
            let nextReset = ISO8601DateFormatter().string(from: BillingPeriod.month(containing: Date(), anchor: Self.anchor).end)
            #expect(check.string("reset_at") == nextReset)
        }
    }

    @Test func anAnchorCarriesOverOnlyWithinThePeriod() {
        let day: TimeInterval = 86_400
        let now = Date()
        var previous = Subscription(
            id: UUID(), tenantID: UUID(), planName: "pro", status: .cancelled, billingCycle: .monthly, periodAnchor: Self.anchor,
            startedAt: Self.anchor, trialEndsAt: nil, endsAt: now.addingTimeInterval(-day), cancelAtPeriodEnd: false, pendingPlan: nil, pendingAt: nil
        )
        #expect(BillingAPI.anchor(continuing: previous, at: now) == Self.anchor)
        previous.endsAt = Self.anchor.addingTimeInterval(-40 * day)
        #expect(BillingAPI.anchor(continuing: previous, at: now) == BillingPeriod.day(containing: now).start)
        #expect(BillingAPI.anchor(continuing: nil, at: now) == BillingPeriod.day(containing: now).start)
    }
}
