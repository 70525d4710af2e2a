import CairnAuthKit
import CairnBillingAPI
import Foundation
import Logging
import Metrics
import ServiceKit
import Synchronization

/// Asks billing (`POST /v1/quota/check`) before work that consumes a quota. "Allowed" answers
/// are reused for `ttl`; refusals are not, so a tenant is let in again as soon as billing says
/// so. If billing cannot answer, the request goes ahead (usage is still metered and billed):
/// counted in `cairn_gateway_quota_unavailable_total`, logged at most once a minute.
final class QuotaGate: Sendable {
    private struct Key: Hashable {
        var tenant: UUID
        var resource: QuotaResource
    }

    static let capacity = 100_000

    private let billingURL: String
    private let caller: ServiceCaller
    private let ttl: Duration
    private let logger: Logger
    private let allowed = Mutex<[Key: ContinuousClock.Instant]>([:])
    private let throttle = WarningThrottle()
    private let unavailable = Counter(label: "cairn_gateway_quota_unavailable_total")
    private let refusals = Counter(label: "cairn_gateway_quota_refusals_total")

    init(billingURL: String, caller: ServiceCaller, ttl: Duration, logger: Logger) {
        self.billingURL = billingURL
        self.caller = caller
        self.ttl = ttl
        self.logger = logger
    }

    /// Throws 429 `QUOTA_EXCEEDED` when billing refuses.
    func check(tenant: UUID, resource: QuotaResource) async throws {
        let key = Key(tenant: tenant, resource: resource)
        let now = ContinuousClock.now
        if let until = allowed.withLock({ $0[key] }), now < until { return }
        let decision: QuotaDecision
        do {
            let body = QuotaCheckRequest(tenantID: tenant, resource: resource)
            let reply = try await caller.call(.POST, billingURL + "/v1/quota/check", json: body, timeout: .seconds(2))
            guard reply.status == 200 else { throw BillingUnavailable(status: reply.status) }
            decision = try BillingJSON.decoder.decode(QuotaDecision.self, from: reply.body)
        } catch {
            unavailable.increment()
            if throttle.shouldWarn() { logger.warning("billing did not answer a quota check: letting requests through", metadata: ["error": "\(error)"]) }
            allow(key, until: now + ttl)
            return
        }
        guard decision.allowed else {
            refusals.increment()
            allowed.withLock { _ = $0.removeValue(forKey: key) }
            var details: [String: ErrorDetail] = ["resource": .text(resource.rawValue), "current_usage": .number(decision.used), "limit": .number(decision.limit)]
            if let reset = decision.resetAt { details["reset_at"] = .text(reset.formatted(.iso8601)) }
            throw APIError(.tooManyRequests, code: "QUOTA_EXCEEDED", message: "the \(resource.rawValue) quota of this plan is used up", details: details)
        }
        allow(key, until: now + ttl)
    }

    private func allow(_ key: Key, until: ContinuousClock.Instant) {
        allowed.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = until
        }
    }
}
