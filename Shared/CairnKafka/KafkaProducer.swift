import CRdKafka
import Foundation
import Logging
import NIOConcurrencyHelpers
import ServiceKit
import ServiceLifecycle

/// A record to produce.
public struct KafkaRecord: Sendable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]
    public var headers: [KafkaHeader]

    public init(topic: String, keyBytes key: [UInt8]?, value: [UInt8], headers: [KafkaHeader] = []) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }

    public init(topic: String, key: String?, value: [UInt8], headers: [KafkaHeader] = []) {
        self.init(topic: topic, keyBytes: key.map { Array($0.utf8) }, value: value, headers: headers)
    }
}

/// Where the broker stored a record.
public struct DeliveryReport: Sendable, Equatable {
    public var partition: Int32
    public var offset: Int64
}

/// An idempotent producer (`acks=all`, `enable.idempotence=true`, lz4 compression).
///
/// ``send(_:)`` returns once the broker has acknowledged the record, or throws ``KafkaError``:
/// the delivery report from librdkafka's callback resumes the caller's continuation.
/// A dedicated thread serves those callbacks. Run it as a `Service` (or call ``close()``):
/// on shutdown it flushes, so nothing accepted is dropped. In a `ServiceGroup`, list it before
/// the services that send through it: the group stops services in reverse order.
public final class KafkaProducer: Service, Sendable {
    private let handle: KafkaHandle
    private let logger: Logger
    private let state = NIOLockedValueBox(State.open)
    private let poller: PollThread

    private enum State { case open, closed }

    /// How long ``close()`` waits for in-flight records.
    public let flushTimeout: Duration

    public init(settings: KafkaSettings, clientID: String, logger: Logger, flushTimeout: Duration = .seconds(30)) throws(KafkaError) {
        let conf = try KafkaConfiguration.make(settings: settings, defaults: [
            "client.id": clientID,
            "acks": "all",
            "enable.idempotence": "true",
            "compression.codec": "lz4",
            "linger.ms": "5",
            "message.timeout.ms": "30000",
            "socket.connection.setup.timeout.ms": "5000",
        ])
        rd_kafka_conf_set_dr_msg_cb(conf, deliveryReportCallback)
        handle = KafkaHandle(pointer: try KafkaConfiguration.client(type: RD_KAFKA_PRODUCER, conf: conf))
        self.logger = logger
        self.flushTimeout = flushTimeout
        poller = PollThread(name: "kafka-producer-poll") { [handle] in rd_kafka_poll(handle.pointer, 100) }
    }

    /// Produces `record` and waits for the broker's acknowledgement.
    @discardableResult
    public func send(_ record: KafkaRecord) async throws(KafkaError) -> DeliveryReport {
        try await send([record])[0].get()
    }

    /// Produces `records` and waits until the broker acknowledged (or failed) each of them:
    /// one result per record, in order. Cheaper per record than one `send` each, since a
    /// whole batch shares one continuation.
    public func send(_ records: [KafkaRecord]) async throws(KafkaError) -> [Result<DeliveryReport, KafkaError>] {
        guard state.withLockedValue({ $0 == .open }) else { throw .closed }
        guard !records.isEmpty else { return [] }
        return await withCheckedContinuation { continuation in
            let batch = DeliveryBatch(count: records.count, continuation: continuation)
            for (index, record) in records.enumerated() {
                if let error = enqueue(record, opaque: batch.slot(index)) {
                    batch.complete(index, with: .failure(error))
                }
            }
        }
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

    /// Waits until every queued record is acknowledged (or failed), up to `timeout`.
    public func flush(timeout: Duration = .seconds(30)) throws(KafkaError) {
        let code = rd_kafka_flush(handle.pointer, Int32(timeout.milliseconds))
        if code != RD_KAFKA_RESP_ERR_NO_ERROR { throw KafkaError(code) }
    }

    /// Runs until graceful shutdown, then flushes and closes.
    public func run() async throws {
        try? await gracefulShutdown()
        close()
    }

    /// Flushes what is in flight, stops the callback thread and frees the client. Idempotent.
    public func close() {
        let wasOpen = state.withLockedValue { state in
            defer { state = .closed }
            return state == .open
        }
        guard wasOpen else { return }
        do {
            try flush(timeout: flushTimeout)
        } catch {
            logger.error("kafka producer flush incomplete at shutdown", metadata: ["error": "\(error)"])
        }
        poller.stop()
        rd_kafka_destroy(handle.pointer)
    }

    deinit { close() }
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

extension Duration {
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
