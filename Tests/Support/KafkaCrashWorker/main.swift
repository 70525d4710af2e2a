// A consumer process for the crash-safety test (Tests/CairnKafkaTests/KafkaCrashSafetyTests):
// it appends each message's value to CRASH_OUTPUT as one line, an idempotent effect that
// survives the process, optionally pauses at message CRASH_PAUSE_AT (so the offsets before it
// get committed) and kills itself with SIGKILL right after handling message CRASH_AFTER,
// before that message's offset can be stored: a crash in the middle of a batch.
import CairnKafka
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceKit
import ServiceLifecycle

let environment = ProcessInfo.processInfo.environment
var reader = ConfigReader(environment: environment)
let brokers = reader.endpoints("CAIRN_KAFKA_BROKERS")
let topic = reader.string("CRASH_TOPIC")
let group = reader.string("CRASH_GROUP")
let outputPath = reader.string("CRASH_OUTPUT")
let pauseAt = reader.int("CRASH_PAUSE_AT", default: 0, range: 0...1_000_000)
let crashAfter = reader.int("CRASH_AFTER", default: 0, range: 0...1_000_000)
reader.finishOrExit(program: "kafka-crash-worker")

let output = open(outputPath, O_WRONLY | O_APPEND | O_CREAT, 0o644)
guard output >= 0 else { fatalError("cannot open \(outputPath)") }
let handled = NIOLockedValueBox(0)
var logger = Logger(label: "crash-worker")
logger.logLevel = .error

let settings = KafkaSettings(brokers: brokers, properties: ["session.timeout.ms": "6000"])
let producer = try KafkaProducer(settings: settings, clientID: "crash-worker", logger: logger)
let worker = try KafkaConsumerWorker(
    settings: settings, configuration: .init(groupID: group, topics: [topic]), dlq: producer, logger: logger
) { message in
    let line = message.value + [UInt8(ascii: "\n")]
    _ = line.withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
    let count = handled.withLockedValue { count in
        count += 1
        return count
    }
    if count == pauseAt { try await Task.sleep(for: .milliseconds(2500)) }
    if count == crashAfter { kill(getpid(), SIGKILL) }
}
try await ServiceGroup(configuration: .init(
    // The producer first: the group stops services in reverse, so the worker stops before its DLQ producer.
    services: [producer, worker], gracefulShutdownSignals: [.sigterm], logger: logger
)).run()
