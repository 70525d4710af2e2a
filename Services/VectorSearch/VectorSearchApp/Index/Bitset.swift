/// A fixed-size set of slot numbers, one bit each, in the layout the C kernels read
/// (bit `i & 63` of word `i >> 6`).
public struct Bitset: Sendable, Equatable {
    public private(set) var words: [UInt64]
    public private(set) var count = 0
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
        words = [UInt64](repeating: 0, count: (capacity + 63) / 64)
    }

    public mutating func insert(_ i: Int) {
        let mask: UInt64 = 1 << UInt64(i & 63)
        if words[i >> 6] & mask == 0 {
            words[i >> 6] |= mask
            count += 1
        }
    }

    public func contains(_ i: Int) -> Bool {
        i >= 0 && i < capacity && words[i >> 6] & (1 << UInt64(i & 63)) != 0
    }
}
