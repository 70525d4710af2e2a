import CairnAuthKit
import Foundation

/// `PATCH /v1/tenants/{tenant_id}/subscription`: change plan (now, or at the end of the
/// billing period), cancel at period end (or take that back), or, for system admins, set the
/// payment status.
struct SubscriptionUpdate: Decodable {
    enum Effective: String, Decodable {
        case now
        case periodEnd = "period_end"
    }

    var plan: String?
    var effective: Effective?
    var cancelAtPeriodEnd: Bool?
    var status: SubscriptionStatus?

    enum CodingKeys: String, CodingKey {
        case plan, effective, status
        case cancelAtPeriodEnd = "cancel_at_period_end"
    }

    /// Applies the update; returns the audit details. Throws for updates that say nothing or
    /// are not allowed.
    func apply(to subscription: inout Subscription, at now: Date, by identity: Identity) throws -> [String: String] {
        guard plan != nil || cancelAtPeriodEnd != nil || status != nil else {
            throw BillingError.invalid("name at least one of plan, cancel_at_period_end, status")
        }
        var details: [String: String] = [:]
        let periodEnd = subscription.billingPeriod(containing: now).end
        if let plan {
            details["from_plan"] = subscription.planName
            details["to_plan"] = plan
            switch effective ?? .now {
            case .now:
                subscription.planName = plan
                subscription.pendingPlan = nil
                subscription.pendingAt = nil
                details["effective_at"] = ISO8601DateFormatter().string(from: now)
            case .periodEnd:
                subscription.pendingPlan = plan
                subscription.pendingAt = periodEnd
                details["effective_at"] = ISO8601DateFormatter().string(from: periodEnd)
            }
        }
        if let cancelAtPeriodEnd {
            subscription.cancelAtPeriodEnd = cancelAtPeriodEnd
            subscription.endsAt = cancelAtPeriodEnd ? periodEnd : nil
            details["cancel_at_period_end"] = "\(cancelAtPeriodEnd)"
        }
        if let status {
            guard identity.role == .systemAdmin else { throw BillingError.forbidden("only system admins set the payment status") }
            guard status == .active || status == .pastDue else { throw BillingError.invalid("status: active or past_due (cancel with DELETE)") }
            details["from_status"] = subscription.status.rawValue
            details["to_status"] = status.rawValue
            subscription.status = status
            subscription.trialEndsAt = nil
        }
        return details
    }
}

extension Subscription {
    /// The row with changes whose time has come written in: a scheduled plan change that is
    /// due becomes the plan, an ended trial becomes active.
    func settled(at date: Date) -> Subscription {
        var settled = self
        if let pendingPlan, let pendingAt, date >= pendingAt {
            settled.planName = pendingPlan
            settled.pendingPlan = nil
            settled.pendingAt = nil
        }
        if status == .trialing, let trialEndsAt, date >= trialEndsAt {
            settled.status = .active
        }
        return settled
    }
}
