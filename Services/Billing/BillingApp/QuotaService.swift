import CairnBillingAPI
import CairnRedis
import Foundation
import Logging
import Metrics
import PostgresNIO

/// `POST /v1/quota/check`: allowed / limit / used / remaining / reset for a tenant's resource.
/// Served from Redis (the tenant's plan and the period counter); when Redis cannot be reached
/// the same answer is worked out from Postgres, counted in `billing_quota_fallback_total`.
/// A check reserves nothing: usage is counted when it is reported on `cairn.usage.v1`.
struct QuotaService: Sendable {
    let plans: TenantPlanCache
    let counters: QuotaCache
    let resolver: TenantBillingResolver
    let client: PostgresClient
    let logger: Logger
    private let fallbacks = Counter(label: "billing_quota_fallback_total")

    init(plans: TenantPlanCache, counters: QuotaCache, resolver: TenantBillingResolver, client: PostgresClient, logger: Logger) {
        self.plans = plans
        self.counters = counters
        self.resolver = resolver
        self.client = client
        self.logger = logger
    }

    func check(_ request: QuotaCheckRequest, at date: Date = Date()) async throws -> QuotaDecision {
        do {
            let billing = try await plans.billing(tenantID: request.tenantID, at: date)
            return try await decide(request, billing: billing, at: date) { key, end in
                try await counters.used(key, periodEnd: end) { try await committed(key) }
            }
        } catch let error as RedisError {
            fallbacks.increment()
            logger.warning("quota check answered from Postgres", metadata: ["error": "\(error)"])
            let billing = try await resolver.billing(tenantID: request.tenantID, at: date)
            return try await decide(request, billing: billing, at: date) { key, _ in try await committed(key) }
        }
    }

    private func decide(
        _ request: QuotaCheckRequest, billing: TenantBilling, at date: Date, used: (CounterKey, Date) async throws -> Int
    ) async throws -> QuotaDecision {
        let plan = billing.plan
        guard let meter = Meter(request.resource), let limit = meter.limit(in: plan) else {
            // Tokens per message: a per-request limit, checked against the request itself.
            let limit = plan.limits.tokensPerMessage
            return QuotaDecision(
                allowed: limit < 0 || request.quantity <= limit, resource: request.resource, limit: limit, used: 0,
                remaining: limit, resetAt: nil, plan: plan.name
            )
        }
        let period = meter.period(containing: date, anchor: billing.anchor)
        let count = try await used(CounterKey(tenantID: request.tenantID, meter: meter, periodStart: period.start), period.end)
        let unlimited = limit < 0
        return QuotaDecision(
            allowed: unlimited || Self.fits(request.quantity, used: count, limit: limit) || meter.isSoftLimited(in: plan),
            resource: request.resource, limit: unlimited ? QuotaDecision.unlimited : limit, used: count,
            remaining: unlimited ? QuotaDecision.unlimited : max(0, limit - count),
            resetAt: meter.reset == .never ? nil : period.end, plan: plan.name
        )
    }

    /// `used + quantity <= limit`, false where the sum overflows.
    static func fits(_ quantity: Int, used: Int, limit: Int) -> Bool {
        let (total, overflow) = used.addingReportingOverflow(quantity)
        return !overflow && total <= limit
    }

    /// The committed value of a counter (0 before any usage in the period).
    func committed(_ key: CounterKey) async throws -> Int {
        let rows = try await client.query("""
            SELECT used FROM usage_counters WHERE tenant_id = \(key.tenantID) AND meter = \(key.meter.rawValue) AND period_start = \(key.periodStart)
            """, logger: logger)
        for try await used in rows.decode(Int.self) { return used }
        return 0
    }
}
