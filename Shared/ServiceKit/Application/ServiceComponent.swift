import ServiceLifecycle

/// A piece of infrastructure a service uses (its Postgres database, say), as the application
/// builder needs to see it: what to check for readiness, what to run for the application's
/// lifetime, and what must finish before the server accepts requests (migrations).
public struct ServiceComponent: Sendable {
    public var checks: [any ReadinessCheck]
    public var services: [any Service]
    public var beforeServerStarts: [@Sendable () async throws -> Void]

    public init(
        checks: [any ReadinessCheck] = [], services: [any Service] = [],
        beforeServerStarts: [@Sendable () async throws -> Void] = []
    ) {
        self.checks = checks
        self.services = services
        self.beforeServerStarts = beforeServerStarts
    }
}
