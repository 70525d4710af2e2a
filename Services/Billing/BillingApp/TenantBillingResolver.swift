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

    func billing(tenantID: UUID, at date: Date) async throws -> TenantBilling {
        async let subscription = subscriptions.current(tenantID: tenantID)
        async let catalogue = plans.all()
        return try resolve(try await subscription, at: date, catalogue: Self.byName(try await catalogue))
    }

    /// For a batch of usage: one query for the tenants' subscriptions, one for the plans.
    func batch(tenantIDs: [UUID]) async throws -> @Sendable (UUID, Date) throws -> TenantBilling {
        async let current = subscriptions.current(tenantIDs: tenantIDs)
        async let catalogue = plans.all()
        let (found, byName) = (try await current, Self.byName(try await catalogue))
        return { tenant, date in try resolve(found[tenant], at: date, catalogue: byName) }
    }

    func resolve(_ subscription: Subscription?, at date: Date, catalogue: [String: PlanView]) throws -> TenantBilling {
        if let subscription, subscription.isInForce(at: date), let plan = catalogue[subscription.plan(at: date)] {
            return TenantBilling(plan: plan, subscription: subscription)
        }
        guard let plan = catalogue[defaultPlan] else { throw DefaultPlanMissing(name: defaultPlan) }
        return TenantBilling(plan: plan, subscription: nil)
    }

    private static func byName(_ plans: [PlanView]) -> [String: PlanView] {
        Dictionary(plans.map { ($0.name, $0) }) { first, _ in first }
    }
}
