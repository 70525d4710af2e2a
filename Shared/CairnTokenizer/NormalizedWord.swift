/// The normalised word being built, as UTF-8 (what WordPiece looks up) with, per scalar, the
/// original scalar it is aligned to. Fixed scratch memory: WordPiece turns a word of more than
/// `capacity` scalars into one [UNK], so past that only the count and the last origin are kept,
/// and an arbitrarily long "word" (a base64 blob) costs no memory.
struct NormalizedWord: ~Copyable {
    /// The reference's `max_input_chars_per_word`.
    static let capacity = 100

    /// The word's UTF-8 (`byteCount` bytes) and, per byte, the index of its scalar.
    let bytes: UnsafeMutablePointer<UInt8>
    let byteScalars: UnsafeMutablePointer<UInt8>
    /// Per scalar, the index of the original scalar it is aligned to.
    let origins: UnsafeMutablePointer<Int>

    /// Scalars in the word, including those past `capacity` that are not stored.
    private(set) var count = 0
    private(set) var byteCount = 0
    /// Past `capacity`: the origin of the last scalar.
    private var lastOrigin = 0

    init() {
        bytes = .allocate(capacity: Self.capacity * 4)
        byteScalars = .allocate(capacity: Self.capacity * 4)
        origins = .allocate(capacity: Self.capacity)
    }

    deinit {
        bytes.deallocate()
        byteScalars.deallocate()
        origins.deallocate()
    }

    var isEmpty: Bool { count == 0 }
    var isOverflowing: Bool { count > Self.capacity }

    /// Original scalar offsets of the whole word: [first's origin, last's origin + 1).
    var span: (start: Int, end: Int) {
        (origins[0], (isOverflowing ? lastOrigin : origins[count - 1]) + 1)
    }

    mutating func removeAll() {
        count = 0
        byteCount = 0
    }

    @inline(__always)
    mutating func appendASCII(_ byte: UInt8, origin: Int) {
        guard count < Self.capacity else { return overflow(origin) }
        bytes[byteCount] = byte
        byteScalars[byteCount] = UInt8(truncatingIfNeeded: count)
        byteCount += 1
        origins[count] = origin
        count += 1
    }

    mutating func append(_ scalar: UInt32, origin: Int) {
        if scalar < 0x80 { return appendASCII(UInt8(truncatingIfNeeded: scalar), origin: origin) }
        guard count < Self.capacity else { return overflow(origin) }
        let length = scalar < 0x800 ? 2 : scalar < 0x1_0000 ? 3 : 4
        let lead: UInt32 = length == 2 ? 0xC0 : length == 3 ? 0xE0 : 0xF0
        bytes[byteCount] = UInt8(truncatingIfNeeded: lead | scalar >> (6 * UInt32(length - 1)))
        for offset in 1..<length {
            let shift = 6 * UInt32(length - 1 - offset)
            bytes[byteCount + offset] = UInt8(truncatingIfNeeded: 0x80 | (scalar >> shift) & 0x3F)
        }
        for offset in 0..<length { byteScalars[byteCount + offset] = UInt8(truncatingIfNeeded: count) }
        byteCount += length
        origins[count] = origin
        count += 1
    }

    private mutating func overflow(_ origin: Int) {
        lastOrigin = origin
        count += 1
    }
}
