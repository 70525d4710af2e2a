import Crypto
import Foundation

/// A `.safetensors` file read directly: an 8-byte little-endian header length, a JSON header
/// giving each tensor's dtype, shape and byte range, then the raw little-endian data.
struct SafeTensors {
    struct Entry {
        let dtype: String
        let shape: [Int]
        let range: Range<Int>
    }

    /// Header sizes beyond this are not a model we made.
    private static let maxHeaderBytes = 100 << 20

    private let data: Data
    let entries: [String: Entry]

    /// SHA-256 (hex) of the whole file, from the bytes already mapped.
    var sha256: String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    init(path: String) throws(MiniLMError) {
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        guard data.count >= 8 else { throw .invalidWeights("\(path) is shorter than a safetensors header") }
        let headerBytes = data.withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        guard headerBytes > 0, headerBytes <= Self.maxHeaderBytes, 8 + headerBytes <= data.count else {
            throw .invalidWeights("safetensors header length \(headerBytes) does not fit a \(data.count)-byte file")
        }
        let dataStart = 8 + headerBytes
        let header: [String: Any]
        do {
            header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<dataStart)) as? [String: Any] ?? [:]
        } catch {
            throw .invalidWeights("safetensors header is not JSON")
        }
        var entries: [String: Entry] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let fields = value as? [String: Any],
                  let dtype = fields["dtype"] as? String,
                  let shape = fields["shape"] as? [Int],
                  let offsets = fields["data_offsets"] as? [Int], offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1], dataStart + offsets[1] <= data.count
            else { throw .invalidWeights("tensor \(name) has a malformed header entry") }
            entries[name] = Entry(dtype: dtype, shape: shape, range: (dataStart + offsets[0])..<(dataStart + offsets[1]))
        }
        self.entries = entries
    }

    /// Copies a float32 tensor into `destination` after checking its dtype and shape.
    func copy(_ name: String, shape: [Int], into destination: UnsafeMutablePointer<Float>) throws(MiniLMError) {
        guard let entry = entries[name] else { throw .invalidWeights("tensor \(name) is missing") }
        guard entry.dtype == "F32" else { throw .invalidWeights("tensor \(name) is \(entry.dtype), expected F32") }
        guard entry.shape == shape else { throw .invalidWeights("tensor \(name) has shape \(entry.shape), expected \(shape)") }
        let count = shape.reduce(1, *)
        guard entry.range.count == count * MemoryLayout<Float>.size else {
            throw .invalidWeights("tensor \(name) holds \(entry.range.count) bytes for \(count) floats")
        }
        data.withUnsafeBytes { raw in
            let bytes = UnsafeRawBufferPointer(rebasing: raw[entry.range])
            // Little-endian on disk and on every platform we build for.
            UnsafeMutableRawPointer(destination).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
    }
}
