import CMiniLMKernels
import COpenBLAS

/// The BERT encoder plus sentence-transformers' mean pooling and L2 normalisation.
///
/// Sequences are packed end to end with no padding: the linear layers run over all tokens of
/// the slice as one matrix product each, and attention runs per sequence, so a sequence only
/// ever attends to its own tokens. That is what an attention mask over a padded batch computes,
/// without the wasted rows (and it is why a batch gives the same vectors as one at a time).
struct BertEncoder {
    let weights: BertWeights
    /// Zeros, the bias of the few-rows kernel (the real biases are added by the fused kernels
    /// that follow each product, whichever path computed it).
    private let zeros = FloatBuffer(count: BertShape.intermediate)
    /// Slices of at most this many tokens use the few-rows kernel instead of BLAS.
    static let fewRows = 24
    /// Sequences up to this long attend in one C loop instead of two BLAS calls per head.
    static let shortSequence = 32

    init(weights: BertWeights) {
        self.weights = weights
        zeros.pointer.initialize(repeating: 0, count: zeros.count)
    }

    /// Embeds `sequences` (token ids, [CLS] … [SEP]) and writes sequence i's unit vector at
    /// `output + i · hidden`. `workspace` must not be in use by another thread. With a
    /// `columnTeam`, its threads share each product of a few-rows slice (a single short query)
    /// by output columns.
    func embed(
        _ sequences: ArraySlice<[Int32]>, into output: UnsafeMutablePointer<Float>, workspace: EncoderWorkspace,
        columnTeam: ThreadTeam? = nil
    ) {
        let columnThreads = columnTeam?.size ?? 1
        let h = BertShape.hidden
        let tokens = sequences.reduce(0) { $0 + $1.count }
        let longest = sequences.reduce(0) { max($0, $1.count) }
        workspace.reserve(tokens: tokens, longest: longest, columnThreads: columnThreads)

        var offset = 0
        for ids in sequences {
            ids.withUnsafeBufferPointer { ids in
                minilm_embed(
                    ids.baseAddress, ids.count, weights.wordEmbeddings.pointer, weights.positionEmbeddings.pointer,
                    weights.tokenTypeEmbeddings.pointer, weights.embeddingNormGamma.pointer,
                    weights.embeddingNormBeta.pointer, workspace.hidden.pointer + offset * h, h,
                    BertShape.layerNormEpsilon
                )
            }
            offset += ids.count
        }
        for layer in weights.layers {
            encode(layer, sequences: sequences, tokens: tokens, workspace: workspace, columnTeam: columnTeam)
        }
        offset = 0
        for (index, ids) in sequences.enumerated() {
            minilm_mean_pool_normalize(workspace.hidden.pointer + offset * h, ids.count, h, output + index * h)
            offset += ids.count
        }
    }

    /// One post-LN transformer layer over the packed hidden state, in place.
    private func encode(
        _ layer: BertLayerWeights, sequences: ArraySlice<[Int32]>, tokens: Int, workspace: EncoderWorkspace,
        columnTeam: ThreadTeam?
    ) {
        let h = BertShape.hidden
        let ff = BertShape.intermediate
        let hidden = workspace.hidden.pointer
        let attended = workspace.attended.pointer
        func linear(_ input: UnsafePointer<Float>, _ weight: LinearWeight, into out: UnsafeMutablePointer<Float>) {
            self.linear(input, rows: tokens, weight: weight, into: out, workspace: workspace, columnTeam: columnTeam)
        }

        linear(hidden, layer.qkv, into: workspace.qkv.pointer)
        minilm_add_bias(workspace.qkv.pointer, layer.qkvBias.pointer, tokens, 3 * h)
        attend(sequences, workspace: workspace)

        linear(workspace.context.pointer, layer.attentionOut, into: attended)
        minilm_residual_layernorm(
            attended, hidden, layer.attentionOutBias.pointer, layer.attentionNormGamma.pointer,
            layer.attentionNormBeta.pointer, tokens, h, BertShape.layerNormEpsilon
        )

        linear(attended, layer.intermediate, into: workspace.intermediate.pointer)
        minilm_bias_gelu(workspace.intermediate.pointer, layer.intermediateBias.pointer, tokens, ff)
        linear(workspace.intermediate.pointer, layer.output, into: hidden)
        minilm_residual_layernorm(
            hidden, attended, layer.outputBias.pointer, layer.outputNormGamma.pointer,
            layer.outputNormBeta.pointer, tokens, h, BertShape.layerNormEpsilon
        )
    }

    /// Scaled dot-product attention of every head of every sequence: softmax(QKᵀ/√d)·V, read
    /// from the stacked projections and written into the context rows of the sequence.
    private func attend(_ sequences: ArraySlice<[Int32]>, workspace: EncoderWorkspace) {
        let h = BertShape.hidden
        let d = BertShape.headSize
        let stride = Int32(3 * h)
        let scale = 1 / Float(d).squareRoot()
        let scores = workspace.scores.pointer
        var offset = 0
        for ids in sequences {
            let length = Int32(ids.count)
            let rows = workspace.qkv.pointer + offset * 3 * h
            for head in 0..<BertShape.heads {
                let query = rows + head * d
                let key = query + h
                let value = query + 2 * h
                if ids.count <= Self.shortSequence {
                    minilm_short_attention(query, key, value, 3 * h, ids.count, d, scale, scores,
                                           workspace.context.pointer + offset * h + head * d, h)
                    continue
                }
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, length, length, Int32(d),
                            scale, query, stride, key, stride, 0, scores, length)
                minilm_softmax_rows(scores, ids.count, ids.count, ids.count)
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, length, Int32(d), length,
                            1, scores, length, value, stride, 0,
                            workspace.context.pointer + offset * h + head * d, Int32(h))
            }
            offset += ids.count
        }
    }

    /// out[rows, outputs] = input[rows, inputs] · weightᵀ: BLAS for many rows; for a few, the
    /// panel kernel, split by output columns over `columnThreads` threads.
    private func linear(
        _ input: UnsafePointer<Float>, rows: Int, weight: LinearWeight, into out: UnsafeMutablePointer<Float>,
        workspace: EncoderWorkspace, columnTeam: ThreadTeam?
    ) {
        let (n, k) = (weight.outputs, weight.inputs)
        guard rows <= Self.fewRows else {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(n), Int32(k),
                        1, input, Int32(k), weight.matrix.pointer, Int32(k), 0, out, Int32(n))
            return
        }
        let scratch = workspace.transposed.pointer
        let product = { (part: Int, parts: Int) in
            // Column ranges on panel (8-column) boundaries.
            let panels = n / 8
            let first = panels * part / parts * 8
            let last = panels * (part + 1) / parts * 8
            minilm_small_linear(
                input, rows, k, weight.panels.pointer, zeros.pointer, out, n, first, last,
                scratch + part * 12 * BertShape.intermediate
            )
        }
        if let columnTeam {
            columnTeam.run { product($0, columnTeam.size) }
        } else {
            product(0, 1)
        }
    }
}
