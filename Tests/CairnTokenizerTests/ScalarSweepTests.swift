import CairnTokenizer
import Foundation
import Testing

/// Every Unicode scalar against the reference: opt-in, because the reference's answers (from
/// `make_tokenizer_fixture.py --sweep FILE`, ~26 MB) are not in the repository. Run with
/// CAIRN_TOKENIZER_SWEEP=FILE after a Swift upgrade (new Unicode data) or a change to
/// `ScalarTable`.
@Suite struct ScalarSweepTests {
    static let path = ProcessInfo.processInfo.environment["CAIRN_TOKENIZER_SWEEP"]

    @Test(.enabled(if: path != nil, "set CAIRN_TOKENIZER_SWEEP to a sweep file"))
    func scalarSweepMatchesTheReference() throws {
        let tokenizer = try TokenizerFixtures.minilm()
        let lines = try String(contentsOfFile: try #require(Self.path), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 1_112_064)
        var mismatches: [String] = []
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            let scalar = try #require(UInt32(fields[0]).flatMap(Unicode.Scalar.init))
            let expected = "\(fields[1])\t\(fields[2])"
            let tokens = tokenizer.tokenize("\(scalar) a\(scalar)b")
            let actual = tokens.map { String($0.id) }.joined(separator: " ") + "\t"
                + tokens.map { "\($0.start),\($0.end)" }.joined(separator: " ")
            if actual != expected { mismatches.append("U+\(String(scalar.value, radix: 16)): \(actual) vs \(expected)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) scalars differ: \(mismatches.prefix(20))")
    }
}
