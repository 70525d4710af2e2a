import Crypto

/// SHA-256 of bytes, as ingestion uses it: content hashes for dedupe and chunk ids.
enum SHA256Digest {
    static func hash(_ message: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: message))
    }
}
