import CairnAuthKit
import CairnBillingAPI
import CairnRedis
import Foundation
import Hummingbird
import PostgresNIO

/// A tenant's plan and subscription: read by its admins, system admins and services (the
/// gateway reads rate limits here); changed by its admins and system admins. Every change is
/// audited in the transaction that makes it.
extension TenantPlan: ResponseEncodable {}

extension BillingAPI {
    struct SubscriptionAnswer: ResponseEncodable {
        var subscription: SubscriptionView?

        enum CodingKeys: String, CodingKey { case subscription }

        /// `subscription` is `null` when there is none: the key is always there.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(subscription, forKey: .subscription)
        }
    }

    struct CreateSubscription: Decodable {
        var plan: String
        var billingCycle: BillingCycle?
        var trialDays: Int?

        enum CodingKeys: String, CodingKey {
            case plan
            case billingCycle = "billing_cycle"
            case trialDays = "trial_days"
        }
    }

    static let maxTrialDays = 90

    func addSubscriptionRoutes(to group: RouterGroup<BillingRequestContext>) {
        group.get("/v1/tenants/{tenant_id}/plan") { _, context -> TenantPlan in
            let (_, tenant) = try pathTenant(context, "billing:read")
            let now = Date()
            do {
                return try await planCache.billing(tenantID: tenant, at: now).view(at: now)
            } catch is RedisError {
                return try await resolver.billing(tenantID: tenant, at: now).view(at: now)
            }
        }
        group.get("/v1/tenants/{tenant_id}/subscription") { _, context -> SubscriptionAnswer in
            let (_, tenant) = try pathTenant(context, "billing:read")
            let now = Date()
            let current = try await subscriptions.current(tenantID: tenant)
            return SubscriptionAnswer(subscription: current.flatMap { $0.isInForce(at: now) ? $0.view(at: now) : nil })
        }
        group.post("/v1/tenants/{tenant_id}/subscription") { request, context -> EditedResponse<SubscriptionAnswer> in
            let (_, tenant) = try pathTenant(context, "billing:manage")
            let body = try await request.decode(as: CreateSubscription.self, context: context)
            let trialDays = body.trialDays ?? 0
            guard (0...Self.maxTrialDays).contains(trialDays) else { throw BillingError.invalid("trial_days: 0 to \(Self.maxTrialDays)") }
            try await requirePlan(body.plan)
            let created = try await change(tenant, "subscription.create", request, context) { current, now, connection in
                guard current == nil else { throw BillingError.conflict("the tenant has a subscription; change or cancel it") }
                let anchor = Self.anchor(continuing: try await subscriptions.latest(tenantID: tenant, on: connection), at: now)
                let subscription = Subscription(
                    id: UUID(), tenantID: tenant, planName: body.plan, status: trialDays > 0 ? .trialing : .active,
                    billingCycle: body.billingCycle ?? .monthly, periodAnchor: anchor, startedAt: now,
                    trialEndsAt: trialDays > 0 ? now.addingTimeInterval(Double(trialDays) * 86_400) : nil, endsAt: nil,
                    cancelAtPeriodEnd: false, pendingPlan: nil, pendingAt: nil
                )
                guard try await subscriptions.insert(subscription, on: connection) else {
                    throw BillingError.conflict("the tenant has a subscription; change or cancel it")
                }
                return (subscription, ["plan": body.plan, "billing_cycle": subscription.billingCycle.rawValue, "trial_days": "\(trialDays)"])
            }
            return EditedResponse(status: .created, response: SubscriptionAnswer(subscription: created.view(at: Date())))
        }
        group.patch("/v1/tenants/{tenant_id}/subscription") { request, context -> SubscriptionAnswer in
            let (identity, tenant) = try pathTenant(context, "billing:manage")
            let update = try await request.decode(as: SubscriptionUpdate.self, context: context)
            if let plan = update.plan { try await requirePlan(plan) }
            let changed = try await change(tenant, "subscription.update", request, context) { current, now, connection in
                guard var subscription = current else { throw BillingError.notFound }
                let details = try update.apply(to: &subscription, at: now, by: identity)
                try await subscriptions.save(subscription, on: connection)
                return (subscription, details)
            }
            return SubscriptionAnswer(subscription: changed.view(at: Date()))
        }
        group.delete("/v1/tenants/{tenant_id}/subscription") { request, context -> HTTPResponse.Status in
            let (_, tenant) = try pathTenant(context, "billing:manage")
            _ = try await change(tenant, "subscription.cancel", request, context) { current, now, connection in
                guard var subscription = current else { throw BillingError.notFound }
                subscription.status = .cancelled
                subscription.endsAt = now
                subscription.cancelAtPeriodEnd = false
                try await subscriptions.save(subscription, on: connection)
                return (subscription, ["plan": subscription.planName, "effective": "now"])
            }
            return .noContent
        }
    }

    /// The anchor of a subscription starting `now`: the previous subscription's when it ended
    /// within the monthly period that contains `now` (cancel and re-subscribe keep the
    /// tenant's period and what it used in it), else today.
    static func anchor(continuing previous: Subscription?, at now: Date) -> Date {
        if let previous, let ended = previous.endsAt, ended <= now,
           BillingPeriod.month(containing: now, anchor: previous.periodAnchor).contains(ended) {
            return previous.periodAnchor
        }
        return BillingPeriod.day(containing: now).start
    }

    private func requirePlan(_ name: String) async throws {
        guard try await plans.plan(named: name) != nil else { throw BillingError.invalid("unknown plan \(name)") }
    }

    /// Runs `body` on the tenant's current subscription (locked; a subscription whose end has
    /// passed is closed first, and a scheduled change whose date has come is folded in), audits
    /// the result in the same transaction, then drops the tenant's cached plan.
    private func change(
        _ tenant: UUID, _ action: String, _ request: Request, _ context: BillingRequestContext,
        _ body: @escaping (Subscription?, Date, PostgresConnection) async throws -> (Subscription, [String: String])
    ) async throws -> Subscription {
        let now = Date()
        let changed = try await client.transaction(logger: logger) { connection in
            var current = try await subscriptions.current(tenantID: tenant, on: connection, forUpdate: true)
            if var subscription = current {
                if !subscription.isInForce(at: now) {
                    subscription.status = .cancelled
                    try await subscriptions.save(subscription, on: connection)
                    current = nil
                } else {
                    current = subscription.settled(at: now)
                }
            }
            let (changed, details) = try await body(current, now, connection)
            try await BillingAudit.record(
                action, tenantID: tenant, target: ("subscription", changed.id.uuidString.lowercased()), details: details,
                request: request, context: context, on: connection, logger: logger
            )
            return changed
        }
        await planCache.invalidate(tenantID: tenant)
        return changed
    }
}
