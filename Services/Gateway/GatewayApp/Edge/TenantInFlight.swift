import Foundation
import ServiceKit
import Synchronization

/// How many of one tenant's requests this gateway replica is forwarding at once, answers still
/// streaming included: at most ``limit``, so one tenant's SSE streams cannot take every upstream
/// connection (1,024 per service) from the others. Past it: 429 `CONCURRENCY_LIMITED`.
final class TenantInFlight: Sendable {
    let limit: Int
    private let counts = Mutex<[UUID: Int]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// A place for one request of `tenant`, held until the slot is released; nil when the tenant
    /// already has ``limit`` requests in flight.
    func enter(_ tenant: UUID) -> InFlightSlot? {
        let entered = counts.withLock { counts in
            let current = counts[tenant, default: 0]
            guard current < limit else { return false }
            counts[tenant] = current + 1
            return true
        }
        return entered ? InFlightSlot(owner: self, tenant: tenant) : nil
    }

    fileprivate func leave(_ tenant: UUID) {
        counts.withLock { counts in
            let left = counts[tenant, default: 1] - 1
            counts[tenant] = left > 0 ? left : nil
        }
    }

    /// 429 `CONCURRENCY_LIMITED`: the tenant has ``limit`` requests in flight.
    func refusal() -> APIError {
        APIError(.tooManyRequests, code: "CONCURRENCY_LIMITED",
                 message: "this organisation already has \(limit) requests in flight: retry when one has finished",
                 details: ["limit": .number(limit), "retry_after_seconds": .number(1)])
    }
}

/// One request's place in its tenant's count, given back when the slot goes away: whatever
/// ends the request (answer written, client gone, answer never written), nothing leaks.
final class InFlightSlot: Sendable {
    private let owner: TenantInFlight
    private let tenant: UUID

    fileprivate init(owner: TenantInFlight, tenant: UUID) {
        self.owner = owner
        self.tenant = tenant
    }

    deinit { owner.leave(tenant) }
}
