// cairn-admin: operational one-offs against the configured infrastructure.
//   cairn-admin ensure-topics   create every event topic and its DLQ that is missing (idempotent)
// Reads CAIRN_KAFKA_BROKERS (and CAIRN_KAFKA_OPT_*), plus CAIRN_KAFKA_REPLICATION_FACTOR (default 1).
import CairnEvents
import CairnKafka
import Foundation
import ServiceKit

var reader = ConfigReader(environment: ProcessInfo.processInfo.environment)
let config = ServiceConfig(serviceName: "cairn-admin", defaultPort: 1, dependencies: [.kafka], reader: &reader)
let replication = reader.int("CAIRN_KAFKA_REPLICATION_FACTOR", default: 1, range: 1...5)
reader.finishOrExit(program: "cairn-admin")

switch CommandLine.arguments.dropFirst().first {
case "ensure-topics":
    let specs = EventTopic.allCases.flatMap { topic in
        [
            TopicSpec(name: topic.name, partitions: topic.partitions, replicationFactor: replication),
            TopicSpec(name: topic.dlqName, partitions: 1, replicationFactor: replication),
        ]
    }
    do {
        let created = try await KafkaAdmin.ensureTopics(specs, settings: config.kafka!)
        print("topics: \(specs.count) present, \(created.count) created now\(created.isEmpty ? "" : ": " + created.joined(separator: ", "))")
    } catch {
        FileHandle.standardError.write(Data("cairn-admin: \(error)\n".utf8))
        exit(1)
    }
default:
    FileHandle.standardError.write(Data("usage: cairn-admin ensure-topics\n".utf8))
    exit(2)
}
