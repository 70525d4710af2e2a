import CRdKafka
import Foundation

/// One librdkafka producer handle and the thread serving its delivery callbacks.
///
/// ``KafkaProducer`` owns one at a time and replaces it when librdkafka declares it fatally
/// failed (an idempotent producer that lost its producer id or sequence can never send again).
final class ProducerClient: Sendable {
    private let handle: KafkaHandle
    private let poller: PollThread

    init(conf: OpaquePointer) throws(KafkaError) {
        rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        handle = KafkaHandle(pointer: try KafkaConfiguration.client(type: RD_KAFKA_PRODUCER, conf: conf))
        poller = PollThread(name: "kafka-producer-poll") { [handle] in rd_kafka_poll(handle.pointer, 100) }
    }

    /// Produces `records`; one result per record once each is acknowledged or failed for good.
    func send(_ records: [KafkaRecord]) async -> [Result<DeliveryReport, KafkaError>] {
        await withCheckedContinuation { continuation in
            let batch = DeliveryBatch(count: records.count, continuation: continuation)
            for (index, record) in records.enumerated() {
                if let error = enqueue(record, opaque: batch.slot(index)) {
                    batch.complete(index, with: .failure(error))
                }
            }
        }
    }

    /// The fatal error that ended this client, if any: after one, every send fails.
    var fatalError: KafkaError? {
        var reason = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(handle.pointer, &reason, reason.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return .broker(code: code.rawValue, name: String(cString: rd_kafka_err2name(code)), message: String(nulTerminated: reason))
    }

    /// Hands the record to librdkafka's queue, waiting briefly while that queue is full.
    private func enqueue(_ record: KafkaRecord, opaque: UnsafeMutableRawPointer) -> KafkaError? {
        for _ in 0..<500 {
            guard let error = produce(record, opaque: opaque) else { return nil }
            guard case .broker(let code, _, _) = error, code == RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue else { return error }
            rd_kafka_poll(handle.pointer, 10)
        }
        return KafkaError(RD_KAFKA_RESP_ERR__QUEUE_FULL)
    }

    private func produce(_ record: KafkaRecord, opaque: UnsafeMutableRawPointer) -> KafkaError? {
        // Only allocate a header list when there are headers: most records have none.
        var headers: OpaquePointer?
        if !record.headers.isEmpty {
            headers = rd_kafka_headers_new(record.headers.count)
            for header in record.headers {
                header.value.withUnsafeBytes { value in
                    _ = rd_kafka_header_add(headers, header.name, -1, value.baseAddress, value.count)
                }
            }
        }
        let error: OpaquePointer? = record.topic.withCString { topic in
            record.value.withUnsafeBytes { value in
                (record.key ?? []).withUnsafeBytes { key in
                    withUnsafeTemporaryAllocation(of: rd_kafka_vu_t.self, capacity: 6) { fields in
                        var count = 0
                        func add(_ type: rd_kafka_vtype_t, _ set: (inout rd_kafka_vu_t) -> Void) {
                            var field = rd_kafka_vu_t()
                            field.vtype = type
                            set(&field)
                            fields.initializeElement(at: count, to: field)
                            count += 1
                        }
                        add(RD_KAFKA_VTYPE_TOPIC) { $0.u.cstr = topic }
                        add(RD_KAFKA_VTYPE_VALUE) {
                            $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                            $0.u.mem.size = value.count
                        }
                        add(RD_KAFKA_VTYPE_MSGFLAGS) { $0.u.i = RD_KAFKA_MSG_F_COPY }
                        add(RD_KAFKA_VTYPE_OPAQUE) { $0.u.ptr = opaque }
                        if let headers { add(RD_KAFKA_VTYPE_HEADERS) { $0.u.headers = headers } }
                        if record.key != nil {
                            add(RD_KAFKA_VTYPE_KEY) {
                                $0.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                                $0.u.mem.size = key.count
                            }
                        }
                        defer { fields.baseAddress!.deinitialize(count: count) }
                        return rd_kafka_produceva(handle.pointer, fields.baseAddress, count)
                    }
                }
            }
        }
        guard let error else { return nil }  // librdkafka owns `headers` now
        if let headers { rd_kafka_headers_destroy(headers) }
        return KafkaError(consuming: error)
    }

    /// Puts the client in librdkafka's fatal state, as a lost producer id would (tests only).
    func triggerFatalError() {
        _ = rd_kafka_test_fatal_error(handle.pointer, RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID, "triggered by a test")
    }

    /// Waits until every queued record is acknowledged (or failed), up to `timeout`.
    func flush(timeout: Duration) throws(KafkaError) {
        let code = rd_kafka_flush(handle.pointer, Int32(timeout.milliseconds))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code) }
    }

    /// Waits up to `flushTimeout` for what is in flight, then fails whatever is left (its senders
    /// get `_PURGE_QUEUE`/`_PURGE_INFLIGHT` and keep the record to send again), so no sender
    /// waits forever. Then stops the callback thread and frees the handle. Returns how many
    /// records were still undelivered at the deadline.
    @discardableResult
    func close(flushTimeout: Duration) -> Int32 {
        let stuck: Int32
        if rd_kafka_flush(handle.pointer, Int32(flushTimeout.milliseconds)) == RD_KAFKA_RESP_ERR_NO_ERROR {
            stuck = 0
        } else {
            stuck = rd_kafka_outq_len(handle.pointer)
            rd_kafka_purge(handle.pointer, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
            // The purged records' delivery reports are served by the poll thread (and this flush).
            _ = rd_kafka_flush(handle.pointer, 1000)
        }
        poller.stop()
        rd_kafka_destroy(handle.pointer)
        return stuck
    }
}

/// librdkafka calls this on the poll thread once per record: acknowledged or failed for good.
private let deliveryReportCallback: @convention(c) (
    OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?
) -> Void = { _, message, _ in
    guard let message, let opaque = message.pointee._private else { return }
    let error = message.pointee.err
    DeliveryBatch.complete(
        slot: opaque,
        with: error == RD_KAFKA_RESP_ERR_NO_ERROR
            ? .success(DeliveryReport(partition: message.pointee.partition, offset: message.pointee.offset))
            : .failure(KafkaError(error))
    )
}
