import CRdKafka
import Dispatch
import Logging
import ServiceKit

/// A topic and how it is laid out.
public struct TopicSpec: Sendable, Hashable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int

    public init(name: String, partitions: Int, replicationFactor: Int = 1) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
    }
}

/// Topic administration: creates topics that are missing, leaves existing ones alone.
public enum KafkaAdmin {
    /// Creates every topic in `topics` that does not exist yet (idempotent). Returns the names
    /// it created.
    @discardableResult
    public static func ensureTopics(
        _ topics: [TopicSpec], settings: KafkaSettings, timeout: Duration = .seconds(30)
    ) async throws(KafkaError) -> [String] {
        let outcome: Result<[String], KafkaError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Result { () throws(KafkaError) in try createTopics(topics, settings: settings, timeout: timeout) })
            }
        }
        return try outcome.get()
    }

    private static func createTopics(_ topics: [TopicSpec], settings: KafkaSettings, timeout: Duration) throws(KafkaError) -> [String] {
        guard !topics.isEmpty else { return [] }
        let conf = try KafkaConfiguration.make(settings: settings, defaults: ["client.id": "cairn-admin"])
        let client = try KafkaConfiguration.client(type: RD_KAFKA_PRODUCER, conf: conf)
        defer { rd_kafka_destroy(client) }
        let queue = rd_kafka_queue_new(client)
        defer { rd_kafka_queue_destroy(queue) }

        var error = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for spec in topics {
            guard let topic = rd_kafka_NewTopic_new(spec.name, Int32(spec.partitions), Int32(spec.replicationFactor), &error, error.count)
            else { throw .configuration("topic \(spec.name): \(String(nulTerminated: error))") }
            newTopics.append(topic)
        }
        let options = rd_kafka_AdminOptions_new(client, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, Int32(timeout.milliseconds), &error, error.count)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, Int32(timeout.milliseconds), &error, error.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(client, buffer.baseAddress, buffer.count, options, queue)
        }

        guard let event = rd_kafka_queue_poll(queue, Int32(timeout.milliseconds) + 1000) else { throw .timeout }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        if eventError != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(eventError) }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { throw .timeout }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return [] }
        var created: [String] = []
        for index in 0..<count {
            let topicResult = results[index]
            let code = rd_kafka_topic_result_error(topicResult)
            let name = String(cString: rd_kafka_topic_result_name(topicResult))
            switch code {
            case RD_KAFKA_RESP_ERR_NO_ERROR: created.append(name)
            case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS: break
            default: throw KafkaError(code)
            }
        }
        return created
    }
}
