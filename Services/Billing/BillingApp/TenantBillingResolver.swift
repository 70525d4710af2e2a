import CairnBillingAPI
import Foundation

/// Works out what governs a tenant at an instant from Postgres: the subscription in force and
/// its plan at that instant, else the default plan with calendar months.
struct TenantBillingResolver: Sendable {
    let plans: PlanStore
    let subscriptions: SubscriptionStore
    let defaultPlan: String

    struct DefaultPlanMissing: Error, CustomStringConvertible {
        var name: String
        var description: String { "the default plan \(name) does not exist" }
    }

    /// Stops start-up when `CAIRN_BILLING_DEFAULT_PLAN` names no plan.
    func requireDefaultPlan() async throws {
        guard try await plans.plan(named: defaultPlan) != nil else { throw DefaultPlanMissing(name: defaultPlan) }
    }

    func billing(tenantID: UUID, at date: Date) async throws -> TenantBilling {
        async let subscription = subscriptions.current(tenantID: tenantID)
        async let catalogue = plans.all()
        return try resolve(try await subscription, at: date, catalogue: Self.byName(try await catalogue))
    }

    /// For a batch of usage: one query for the tenants' subscription history, one for the
    /// plans. An event is billed under the subscription that governed it when it occurred
    /// (a late event after a cancellation still counts under the cancelled subscription).
    func batch(tenantIDs: [UUID]) async throws -> @Sendable (UUID, Date) throws -> TenantBilling {
        async let history = subscriptions.history(tenantIDs: tenantIDs)
        async let catalogue = plans.all()
        let (found, byName) = (try await history, Self.byName(try await catalogue))
        return { tenant, date in
            try billing(under: found[tenant]?.last { $0.governs(at: date) }, at: date, catalogue: byName)
        }
    }

    /// What governs at `date` given the tenant's current (not cancelled) subscription.
    func resolve(_ subscription: Subscription?, at date: Date, catalogue: [String: PlanView]) throws -> TenantBilling {
        try billing(under: subscription.flatMap { $0.isInForce(at: date) ? $0 : nil }, at: date, catalogue: catalogue)
    }

    private func billing(under subscription: Subscription?, at date: Date, catalogue: [String: PlanView]) throws -> TenantBilling {
        if let subscription, let plan = catalogue[subscription.plan(at: date)] {
            return TenantBilling(plan: plan, subscription: subscription)
        }
        guard let plan = catalogue[defaultPlan] else { throw DefaultPlanMissing(name: defaultPlan) }
        return TenantBilling(plan: plan, subscription: nil)
    }

    private static func byName(_ plans: [PlanView]) -> [String: PlanView] {
        Dictionary(plans.map { ($0.name, $0) }) { first, _ in first }
    }
}
