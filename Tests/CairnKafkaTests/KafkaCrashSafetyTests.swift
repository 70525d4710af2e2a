import CairnKafka
import CairnTesting
import Foundation
import ServiceKit
import Testing

/// A consumer process killed with SIGKILL mid-batch, then restarted: nothing committed is
/// redone wholesale, nothing unacknowledged is lost, and the idempotent effect ends exact.
@Suite struct KafkaCrashSafetyTests {
    static let total = 3000
    static let pauseAt = 1000
    static let crashAfter = 1500

    @Test func aKilledConsumerRedeliversWhatWasNotCommittedAndLosesNothing() async throws {
        let topic = try await KafkaTest.freshTopic("crash", partitions: 3)
        let producer = try KafkaTest.producer()
        defer { producer.close() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<Self.total {
                group.addTask { try await producer.send(KafkaRecord(topic: topic, key: "k\(index)", value: Array("\(index)".utf8))) }
            }
            try await group.waitForAll()
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(TestInfra.uniqueSuffix()).txt").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let environment = [
            "CAIRN_KAFKA_BROKERS": TestInfra.kafkaBrokers, "CRASH_TOPIC": topic,
            "CRASH_GROUP": "crash-\(TestInfra.uniqueSuffix())", "CRASH_OUTPUT": output,
        ]

        // First run: killed by SIGKILL right after handling message 1500.
        let first = try startWorker(environment.merging(["CRASH_PAUSE_AT": "\(Self.pauseAt)", "CRASH_AFTER": "\(Self.crashAfter)"]) { $1 })
        let exitedInTime = await eventually(within: .seconds(120), every: .milliseconds(100)) { !first.isRunning }
        #expect(exitedInTime)
        #expect(first.terminationReason == .uncaughtSignal && first.terminationStatus == SIGKILL)
        #expect(lines(output).count == Self.crashAfter)

        // Second run: no crash; stop it gracefully once every value is there.
        let second = try startWorker(environment)
        let complete = await eventually(within: .seconds(120), every: .milliseconds(100)) { Set(lines(output)).count >= Self.total }
        second.terminate()
        second.waitUntilExit()
        #expect(complete)
        #expect(second.terminationStatus == 0)

        let all = lines(output)
        let duplicates = all.count - Set(all).count
        #expect(Set(all) == Set((0..<Self.total).map(String.init)), "every message handled: nothing lost")
        #expect(duplicates >= 1, "the message in hand at the crash was redelivered")
        #expect(duplicates <= Self.crashAfter - Self.pauseAt + 1, "work committed before the crash was not redone")
    }

    func startWorker(_ environment: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = TestInfra.binDirectory.appendingPathComponent("KafkaCrashWorker")
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        try process.run()
        return process
    }

    func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
