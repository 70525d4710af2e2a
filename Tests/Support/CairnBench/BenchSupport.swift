import Foundation

/// Small helpers shared by the benchmarks: timing, JSON lines, reference-tool processes.
enum Bench {
    /// Seconds taken by `body`.
    static func time(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        return seconds(since: start)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        seconds(ContinuousClock.now - start)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// One JSON object per line, keys sorted.
    static func line(_ fields: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }

    /// The value below which `fraction` of the sorted `samples` lie.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
    }

    struct ToolFailed: Error, CustomStringConvertible {
        var tool: String
        var status: Int32
        var description: String { "\(tool) exited with \(status)" }
    }

    /// Runs a reference tool found on PATH, returning its standard output.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], discardOutput: Bool = false) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments
        let pipe = Pipe()
        process.standardOutput = discardOutput ? FileHandle.nullDevice : pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = discardOutput ? Data() : pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ToolFailed(tool: tool, status: process.terminationStatus) }
        return String(decoding: output, as: UTF8.self)
    }
}

extension Bench {
    /// Runs a reference script with the given python, its stderr passed through, and returns
    /// its standard output (JSON lines). Waits without blocking a cooperative thread.
    static func runReference(python: String, script: String, arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        let output = Task.detached { pipe.fileHandleForReading.readDataToEndOfFile() }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let data = await output.value
        guard status == 0 else { throw ToolFailed(tool: URL(fileURLWithPath: script).lastPathComponent, status: status) }
        return String(decoding: data, as: UTF8.self)
    }
}
