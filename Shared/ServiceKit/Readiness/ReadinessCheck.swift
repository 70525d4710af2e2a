import Synchronization
/// One dependency `GET /ready` verifies. `check` throws when the dependency cannot serve us;
/// the error's description is shown (briefly) in the readiness report, so it must not contain
/// secrets.
public protocol ReadinessCheck: Sendable {
    /// Short and stable: `postgres`, `redis`, `kafka`.
    var name: String { get }
    func check() async throws
}

/// The outcome of running every readiness check once.
public struct ReadinessReport: Codable, Sendable, Equatable {
    public struct Check: Codable, Sendable, Equatable {
        public var name: String
        public var ok: Bool
        public var error: String?
    }

    /// `ready` or `unavailable`.
    public var status: String
    public var checks: [Check]
    /// Names of the failing checks, for a quick look.
    public var failing: [String]

    public var isReady: Bool { failing.isEmpty }

    /// Runs all checks concurrently, each bounded by `timeout`.
    public static func run(_ checks: [any ReadinessCheck], timeout: Duration = .seconds(2)) async -> ReadinessReport {
        let results = await withTaskGroup(of: (Int, Check).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask {
                    do {
                        try await withTimeout(timeout) { try await check.check() }
                        return (index, Check(name: check.name, ok: true, error: nil))
                    } catch {
                        return (index, Check(name: check.name, ok: false, error: "\(error)"))
                    }
                }
            }
            var collected: [(Int, Check)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        let failing = results.filter { !$0.ok }.map(\.name)
        return ReadinessReport(status: failing.isEmpty ? "ready" : "unavailable", checks: results, failing: failing)
    }
}

/// Thrown when an operation outlives its deadline.
/// The last readiness report, reused for up to a second: probes and curious clients together
/// cost the dependencies at most one round of checks a second.
public final class ReadinessCache: Sendable {
    private let checks: [any ReadinessCheck]
    private let ttl: Duration
    private let last = Mutex<(report: ReadinessReport, at: ContinuousClock.Instant)?>(nil)

    public init(checks: [any ReadinessCheck], ttl: Duration = .seconds(1)) {
        self.checks = checks
        self.ttl = ttl
    }

    public func report() async -> ReadinessReport {
        if let cached = last.withLock({ $0 }), ContinuousClock.now - cached.at < ttl { return cached.report }
        let report = await ReadinessReport.run(checks)
        last.withLock { $0 = (report, ContinuousClock.now) }
        return report
    }
}
