import COpenBLAS
import Foundation

/// sentence-transformers/all-MiniLM-L6-v2 in Swift: the 6-layer BERT encoder over OpenBLAS,
/// mean pooling and L2 normalisation, loaded from the model's `model.safetensors`.
///
/// A batch is split into `threads` groups of about equal token count, each run by one thread on
/// its own scratch space with single-threaded BLAS, so the threads never wait for each other
/// inside a forward pass.
public final class MiniLMModel: @unchecked Sendable {
    public static let name = "all-MiniLM-L6-v2"
    public let dimensions = BertShape.hidden
    /// Longest input, [CLS] and [SEP] included.
    public let maxTokens = 256
    /// Token ids must be below this.
    public let vocabularySize = BertShape.vocabulary
    /// SHA-256 (hex) of `model.safetensors`.
    public let weightsChecksum: String
    /// Threads a forward pass uses.
    public let threads: Int

    /// Tokens one thread runs through the encoder at once; bounds scratch memory (~45 MB).
    private static let sliceTokens = 4096

    private let encoder: BertEncoder
    private let workspaces: [EncoderWorkspace]
    private let team: ThreadTeam
    private let lock = NSLock()

    /// Loads `model.safetensors` from the model directory (the one holding vocab.txt).
    public init(directory: String, threads: Int = 2) throws(MiniLMError) {
        let path = URL(fileURLWithPath: directory).appendingPathComponent("model.safetensors").path
        let file = try SafeTensors(path: path)
        encoder = BertEncoder(weights: try BertWeights(file))
        weightsChecksum = file.sha256
        self.threads = max(1, threads)
        workspaces = (0..<self.threads).map { _ in EncoderWorkspace() }
        team = ThreadTeam(size: self.threads)
        // Parallelism is ours (one group of sequences per thread); BLAS stays single-threaded.
        openblas_set_num_threads(1)
    }

    /// Embeds token-id sequences (each [CLS] … [SEP], 1 to `maxTokens` ids below
    /// `vocabularySize`, as `BertTokenizer.encode` makes them). Returns one unit-length
    /// `dimensions`-float vector per sequence, in order. Blocking and CPU-bound: call it from a
    /// dedicated thread, not the cooperative pool. Calls are serialised.
    public func embed(_ sequences: [[Int32]]) -> [[Float]] {
        for ids in sequences {
            precondition(!ids.isEmpty && ids.count <= maxTokens, "a sequence must hold 1 to \(maxTokens) token ids")
            precondition(ids.allSatisfy { $0 >= 0 && Int($0) < vocabularySize }, "token id outside the vocabulary")
        }
        guard !sequences.isEmpty else { return [] }
        let h = dimensions
        let output = FloatBuffer(count: sequences.count * h)
        lock.withLock {
            let groups = Self.balance(sequences, into: threads)
            if groups.count == 1 {
                // One sequence (a query): both threads share each product by columns.
                run(groups[0], of: sequences, into: output, workspace: workspaces[0], columnTeam: team)
            } else {
                team.run { member in
                    guard member < groups.count else { return }
                    run(groups[member], of: sequences, into: output, workspace: workspaces[member], columnTeam: nil)
                }
            }
        }
        return (0..<sequences.count).map { Array(UnsafeBufferPointer(start: output.pointer + $0 * h, count: h)) }
    }

    /// Embeds one group of sequences slice by slice, writing each vector at its sequence's row.
    private func run(
        _ group: [Int], of sequences: [[Int32]], into output: FloatBuffer, workspace: EncoderWorkspace,
        columnTeam: ThreadTeam?
    ) {
        let h = dimensions
        for slice in Self.slices(of: group, sequences: sequences) {
            let vectors = FloatBuffer(count: slice.count * h)
            encoder.embed(slice.map { sequences[$0] }[...], into: vectors.pointer, workspace: workspace, columnTeam: columnTeam)
            for (position, sequence) in slice.enumerated() {
                (output.pointer + sequence * h).update(from: vectors.pointer + position * h, count: h)
            }
        }
    }

    /// Splits sequence indices into at most `count` groups of about equal tokens (longest first,
    /// each to the lightest group), so the threads finish together.
    static func balance(_ sequences: [[Int32]], into count: Int) -> [[Int]] {
        let order = sequences.indices.sorted { sequences[$0].count > sequences[$1].count }
        var groups = [[Int]](repeating: [], count: min(count, sequences.count))
        var load = [Int](repeating: 0, count: groups.count)
        for index in order {
            let lightest = load.indices.min { load[$0] < load[$1] }!
            groups[lightest].append(index)
            load[lightest] += sequences[index].count
        }
        return groups
    }

    /// Cuts a group into runs of at most `sliceTokens` tokens.
    private static func slices(of group: [Int], sequences: [[Int32]]) -> [[Int]] {
        var slices: [[Int]] = []
        var current: [Int] = []
        var tokens = 0
        for index in group {
            if tokens + sequences[index].count > sliceTokens, !current.isEmpty {
                slices.append(current)
                current = []
                tokens = 0
            }
            current.append(index)
            tokens += sequences[index].count
        }
        if !current.isEmpty { slices.append(current) }
        return slices
    }
}
