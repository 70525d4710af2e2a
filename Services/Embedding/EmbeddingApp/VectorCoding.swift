import Foundation

/// Vectors as bytes: IEEE-754 float32, little-endian, one after another. The form of OpenAI's
/// `encoding_format: base64` and of the Redis cache's values.
enum VectorCoding {
    /// The little-endian float32 bytes of `vector`.
    static func bytes(_ vector: [Float]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(vector.count * 4)
        append(vector, to: &bytes)
        return bytes
    }

    static func append(_ vector: [Float], to bytes: inout [UInt8]) {
        for value in vector {
            let bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
    }

    /// The floats of little-endian float32 bytes; nil unless the length is a multiple of 4.
    static func floats(_ bytes: some Collection<UInt8>) -> [Float]? {
        guard bytes.count % 4 == 0 else { return nil }
        var result = [Float]()
        result.reserveCapacity(bytes.count / 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next(), let b1 = iterator.next(), let b2 = iterator.next(), let b3 = iterator.next() {
            let bits = UInt32(b0) | UInt32(b1) << 8 | UInt32(b2) << 16 | UInt32(b3) << 24
            result.append(Float(bitPattern: bits))
        }
        return result
    }

    /// OpenAI's base64 form of a vector.
    static func base64(_ vector: [Float]) -> String {
        Data(bytes(vector)).base64EncodedString()
    }

    /// `vector` scaled to unit length (a zero vector stays zero).
    static func normalized(_ vector: [Float]) -> [Float] {
        var sum: Double = 0
        for value in vector { sum += Double(value) * Double(value) }
        guard sum > 0 else { return vector }
        let scale = Float(1 / sum.squareRoot())
        return vector.map { $0 * scale }
    }
}
