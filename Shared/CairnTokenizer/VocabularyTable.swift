/// An immutable set of byte strings with an id each, looked up by bytes, never by `String`:
/// open addressing with linear probing over 8-byte slots (a hash tag and the id), the keys
/// themselves in one byte arena.
///
/// The hash is FNV-1a over the bytes, so a caller that tries every prefix of a word computes
/// all prefix hashes in one pass (`hashStep`) and probes each without rehashing.
///
/// A class over manually allocated memory so that a lookup is plain pointer reads (no array
/// bounds checks or retains in the tokenizer's innermost loop). It is `Sendable` because
/// nothing is written after `init`.
final class VocabularyTable: @unchecked Sendable {
    static let hashSeed: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    static func hashStep(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }

    static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        bytes.reduce(hashSeed, hashStep)
    }

    /// Longest key in bytes: no longer candidate can match.
    let maxKeyLength: Int
    /// Number of distinct keys.
    let count: Int

    /// `tag` (the hash's low 32 bits) and the key's id; `id < 0` marks an empty slot.
    private struct Slot {
        var tag: UInt32
        var id: Int32
    }

    private let slots: UnsafeMutableBufferPointer<Slot>
    private let shift: UInt64
    /// Key bytes of all entries; id `i`'s key is `arena[keyStart[i] ..< keyEnd[i]]`.
    private let arena: UnsafeMutableBufferPointer<UInt8>
    private let keyStart: UnsafeMutableBufferPointer<Int32>
    private let keyEnd: UnsafeMutableBufferPointer<Int32>

    /// `entries` pairs each key's bytes with its id (ids are non-negative). A key given twice
    /// keeps the later id, as a dictionary built in order would.
    init(_ entries: [(key: ArraySlice<UInt8>, id: Int32)]) {
        var deduplicated: [ArraySlice<UInt8>: Int32] = [:]
        for entry in entries { deduplicated[entry.key] = entry.id }
        // Sorted by id so the table is the same on every run (dictionary order is random).
        let sorted = deduplicated.sorted { $0.value < $1.value }
        var capacity = 16
        while capacity < sorted.count * 2 { capacity *= 2 }
        shift = UInt64(64 - capacity.trailingZeroBitCount)
        let idCount = Int(sorted.last?.value ?? -1) + 1

        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(tag: 0, id: -1))
        arena = .allocate(capacity: max(1, sorted.reduce(0) { $0 + $1.key.count }))
        keyStart = .allocate(capacity: max(1, idCount))
        keyStart.initialize(repeating: 0)
        keyEnd = .allocate(capacity: max(1, idCount))
        keyEnd.initialize(repeating: 0)

        var used = 0
        var longest = 0
        for (key, id) in sorted {
            keyStart[Int(id)] = Int32(used)
            for byte in key {
                arena[used] = byte
                used += 1
            }
            keyEnd[Int(id)] = Int32(used)
            longest = max(longest, key.count)
            let hash = Self.hash(key)
            var index = Self.slotIndex(hash, shift: shift)
            while slots[index].id >= 0 { index = (index + 1) & (capacity - 1) }
            slots[index] = Slot(tag: UInt32(truncatingIfNeeded: hash), id: id)
        }
        maxKeyLength = longest
        count = sorted.count
    }

    deinit {
        slots.deallocate()
        arena.deallocate()
        keyStart.deallocate()
        keyEnd.deallocate()
    }

    @inline(__always)
    private static func slotIndex(_ hash: UInt64, shift: UInt64) -> Int {
        // Fibonacci hashing: FNV's low bits mix poorly, the product's high bits well.
        Int(truncatingIfNeeded: (hash &* 0x9e37_79b9_7f4a_7c15) >> shift)
    }

    /// The id of the key equal to `bytes[0..<count]`, whose `hash` the caller computed with
    /// `hashStep` from `hashSeed`; -1 if there is none.
    @inline(__always)
    func id(of bytes: UnsafePointer<UInt8>, count: Int, hash: UInt64) -> Int32 {
        let tag = UInt32(truncatingIfNeeded: hash)
        let mask = slots.count - 1
        var index = Self.slotIndex(hash, shift: shift)
        while true {
            let slot = slots[index]
            if slot.id < 0 { return -1 }
            if slot.tag == tag {
                let start = Int(keyStart[Int(slot.id)])
                if Int(keyEnd[Int(slot.id)]) - start == count
                    && Self.equal(arena.baseAddress! + start, bytes, count) {
                    return slot.id
                }
            }
            index = (index + 1) & mask
        }
    }

    /// The id of `key`, or nil (convenience, not for the hot path).
    func id<Bytes: Collection<UInt8>>(of key: Bytes) -> Int32? {
        let bytes = Array(key)
        if bytes.isEmpty { return nil }
        let id = bytes.withUnsafeBufferPointer {
            self.id(of: $0.baseAddress!, count: $0.count, hash: Self.hash($0))
        }
        return id >= 0 ? id : nil
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        while i < count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }
}
