import CairnAuthKit
import CairnBillingAPI
import Foundation
import Logging
import Metrics
import Synchronization

/// Each tenant's rate limits, from billing's `GET /v1/tenants/{id}/plan`, kept for `ttl`. When
/// billing does not answer, the last known limits stay in force, or the configured fallback
/// (the free plan's) for a tenant never seen: limits degrade, they never disappear. Counted in
/// `cairn_gateway_plan_fallback_total`; logged at most once a minute. Only a tenant never seen
/// waits for billing: known limits past their time are served while one refresh per tenant runs
/// in the background.
final class PlanDirectory: Sendable {
    private struct Answer: Decodable {
        var plan: PlanView
    }

    private struct Entry {
        var limits: RateLimits
        var fetched: ContinuousClock.Instant
        var refreshing = false
    }

    /// Tenants remembered at most; beyond it the table starts afresh.
    static let capacity = 100_000
    /// While billing fails, a tenant's plan is asked for again at most this often.
    static let retryInterval: Duration = .seconds(10)

    private let billingURL: String
    private let caller: ServiceCaller
    private let ttl: Duration
    private let fallback: RateLimits
    private let logger: Logger
    private let entries = Mutex<[UUID: Entry]>([:])
    private let throttle = WarningThrottle()
    private let fallbacks = Counter(label: "cairn_gateway_plan_fallback_total")

    init(billingURL: String, caller: ServiceCaller, ttl: Duration, fallback: RateLimits, logger: Logger) {
        self.billingURL = billingURL
        self.caller = caller
        self.ttl = ttl
        self.fallback = fallback
        self.logger = logger
    }

    func limits(for tenant: UUID) async -> RateLimits {
        let now = ContinuousClock.now
        let (known, refresh) = entries.withLock { entries -> (Entry?, Bool) in
            guard var entry = entries[tenant] else { return (nil, true) }
            guard now - entry.fetched >= ttl, !entry.refreshing else { return (entry, false) }
            entry.refreshing = true
            entries[tenant] = entry
            return (entry, true)
        }
        guard let known else { return await fetch(tenant, known: nil) }
        if refresh { Task { _ = await fetch(tenant, known: known) } }
        return known.limits
    }

    private func fetch(_ tenant: UUID, known: Entry?) async -> RateLimits {
        let now = ContinuousClock.now
        do {
            let reply = try await caller.call(.GET, "\(billingURL)/v1/tenants/\(tenant.uuidString.lowercased())/plan", timeout: .seconds(2))
            guard reply.status == 200 else { throw BillingUnavailable(status: reply.status) }
            let limits = try BillingJSON.decoder.decode(Answer.self, from: reply.body).plan.rateLimits
            remember(limits, for: tenant, fetched: now)
            return limits
        } catch {
            fallbacks.increment()
            if throttle.shouldWarn() { logger.warning("billing did not say a tenant's plan: using known or fallback limits", metadata: ["error": "\(error)"]) }
            // Asked again after the retry interval, not on every request of the outage.
            let limits = known?.limits ?? fallback
            remember(limits, for: tenant, fetched: now - ttl + Self.retryInterval)
            return limits
        }
    }
}

extension PlanDirectory {
    private func remember(_ limits: RateLimits, for tenant: UUID, fetched: ContinuousClock.Instant) {
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[tenant] = Entry(limits: limits, fetched: fetched)
        }
    }
}

struct BillingUnavailable: Error, CustomStringConvertible {
    var status: UInt
    var description: String { "billing answered HTTP \(status)" }
}
