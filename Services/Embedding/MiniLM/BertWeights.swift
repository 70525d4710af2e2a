import CMiniLMKernels

/// The shape of all-MiniLM-L6-v2 (its config.json).
enum BertShape {
    static let hidden = 384
    static let heads = 12
    static let headSize = 32
    static let intermediate = 1536
    static let layers = 6
    static let vocabulary = 30522
    static let positions = 512
    static let layerNormEpsilon: Float = 1e-12
}

/// A linear layer's weight in PyTorch's [outputs, inputs] layout (what BLAS reads), and the
/// same values packed in 8-column float16 panels for the few-rows kernel (`minilm_small_linear`).
///
/// The weights are rounded to float16 once, at load, and both copies hold those values: a short
/// query is bound by reading the weights (42 MB as floats, more than the caches hold), so the
/// few-rows kernel reads half the bytes, and BLAS multiplies the very same numbers, so a text
/// gets the same vector whichever path embeds it. The rounding (relative error ≤ 2⁻¹¹ per
/// weight) keeps every golden embedding within the fidelity bound (cosine ≥ 0.9999).
struct LinearWeight {
    let outputs: Int
    let inputs: Int
    let matrix: FloatBuffer
    let panels: AlignedBuffer<UInt16>

    init(outputs: Int, inputs: Int, matrix: FloatBuffer) {
        self.outputs = outputs
        self.inputs = inputs
        self.matrix = matrix
        minilm_round_to_half(matrix.pointer, outputs * inputs)
        panels = AlignedBuffer(count: outputs * inputs)
        minilm_pack_panels(matrix.pointer, outputs, inputs, panels.pointer)
    }
}

/// One encoder layer's parameters. Linear weights keep PyTorch's [out, in] layout; the
/// query, key and value projections are stacked into one [3·hidden, hidden] matrix so a
/// single product computes all three.
struct BertLayerWeights {
    let qkv: LinearWeight, qkvBias: FloatBuffer
    let attentionOut: LinearWeight, attentionOutBias: FloatBuffer
    let attentionNormGamma: FloatBuffer, attentionNormBeta: FloatBuffer
    let intermediate: LinearWeight, intermediateBias: FloatBuffer
    let output: LinearWeight, outputBias: FloatBuffer
    let outputNormGamma: FloatBuffer, outputNormBeta: FloatBuffer
}

/// Every parameter the forward pass reads, copied out of the safetensors file into aligned
/// buffers (the pooler is not used by sentence-transformers and is not loaded).
struct BertWeights {
    let wordEmbeddings: FloatBuffer
    let positionEmbeddings: FloatBuffer
    let tokenTypeEmbeddings: FloatBuffer
    let embeddingNormGamma: FloatBuffer, embeddingNormBeta: FloatBuffer
    let layers: [BertLayerWeights]

    init(_ file: SafeTensors) throws(MiniLMError) {
        let h = BertShape.hidden
        func load(_ name: String, _ shape: [Int]) throws(MiniLMError) -> FloatBuffer {
            let buffer = FloatBuffer(count: shape.reduce(1, *))
            try file.copy(name, shape: shape, into: buffer.pointer)
            return buffer
        }
        wordEmbeddings = try load("embeddings.word_embeddings.weight", [BertShape.vocabulary, h])
        positionEmbeddings = try load("embeddings.position_embeddings.weight", [BertShape.positions, h])
        tokenTypeEmbeddings = try load("embeddings.token_type_embeddings.weight", [2, h])
        embeddingNormGamma = try load("embeddings.LayerNorm.weight", [h])
        embeddingNormBeta = try load("embeddings.LayerNorm.bias", [h])

        var layers: [BertLayerWeights] = []
        for index in 0..<BertShape.layers {
            let prefix = "encoder.layer.\(index)."
            let qkv = FloatBuffer(count: 3 * h * h)
            let qkvBias = FloatBuffer(count: 3 * h)
            for (part, name) in ["query", "key", "value"].enumerated() {
                try file.copy(prefix + "attention.self.\(name).weight", shape: [h, h], into: qkv.pointer + part * h * h)
                try file.copy(prefix + "attention.self.\(name).bias", shape: [h], into: qkvBias.pointer + part * h)
            }
            layers.append(BertLayerWeights(
                qkv: LinearWeight(outputs: 3 * h, inputs: h, matrix: qkv), qkvBias: qkvBias,
                attentionOut: LinearWeight(outputs: h, inputs: h, matrix: try load(prefix + "attention.output.dense.weight", [h, h])),
                attentionOutBias: try load(prefix + "attention.output.dense.bias", [h]),
                attentionNormGamma: try load(prefix + "attention.output.LayerNorm.weight", [h]),
                attentionNormBeta: try load(prefix + "attention.output.LayerNorm.bias", [h]),
                intermediate: LinearWeight(
                    outputs: BertShape.intermediate, inputs: h,
                    matrix: try load(prefix + "intermediate.dense.weight", [BertShape.intermediate, h])
                ),
                intermediateBias: try load(prefix + "intermediate.dense.bias", [BertShape.intermediate]),
                output: LinearWeight(
                    outputs: h, inputs: BertShape.intermediate,
                    matrix: try load(prefix + "output.dense.weight", [h, BertShape.intermediate])
                ),
                outputBias: try load(prefix + "output.dense.bias", [h]),
                outputNormGamma: try load(prefix + "output.LayerNorm.weight", [h]),
                outputNormBeta: try load(prefix + "output.LayerNorm.bias", [h])
            ))
        }
        self.layers = layers
    }
}
