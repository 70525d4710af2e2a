import CRdKafka
import ServiceKit

/// Builds librdkafka configuration objects: our defaults first, then the pass-through
/// properties from ``KafkaSettings`` (so production can add TLS/SASL or tune anything).
enum KafkaConfiguration {
    /// A new `rd_kafka_conf_t` owned by the caller (librdkafka takes it over in `rd_kafka_new`).
    static func make(settings: KafkaSettings, defaults: [String: String]) throws(KafkaError) -> OpaquePointer {
        let conf = rd_kafka_conf_new()!
        var merged = defaults
        merged["bootstrap.servers"] = settings.brokers.map(\.description).joined(separator: ",")
        merged.merge(settings.properties) { _, passed in passed }
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            var error = [CChar](repeating: 0, count: 512)
            if rd_kafka_conf_set(conf, key, value, &error, error.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw .configuration("\(key): \(String(nulTerminated: error))")
            }
        }
        return conf
    }

    /// Creates a client handle of `type` from `conf` (consumed on success and on failure).
    static func client(type: rd_kafka_type_t, conf: OpaquePointer) throws(KafkaError) -> OpaquePointer {
        var error = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(type, conf, &error, error.count) else {
            rd_kafka_conf_destroy(conf)
            throw .configuration(String(nulTerminated: error))
        }
        return handle
    }
}

extension String {
    /// Text from a C error buffer, up to its first NUL.
    init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
