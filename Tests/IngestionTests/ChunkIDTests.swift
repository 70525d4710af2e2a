import Testing

@testable import IngestionApp

@Suite("Chunk ids")
struct ChunkIDTests {
    @Test("SHA-256 matches the FIPS 180-4 test vectors")
    func sha256() {
        func hex(_ text: String) -> String {
            SHA256Digest.hash(Array(text.utf8)).map { String($0, radix: 16).leftPadded(2) }.joined()
        }
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(hex(String(repeating: "a", count: 1000))
            == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test("ids are UUID-shaped (version 8), deterministic and distinct")
    func shape() {
        let id = ChunkID.make(documentID: "doc-1", version: 1, ordinal: 0)
        let parts = id.split(separator: "-").map(\.count)
        #expect(parts == [8, 4, 4, 4, 12])
        #expect(id == id.lowercased())
        #expect(id[id.index(id.startIndex, offsetBy: 14)] == "8")
        #expect("89ab".contains(id[id.index(id.startIndex, offsetBy: 19)]))
        #expect(ChunkID.make(documentID: "doc-1", version: 1, ordinal: 0) == id)
        var seen: Set<String> = []
        for document in ["doc-1", "doc-2", "doc-11"] {
            for version in [1, 2, 11] {
                for ordinal in 0..<20 { seen.insert(ChunkID.make(documentID: document, version: version, ordinal: ordinal)) }
            }
        }
        #expect(seen.count == 3 * 3 * 20)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
