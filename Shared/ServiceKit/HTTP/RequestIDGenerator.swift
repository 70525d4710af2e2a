import Synchronization

/// New request ids, in the text form of a version-4 UUID (lowercase), without a system call:
/// Foundation's `UUID()` opens, reads and closes `/dev/urandom` on every call (3 µs here, on
/// every request). These come from a counter seeded once from the system's generator and
/// scrambled by SplitMix64 (a bijection; the six version and variant bits it then gives up
/// leave 122 random-looking bits, so a repeat is as unlikely as with a random UUID); the random
/// seed keeps processes apart. Unique, not secret: one id tells the next, so nothing may rely on
/// guessing one being hard (clients may send their own `X-Request-ID` anyway).
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
        String(unsafeUninitializedCapacity: 36) { buffer in
            var index = 0
            func put(_ word: UInt64) {
                for nibble in 0..<16 {
                    if index == 8 || index == 13 || index == 18 || index == 23 {
                        buffer[index] = UInt8(ascii: "-")
                        index += 1
                    }
                    let digit = UInt8((word >> UInt64(60 - 4 * nibble)) & 0xF)
                    buffer[index] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
                    index += 1
                }
            }
            put(high)
            put(low)
            return 36
        }
    }
}
