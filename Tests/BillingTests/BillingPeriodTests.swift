@testable import BillingApp
import Foundation
import Testing

@Suite struct BillingPeriodTests {
    static func date(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func calendarMonthsWithoutASubscription() {
        let period = BillingPeriod.month(containing: Self.date("2025-03-15T12:00:00Z"), anchor: BillingPeriod.calendarAnchor)
        #expect(period.start == Self.date("2025-03-01T00:00:00Z"))
        #expect(period.end == Self.date("2025-04-01T00:00:00Z"))
    }

    @Test func anchoredMonthsStartOnTheAnchorDayAndClampInShortMonths() {
        let anchor = Self.date("2025-01-31T17:45:00Z")
        let february = BillingPeriod.month(containing: Self.date("2025-03-10T00:00:00Z"), anchor: anchor)
        #expect(february.start == Self.date("2025-02-28T00:00:00Z"))
        #expect(february.end == Self.date("2025-03-31T00:00:00Z"))
        let boundary = BillingPeriod.month(containing: Self.date("2025-03-31T00:00:00Z"), anchor: anchor)
        #expect(boundary.start == Self.date("2025-03-31T00:00:00Z"), "the first instant of a period belongs to it")
        let before = BillingPeriod.month(containing: Self.date("2024-12-31T23:59:59Z"), anchor: anchor)
        #expect(before.start == Self.date("2024-12-31T00:00:00Z"), "instants before the anchor get periods too")
    }

    @Test func yearsAndDays() {
        let anchor = Self.date("2024-02-29T08:00:00Z")
        let year = BillingPeriod.year(containing: Self.date("2025-06-01T00:00:00Z"), anchor: anchor)
        #expect(year.start == Self.date("2025-02-28T00:00:00Z"))
        #expect(year.end == Self.date("2026-02-28T00:00:00Z"))
        let day = BillingPeriod.day(containing: Self.date("2025-06-01T23:59:59Z"))
        #expect(day.start == Self.date("2025-06-01T00:00:00Z") && day.end == Self.date("2025-06-02T00:00:00Z"))
        #expect(BillingPeriod.day(parsing: "2025-02-29") == nil)
        #expect(BillingPeriod.dayString(Self.date("2025-06-01T23:59:59Z")) == "2025-06-01")
    }

    @Test func scheduledChangesAndEndsApplyAtTheirInstant() {
        let start = Self.date("2025-01-10T00:00:00Z")
        let switchAt = Self.date("2025-02-10T00:00:00Z")
        let subscription = Subscription(
            id: UUID(), tenantID: UUID(), planName: "pro", status: .trialing, billingCycle: .monthly, periodAnchor: start, startedAt: start,
            trialEndsAt: Self.date("2025-01-24T00:00:00Z"), endsAt: Self.date("2025-03-10T00:00:00Z"), cancelAtPeriodEnd: true,
            pendingPlan: "free", pendingAt: switchAt
        )
        #expect(subscription.plan(at: switchAt.addingTimeInterval(-1)) == "pro")
        #expect(subscription.plan(at: switchAt) == "free")
        #expect(subscription.status(at: Self.date("2025-01-20T00:00:00Z")) == .trialing)
        #expect(subscription.status(at: Self.date("2025-01-24T00:00:00Z")) == .active)
        #expect(subscription.isInForce(at: Self.date("2025-03-09T23:59:59Z")))
        #expect(!subscription.isInForce(at: Self.date("2025-03-10T00:00:00Z")))
    }
}
