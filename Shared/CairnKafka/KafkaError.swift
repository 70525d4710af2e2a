import CRdKafka

/// What can go wrong talking to Kafka, typed so callers can decide: retry, degrade or fail.
public enum KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A property was rejected by librdkafka (the message names it; values are never echoed).
    case configuration(String)
    /// The broker or librdkafka reported an error for an operation.
    case broker(code: Int32, name: String, message: String)
    /// The client was shut down before the operation could complete.
    case closed
    /// The operation did not complete in time.
    case timeout

    init(_ code: rd_kafka_resp_err_t) {
        self = .broker(
            code: code.rawValue, name: String(cString: rd_kafka_err2name(code)), message: String(cString: rd_kafka_err2str(code))
        )
    }

    /// Takes ownership of an `rd_kafka_error_t` and destroys it.
    init(consuming error: OpaquePointer) {
        defer { rd_kafka_error_destroy(error) }
        self = .broker(
            code: rd_kafka_error_code(error).rawValue, name: String(cString: rd_kafka_error_name(error)),
            message: String(cString: rd_kafka_error_string(error))
        )
    }

    public var description: String {
        switch self {
        case .configuration(let message): "kafka configuration: \(message)"
        case .broker(_, let name, let message): "kafka \(name): \(message)"
        case .closed: "kafka client closed"
        case .timeout: "kafka operation timed out"
        }
    }
}
