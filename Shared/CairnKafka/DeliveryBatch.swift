import NIOConcurrencyHelpers

/// The outcome of a `send` batch, gathered from librdkafka's delivery callbacks.
///
/// Each record's opaque pointer is its slot: a pointer to the batch and the record's index,
/// all slots in one allocation. The batch keeps itself alive (one retain) until its last
/// record is reported, then resumes the caller and frees the slots.
final class DeliveryBatch: @unchecked Sendable {
    private struct Slot {
        var batch: UnsafeMutableRawPointer
        var index: Int
    }

    private let slots: UnsafeMutablePointer<Slot>
    private let count: Int
    private let continuation: CheckedContinuation<[Result<DeliveryReport, KafkaError>], Never>
    private let state: NIOLockedValueBox<(results: [Result<DeliveryReport, KafkaError>?], remaining: Int)>

    init(count: Int, continuation: CheckedContinuation<[Result<DeliveryReport, KafkaError>], Never>) {
        self.count = count
        self.continuation = continuation
        state = NIOLockedValueBox((Array(repeating: nil, count: count), count))
        slots = .allocate(capacity: count)
        let retained = Unmanaged.passRetained(self).toOpaque()
        for index in 0..<count { (slots + index).initialize(to: Slot(batch: retained, index: index)) }
    }

    /// The opaque pointer to hand librdkafka for record `index`.
    func slot(_ index: Int) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(slots + index)
    }

    /// Records the outcome of record `index`; the last one resumes the caller.
    func complete(_ index: Int, with result: Result<DeliveryReport, KafkaError>) {
        let finished: [Result<DeliveryReport, KafkaError>]? = state.withLockedValue { state in
            state.results[index] = result
            state.remaining -= 1
            return state.remaining == 0 ? state.results.map { $0! } : nil
        }
        guard let finished else { return }
        continuation.resume(returning: finished)
        slots.deinitialize(count: count)
        slots.deallocate()
        Unmanaged.passUnretained(self).release()
    }

    /// The delivery callback's entry: finds the batch from a slot pointer.
    static func complete(slot: UnsafeMutableRawPointer, with result: Result<DeliveryReport, KafkaError>) {
        let slot = slot.assumingMemoryBound(to: Slot.self).pointee
        Unmanaged<DeliveryBatch>.fromOpaque(slot.batch).takeUnretainedValue().complete(slot.index, with: result)
    }
}
