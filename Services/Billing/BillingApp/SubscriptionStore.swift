import CairnPostgres
import Foundation
import Logging
import PostgresNIO

/// Subscriptions in Postgres. At most one per tenant is not cancelled (a unique partial index);
/// a subscription whose end has passed is closed (status `cancelled`) before a new one starts.
struct SubscriptionStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    static let columns = """
        id, tenant_id, plan_name, status, billing_cycle, period_anchor, started_at, trial_ends_at, ends_at, \
        cancel_at_period_end, pending_plan, pending_at
        """

    /// The tenant's subscription that is not cancelled, if any (it may have ended by date).
    func current(tenantID: UUID, on connection: PostgresConnection? = nil, forUpdate: Bool = false) async throws -> Subscription? {
        var query = PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM subscriptions WHERE tenant_id = $1 AND status <> 'cancelled'"
            + (forUpdate ? " FOR UPDATE" : ""))
        query.binds.append(tenantID)
        let rows = if let connection { try await connection.query(query, logger: logger) } else { try await client.query(query, logger: logger) }
        return try await Self.decode(rows).first
    }

    /// Every subscription of several tenants that can govern an event the ledger accepts
    /// (whatever its status: a late event counts under what was in force when it occurred),
    /// oldest first. For the usage consumer's batches.
    func history(tenantIDs: [UUID]) async throws -> [UUID: [Subscription]] {
        var query = PostgresQuery(unsafeSQL: """
            SELECT \(Self.columns) FROM subscriptions
            WHERE tenant_id = ANY($1) AND (ends_at IS NULL OR ends_at > now() - make_interval(secs => $2))
            ORDER BY started_at
            """)
        query.binds.append(tenantIDs)
        query.binds.append(UsageRecord.maxAge)
        return Dictionary(grouping: try await Self.decode(client.query(query, logger: logger)), by: \.tenantID)
    }

    /// The tenant's latest subscription, whatever its status (a cancelled one's anchor carries
    /// over to a new subscription started within its last period).
    func latest(tenantID: UUID, on connection: PostgresConnection) async throws -> Subscription? {
        var query = PostgresQuery(unsafeSQL: "SELECT \(Self.columns) FROM subscriptions WHERE tenant_id = $1 ORDER BY started_at DESC LIMIT 1")
        query.binds.append(tenantID)
        return try await Self.decode(connection.query(query, logger: logger)).first
    }

    /// Inserts a subscription; false when the tenant has one not cancelled (the unique index).
    func insert(_ subscription: Subscription, on connection: PostgresConnection) async throws -> Bool {
        let s = subscription
        let rows = try await connection.query("""
            INSERT INTO subscriptions (\(unescaped: Self.columns))
            VALUES (\(s.id), \(s.tenantID), \(s.planName), \(s.status.rawValue), \(s.billingCycle.rawValue), \(s.periodAnchor),
                    \(s.startedAt), \(s.trialEndsAt), \(s.endsAt), \(s.cancelAtPeriodEnd), \(s.pendingPlan), \(s.pendingAt))
            ON CONFLICT (tenant_id) WHERE status <> 'cancelled' DO NOTHING RETURNING id
            """, logger: logger)
        return try await rows.collect().count == 1
    }

    /// Writes every mutable field of `subscription` back.
    func save(_ subscription: Subscription, on connection: PostgresConnection) async throws {
        let s = subscription
        try await connection.query("""
            UPDATE subscriptions SET plan_name = \(s.planName), status = \(s.status.rawValue), trial_ends_at = \(s.trialEndsAt),
                ends_at = \(s.endsAt), cancel_at_period_end = \(s.cancelAtPeriodEnd), pending_plan = \(s.pendingPlan),
                pending_at = \(s.pendingAt), updated_at = now()
            WHERE id = \(s.id)
            """, logger: logger)
    }

    private static func decode(_ rows: PostgresRowSequence) async throws -> [Subscription] {
        var result: [Subscription] = []
        let decoded = rows.decode((UUID, UUID, String, String, String, Date, Date, Date?, Date?, Bool, String?, Date?).self)
        for try await (id, tenant, plan, status, cycle, anchor, started, trialEnds, ends, cancelAtEnd, pending, pendingAt) in decoded {
            result.append(Subscription(
                id: id, tenantID: tenant, planName: plan, status: SubscriptionStatus(rawValue: status) ?? .active,
                billingCycle: BillingCycle(rawValue: cycle) ?? .monthly, periodAnchor: anchor, startedAt: started, trialEndsAt: trialEnds,
                endsAt: ends, cancelAtPeriodEnd: cancelAtEnd, pendingPlan: pending, pendingAt: pendingAt
            ))
        }
        return result
    }
}
