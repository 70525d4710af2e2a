import CairnKafka
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceKit
import ServiceLifecycle

/// Producer and consumer throughput of CairnKafka beside kcat, on the same broker, topic
/// layout and message size (1 KiB, acks=all, idempotence, lz4), in one run.
enum KafkaBench {
    static let messageBytes = 1024
    static let partitions = 6

    /// Five rounds, each on fresh topics; the best round of each client is reported (runs take
    /// well under a second and either client's time jumps by a third between identical runs
    /// on this 2-core machine, so a median would mostly measure that noise).
    static func run(settings: KafkaSettings, messages: Int, logger: Logger, rounds: Int = 5) async throws -> [String] {
        let brokers = settings.brokers.map(\.description).joined(separator: ",")
        var times: [String: [Double]] = [:]
        for _ in 0..<rounds {
            let ours = "bench.cairn.\(UUID().uuidString.prefix(8).lowercased())"
            let theirs = "bench.kcat.\(UUID().uuidString.prefix(8).lowercased())"
            try await KafkaAdmin.ensureTopics(
                [TopicSpec(name: ours, partitions: partitions), TopicSpec(name: theirs, partitions: partitions)], settings: settings
            )
            times["cairn_produce", default: []].append(try await produceWithCairn(settings: settings, topic: ours, messages: messages, logger: logger))
            times["kcat_produce", default: []].append(try produceWithKcat(brokers: brokers, topic: theirs, messages: messages))
            // Both consumers read the same topic (each as its own group), so they fetch the very
            // same record batches.
            times["cairn_consume", default: []].append(try await consumeWithCairn(settings: settings, topic: ours, messages: messages, logger: logger))
            times["kcat_consume", default: []].append(try consumeWithKcat(brokers: brokers, topic: ours, messages: messages))
        }
        func best(_ key: String) -> Double { times[key, default: [1]].min()! }
        return report("kafka_produce", messages: messages, cairn: best("cairn_produce"), reference: best("kcat_produce"))
            + report("kafka_consume", messages: messages, cairn: best("cairn_consume"), reference: best("kcat_consume"))
    }

    static func report(_ bench: String, messages: Int, cairn: Double, reference: Double) -> [String] {
        let ours = Double(messages) / cairn
        let theirs = Double(messages) / reference
        let common: [String: Any] = ["bench": bench, "messages": messages, "message_bytes": messageBytes, "partitions": partitions]
        return [
            Bench.line(common.merging(["client": "cairn", "msgs_per_s": Bench.rounded(ours), "seconds": Bench.rounded(cairn * 1000) / 1000]) { $1 }),
            Bench.line(common.merging(["client": "kcat", "msgs_per_s": Bench.rounded(theirs), "seconds": Bench.rounded(reference * 1000) / 1000]) { $1 }),
            Bench.line(["bench": bench, "ratio_cairn_to_kcat": Bench.rounded(ours / theirs * 100) / 100, "target": 0.8,
                        "meets_target": ours / theirs >= 0.8]),
        ]
    }

    /// Sends batches of 1,000 records with up to 10 batches in flight, timing from the first
    /// send to the last acknowledgement.
    static func produceWithCairn(settings: KafkaSettings, topic: String, messages: Int, logger: Logger) async throws -> Double {
        let producer = try KafkaProducer(settings: settings, clientID: "cairn-bench", logger: logger)
        defer { producer.close() }
        let payload = [UInt8](repeating: UInt8(ascii: "x"), count: messageBytes)
        try await producer.send(KafkaRecord(topic: topic, key: "warm-up", value: payload))
        let batchSize = 1_000
        return try await Bench.time {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (number, start) in stride(from: 0, to: messages, by: batchSize).enumerated() {
                    if number >= 10 { try await group.next() }
                    let batch = (start..<min(start + batchSize, messages)).map { KafkaRecord(topic: topic, key: "k\($0)", value: payload) }
                    group.addTask {
                        for result in try await producer.send(batch) { _ = try result.get() }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// kcat producing the same records from a file, less the least time the same command takes
    /// to start, connect and produce one record (its start-up is not throughput).
    static func produceWithKcat(brokers: String, topic: String, messages: Int) throws -> Double {
        func timed(_ count: Int) throws -> Double {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("kcat-\(UUID().uuidString).txt")
            defer { try? FileManager.default.removeItem(at: file) }
            // Keyed like ours ("k<n>", tab, 1 KiB value), so both spread records over the
            // partitions the same way.
            let value = String(repeating: "x", count: messageBytes)
            try (0..<count).map { "k\($0)\t\(value)\n" }.joined().write(to: file, atomically: false, encoding: .utf8)
            let start = ContinuousClock.now
            try Bench.run("kcat", [
                "-P", "-b", brokers, "-t", topic, "-X", "acks=all", "-X", "enable.idempotence=true",
                "-X", "compression.codec=lz4", "-X", "linger.ms=5", "-K", "\t", "-l", file.path,
            ])
            return Bench.seconds(since: start)
        }
        // Start-up varies by up to a second (connection, producer id): take its floor.
        let startUp = try (0..<3).map { _ in try timed(1) }.min()!
        return max(try timed(messages) - startUp, 0.001)
    }

    /// Batches of up to 500 through a group consumer; timed from the first message to the last,
    /// so the group join (slow on Tansu) is not counted.
    static func consumeWithCairn(settings: KafkaSettings, topic: String, messages: Int, logger: Logger) async throws -> Double {
        let producer = try KafkaProducer(settings: settings, clientID: "cairn-bench-dlq", logger: logger)
        defer { producer.close() }
        let progress = NIOLockedValueBox<(count: Int, first: ContinuousClock.Instant?, last: ContinuousClock.Instant?)>((0, nil, nil))
        var fast = settings
        fast.properties["session.timeout.ms"] = "6000"
        let worker = try KafkaConsumerWorker(
            settings: fast, configuration: .init(groupID: "bench-\(UUID().uuidString.prefix(8))", topics: [topic], maxBatchSize: 500),
            dlq: producer, logger: logger
        ) { (batch: [KafkaMessage]) in
            progress.withLockedValue { state in
                state.first = state.first ?? .now
                state.count += batch.count
                if state.count >= messages { state.last = .now }
            }
        }
        let group = ServiceGroup(configuration: .init(services: [worker], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while progress.withLockedValue({ $0.last == nil }) { try await Task.sleep(for: .milliseconds(20)) }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let (_, first, last) = progress.withLockedValue { $0 }
        return Bench.seconds(last! - first!)
    }

    /// kcat as a consumer-group member like ours (`-G`, from the earliest offset), printing one
    /// short line per message; timed, like ours, from the first message to the last as its
    /// output arrives, so start-up, the group join and exit are not counted.
    static func consumeWithKcat(brokers: String, topic: String, messages: Int) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "kcat", "-b", brokers, "-G", "bench-kcat-\(UUID().uuidString.prefix(8))", "-X", "auto.offset.reset=earliest",
            "-X", "session.timeout.ms=6000", "-c", "\(messages)", "-q", "-f", "%o\\n", topic,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var first: ContinuousClock.Instant?
        var lines = 0
        while lines < messages {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            first = first ?? .now
            lines += chunk.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        }
        let last = ContinuousClock.now
        process.waitUntilExit()
        guard lines >= messages, let first else { throw Bench.ToolFailed(tool: "kcat", status: process.terminationStatus) }
        return Bench.seconds(last - first)
    }
}
