import CairnRedis
import Foundation
import ServiceKit

/// Round-trip throughput of CairnRedis beside `redis-benchmark`, on the same server, with the
/// same concurrency and value size (3 bytes, redis-benchmark's default): one command at a
/// time per connection, and pipelines of 16.
enum RedisBench {
    /// Concurrent callers, and `-c` for redis-benchmark. The client keeps its default options:
    /// fewer connections than callers, since it batches concurrent calls onto each one.
    static let concurrency = 8
    static let pipelineDepth = 16
    static let requests = 100_000
    static let value = "xxx"

    /// `seconds` bounds our side: four measurements (PING, SET; single, pipelined) of a
    /// quarter each. redis-benchmark runs `requests` per command (a few seconds on loopback).
    static func run(endpoint: Endpoint, seconds: Double) async throws -> [String] {
        let key = "cairn:bench:\(UUID().uuidString.prefix(8).lowercased())"
        let slice = Duration.milliseconds(Int(seconds * 1000 / 4))
        let client = RedisClient(settings: RedisSettings(endpoint: endpoint), options: .init())
        var ours: [Mode: [String: Double]] = [:]
        do {
            // Open the connections before timing (concurrent pings reach every connection thread).
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<concurrency { group.addTask { try await client.ping() } }
                try await group.waitForAll()
            }
            for mode in Mode.allCases {
                for (op, command) in [("ping", ["PING"]), ("set", ["SET", RedisArgument(key), RedisArgument(value)])] as [(String, [RedisArgument])] {
                    ours[mode, default: [:]][op] = try await measure(client, command, mode: mode, for: slice)
                }
            }
            try await client.del(key, "key:__rand_int__")
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }

        var lines: [String] = []
        for mode in Mode.allCases {
            let theirs: [String: Double]
            do {
                theirs = try redisBenchmark(endpoint, pipeline: mode == .pipelined ? pipelineDepth : 1)
            } catch {
                lines.append(Bench.line(["bench": mode.bench, "client": "redis-benchmark", "error": "\(error)"]))
                theirs = [:]
            }
            for op in ["ping", "set"] {
                var common: [String: Any] = ["bench": mode.bench, "op": op, "concurrency": concurrency]
                if mode == .pipelined { common["pipeline"] = pipelineDepth }
                let cairn = ours[mode]?[op] ?? 0
                lines.append(Bench.line(common.merging(["client": "cairn", "ops_per_s": Bench.rounded(cairn)]) { $1 }))
                guard let reference = theirs[op] else { continue }
                lines.append(Bench.line(common.merging(["client": "redis-benchmark", "ops_per_s": Bench.rounded(reference)]) { $1 }))
                lines.append(Bench.line(["bench": mode.bench, "op": op, "ratio_cairn_to_redis_benchmark": (cairn / reference * 100).rounded() / 100]))
            }
        }
        return lines
    }

    enum Mode: CaseIterable {
        case single, pipelined

        var bench: String { self == .single ? "redis_roundtrip_single" : "redis_roundtrip_pipelined" }
    }

    /// Commands per second from `concurrency` tasks, each sending `command` (or pipelines of
    /// it) back to back until `duration` has passed.
    static func measure(_ client: RedisClient, _ command: [RedisArgument], mode: Mode, for duration: Duration) async throws -> Double {
        let batch = Array(repeating: command, count: pipelineDepth)
        let start = ContinuousClock.now
        let deadline = start + duration
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var done = 0
                    while ContinuousClock.now < deadline {
                        switch mode {
                        case .single:
                            try await client.command(command)
                            done += 1
                        case .pipelined:
                            done += try await client.pipeline(batch).count
                        }
                    }
                    return done
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / Bench.seconds(since: start)
    }

    /// `redis-benchmark -t ping,set -q` on the same server: requests per second by op
    /// (`ping` is PING_MBULK, a multi-bulk command like ours).
    static func redisBenchmark(_ endpoint: Endpoint, pipeline: Int) throws -> [String: Double] {
        let output = try Bench.run("redis-benchmark", [
            "-h", endpoint.host, "-p", "\(endpoint.port)", "-t", "ping,set", "-n", "\(requests)",
            "-c", "\(concurrency)", "-P", "\(pipeline)", "-q",
        ])
        // Progress lines end in `\r`; the results read `SET: 81234.56 requests per second, p50=...`.
        var results: [String: Double] = [:]
        for line in output.split(whereSeparator: { $0 == "\r" || $0 == "\n" }) where line.contains("requests per second") {
            let parts = line.split(separator: " ")
            guard parts.count >= 2, let rate = Double(parts[1]) else { continue }
            switch parts[0] {
            case "PING_MBULK:": results["ping"] = rate
            case "SET:": results["set"] = rate
            default: continue
            }
        }
        return results
    }
}
