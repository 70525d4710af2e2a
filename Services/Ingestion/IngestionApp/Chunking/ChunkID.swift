/// Chunk ids: the first 128 bits of SHA-256("cairn.chunk.v1", document id, version, ordinal) laid
/// out as a UUID (version 8, "custom", RFC 9562), lower-case. The same chunk of the same document
/// version always gets the same id, so a redelivered `ChunksCreated` upserts instead of duplicating,
/// and ids never collide across documents or versions.
public enum ChunkID {
    public static func make(documentID: String, version: Int, ordinal: Int) -> String {
        var input = Array("cairn.chunk.v1".utf8)
        for part in [documentID, String(version), String(ordinal)] {
            input.append(0)  // separator: ids cannot run into each other
            input.append(contentsOf: part.utf8)
        }
        var bytes = Array(SHA256Digest.hash(input).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x80  // version 8
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        let hex = bytes.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]], as: UTF8.self)
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }
}
