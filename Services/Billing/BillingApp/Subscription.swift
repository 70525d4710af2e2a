import CairnBillingAPI
import Foundation

enum SubscriptionStatus: String, Codable, Sendable {
    case trialing, active
    case pastDue = "past_due"
    case cancelled
}

enum BillingCycle: String, Codable, Sendable {
    case monthly, yearly
}

/// A tenant's subscription row. Time-driven changes (a trial ending, a scheduled downgrade, a
/// cancellation at period end) are not written by a job: they are read off the row for the
/// instant asked about, so every reader sees them at exactly the same moment.
struct Subscription: Sendable, Equatable, Codable {
    var id: UUID
    var tenantID: UUID
    var planName: String
    var status: SubscriptionStatus
    var billingCycle: BillingCycle
    /// Monthly periods start on this day of the month (00:00 UTC).
    var periodAnchor: Date
    var startedAt: Date
    var trialEndsAt: Date?
    var endsAt: Date?
    var cancelAtPeriodEnd: Bool
    var pendingPlan: String?
    var pendingAt: Date?

    /// Whether the subscription governs the tenant at `date`.
    func isInForce(at date: Date) -> Bool {
        status != .cancelled && startedAt <= date && (endsAt.map { date < $0 } ?? true)
    }

    /// Whether the subscription governed (or governs) the tenant at `date`, whatever its
    /// status now: started by then and not yet ended. A cancelled row without an end never
    /// governs (cancellation always sets one).
    func governs(at date: Date) -> Bool {
        startedAt <= date && (endsAt.map { date < $0 } ?? (status != .cancelled))
    }

    /// The plan in force at `date` (a scheduled change applies from its date on).
    func plan(at date: Date) -> String {
        if let pendingPlan, let pendingAt, date >= pendingAt { return pendingPlan }
        return planName
    }

    func status(at date: Date) -> SubscriptionStatus {
        if !isInForce(at: date) { return .cancelled }
        if status == .trialing, let trialEndsAt, date >= trialEndsAt { return .active }
        return status
    }

    /// The billing period (monthly or yearly, per the cycle) containing `date`.
    func billingPeriod(containing date: Date) -> DateInterval {
        switch billingCycle {
        case .monthly: BillingPeriod.month(containing: date, anchor: periodAnchor)
        case .yearly: BillingPeriod.year(containing: date, anchor: periodAnchor)
        }
    }

    func view(at date: Date) -> SubscriptionView {
        let period = billingPeriod(containing: date)
        return SubscriptionView(
            id: id, tenantID: tenantID, plan: plan(at: date), status: status(at: date).rawValue, billingCycle: billingCycle.rawValue,
            startedAt: startedAt, endsAt: endsAt, currentPeriodStart: period.start, currentPeriodEnd: period.end,
            cancelAtPeriodEnd: cancelAtPeriodEnd
        )
    }
}

/// What governs a tenant at an instant: its plan and, when it has one, its subscription.
struct TenantBilling: Sendable {
    var plan: PlanView
    var subscription: Subscription?

    /// Monthly periods follow the subscription's anchor, else calendar months.
    var anchor: Date { subscription?.periodAnchor ?? BillingPeriod.calendarAnchor }

    func view(at date: Date) -> TenantPlan {
        TenantPlan(plan: plan, subscription: subscription?.view(at: date))
    }
}
