import CairnTokenizer
import Foundation

/// Where the tests find their inputs: the fixtures next to this target (by `#filePath`, so
/// any working directory works) and the model's `vocab.txt` in `$CAIRN_MODEL_DIR`
/// (`source deploy/local/env.sh`).
enum TokenizerFixtures {
    struct MissingModel: Error, CustomStringConvertible {
        var description: String {
            "CAIRN_MODEL_DIR is not set or has no vocab.txt; run `source deploy/local/env.sh` (after `make deps`)"
        }
    }

    static func url(_ name: String, file: String = #filePath) -> URL {
        URL(fileURLWithPath: file)
            .deletingLastPathComponent()  // CairnTokenizerTests
            .deletingLastPathComponent()  // Tests
            .appendingPathComponent("Fixtures")
            .appendingPathComponent(name)
    }

    static func decode<T: Decodable>(_ type: T.Type, from name: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(contentsOf: url(name)))
    }

    /// The all-MiniLM-L6-v2 tokenizer, loaded once per test process.
    static func minilm() throws -> BertTokenizer {
        try loaded.get()
    }

    private static let loaded = Result<BertTokenizer, any Error> {
        guard let directory = ProcessInfo.processInfo.environment["CAIRN_MODEL_DIR"], !directory.isEmpty,
              FileManager.default.fileExists(atPath: directory + "/vocab.txt")
        else { throw MissingModel() }
        return try BertTokenizer(vocabularyFile: directory + "/vocab.txt")
    }
}
