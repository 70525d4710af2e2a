import CRdKafka

/// An `rd_kafka_t *`. librdkafka handles are thread-safe, so sharing the pointer is sound.
struct KafkaHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}
