import Metrics
import NIOConcurrencyHelpers
import Prometheus

/// The process-wide Prometheus registry behind swift-metrics. Every `Counter`, `Timer`,
/// `Gauge`... created through swift-metrics lands here and is served by `GET /metrics`.
public enum CairnMetrics {
    public static let registry = PrometheusCollectorRegistry()
    private static let bootstrapped = NIOLockedValueBox(false)

    /// Installs the Prometheus backend once per process (later calls do nothing, so tests that
    /// build many applications can call it freely).
    public static func bootstrap() {
        let first = bootstrapped.withLockedValue { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
            .seconds(5), .seconds(10), .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
    }

    /// The exposition text, process metrics refreshed first.
    public static func exposition() -> [UInt8] {
        ProcessMetrics.shared.refresh()
        return registry.emitToBuffer()
    }
}
