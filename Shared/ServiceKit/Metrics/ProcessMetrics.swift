import Foundation
import Prometheus

/// The standard `process_*` metrics, read from `/proc/self` at scrape time (Linux; elsewhere
/// the gauges stay at zero).
final class ProcessMetrics: Sendable {
    static let shared = ProcessMetrics(registry: CairnMetrics.registry)

    private let cpuSeconds: Gauge
    private let residentBytes: Gauge
    private let virtualBytes: Gauge
    private let openFDs: Gauge
    private let maxFDs: Gauge
    private let startTime: Gauge

    init(registry: PrometheusCollectorRegistry) {
        cpuSeconds = registry.makeGauge(descriptor: .init(namespace: "process", metricName: "cpu_seconds", unitName: "total", helpText: "User and system CPU time spent, in seconds."))
        residentBytes = registry.makeGauge(descriptor: .init(namespace: "process", metricName: "resident_memory", unitName: "bytes", helpText: "Resident memory size in bytes."))
        virtualBytes = registry.makeGauge(descriptor: .init(namespace: "process", metricName: "virtual_memory", unitName: "bytes", helpText: "Virtual memory size in bytes."))
        openFDs = registry.makeGauge(descriptor: .init(namespace: "process", metricName: "open", unitName: "fds", helpText: "Number of open file descriptors."))
        maxFDs = registry.makeGauge(descriptor: .init(namespace: "process", metricName: "max", unitName: "fds", helpText: "Maximum number of open file descriptors."))
        startTime = registry.makeGauge(descriptor: .init(namespace: "process", metricName: "start_time", unitName: "seconds", helpText: "Start time of the process since the epoch, in seconds."))
    }

    func refresh() {
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
           let closing = stat.lastIndex(of: ")") {
            // Fields after the command name; field 14 (utime) is index 11 here.
            let fields = stat[stat.index(after: closing)...].split(separator: " ")
            if fields.count > 21, let utime = Double(fields[11]), let stime = Double(fields[12]),
               let startTicks = Double(fields[19]), let vsize = Double(fields[20]), let rss = Double(fields[21]) {
                cpuSeconds.set((utime + stime) / ticksPerSecond)
                virtualBytes.set(vsize)
                residentBytes.set(rss * pageSize)
                if let bootTime = Self.bootTime() { startTime.set(bootTime + startTicks / ticksPerSecond) }
            }
        }
        if let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            openFDs.set(Double(fds.count))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { maxFDs.set(Double(limit.rlim_cur)) }
    }

    private static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
