/// A 64-byte-aligned array owned by its class instance: weights and scratch space that BLAS and
/// the C kernels read and write through raw pointers.
final class AlignedBuffer<Element>: @unchecked Sendable {
    private(set) var pointer: UnsafeMutablePointer<Element>
    private(set) var count: Int

    init(count: Int) {
        self.count = count
        pointer = Self.allocate(count)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// Grows to at least `count` elements; contents are not kept.
    func reserve(_ needed: Int) {
        guard needed > count else { return }
        UnsafeMutableRawPointer(pointer).deallocate()
        count = needed
        pointer = Self.allocate(needed)
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<Element> {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1) * MemoryLayout<Element>.stride, alignment: 64)
        return raw.bindMemory(to: Element.self, capacity: max(count, 1))
    }
}

/// Floats: activations, scratch and the weights BLAS reads.
typealias FloatBuffer = AlignedBuffer<Float>
