import CairnBillingAPI
import CairnRedis
import Foundation
import Logging

/// Tenants' billing (plan and subscription) cached in Redis for the quota check. A
/// subscription change deletes the tenant's entry; a plan edit bumps a generation that every
/// entry carries, so all tenants on any plan reload at once. An entry also expires before the
/// next time-driven change of its subscription (trial end, scheduled change, end).
struct TenantPlanCache: Sendable {
    let redis: RedisClient
    let resolver: TenantBillingResolver
    let ttl: Duration
    let logger: Logger

    static let generationKey = "billing:plans:generation"

    static func key(_ tenantID: UUID) -> String { "billing:tenant:\(tenantID.uuidString.lowercased())" }

    private struct Entry: Codable {
        var generation: Int
        var plan: PlanView
        var subscription: Subscription?
    }

    /// Throws ``RedisError`` when Redis cannot be reached (the caller falls back to Postgres).
    func billing(tenantID: UUID, at date: Date) async throws -> TenantBilling {
        let replies = try await redis.pipeline([["GET", RedisArgument(Self.generationKey)], ["GET", RedisArgument(Self.key(tenantID))]])
        let generation = replies[0].string.flatMap(Int.init) ?? 0
        if let bytes = replies[1].bytes, let entry = try? JSONDecoder().decode(Entry.self, from: Data(bytes)), entry.generation == generation {
            return TenantBilling(plan: entry.plan, subscription: entry.subscription)
        }
        let billing = try await resolver.billing(tenantID: tenantID, at: date)
        let entry = Entry(generation: generation, plan: billing.plan, subscription: billing.subscription)
        try await redis.set(Self.key(tenantID), Array(try JSONEncoder().encode(entry)), ttl: lifetime(of: billing.subscription, from: date))
        return billing
    }

    /// Until the subscription next changes by itself, at most ``ttl``.
    private func lifetime(of subscription: Subscription?, from date: Date) -> Duration {
        let changes = [subscription?.trialEndsAt, subscription?.pendingAt, subscription?.endsAt].compactMap { $0 }.filter { $0 > date }
        guard let next = changes.min() else { return ttl }
        return min(ttl, .milliseconds(max(1, Int(next.timeIntervalSince(date) * 1_000))))
    }

    /// After a subscription change (committed): the tenant's next check reloads.
    func invalidate(tenantID: UUID) async {
        do {
            try await redis.del(Self.key(tenantID))
        } catch {
            logger.warning("cached plan not invalidated; it expires on its own", metadata: ["tenant_id": "\(tenantID)", "error": "\(error)"])
        }
    }

    /// After a plan edit: every cached entry is stale.
    func plansChanged() async {
        do {
            try await redis.incrBy(Self.generationKey, 1)
        } catch {
            logger.warning("plan cache generation not bumped; entries expire on their own", metadata: ["error": "\(error)"])
        }
    }
}
