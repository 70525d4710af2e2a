import Synchronization

/// New request ids, in the text form of a version-4 UUID (lowercase), without a system call:
/// Foundation's `UUID()` opens, reads and closes `/dev/urandom` on every call (3 µs here, on
/// every request). These come from a counter seeded once from the system's generator and
/// scrambled by SplitMix64, which is a bijection, so ids never repeat within a process; the
/// random seed keeps processes apart. Unique, not secret: nothing may rely on guessing one
/// being hard.
enum RequestIDGenerator {
    private static let counter = Atomic<UInt64>(UInt64.random(in: .min ... .max))
    private static let key = UInt64.random(in: .min ... .max)

    static func next() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        var high = splitMix(n)
        var low = splitMix(n ^ key)
        high = (high & ~0xF000) | 0x4000  // version 4
        low = (low & ~(0xC << 60)) | (0x8 << 60)  // RFC 9562 variant
        return format(high, low)
    }

    static func splitMix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` from 128 bits, high first.
    static func format(_ high: UInt64, _ low: UInt64) -> String {
        let hex = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            for (word, nibbles) in [(high, 0..<16), (low, 0..<16)] {
                for nibble in nibbles {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        buffer[index] = UInt8(ascii: "-")
                        index += 1
                    }
                    buffer[index] = hex[Int((word >> UInt64(60 - 4 * nibble)) & 0xF)]
                    index += 1
                }
            }
            return 36
        }
    }
}
