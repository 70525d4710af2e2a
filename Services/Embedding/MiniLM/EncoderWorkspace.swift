/// One thread's scratch space for the forward pass: every activation for up to `tokens` packed
/// tokens. Grown when a larger slice arrives, never per call or per token. Used by one thread
/// at a time (the model hands each thread its own).
final class EncoderWorkspace: @unchecked Sendable {
    /// The running hidden state [tokens, hidden]; holds each layer's output.
    let hidden = FloatBuffer(count: 0)
    /// The attention block's output [tokens, hidden] (the feed-forward block's input and residual).
    let attended = FloatBuffer(count: 0)
    /// Stacked query, key and value projections [tokens, 3·hidden].
    let qkv = FloatBuffer(count: 0)
    /// Attention output before its projection [tokens, hidden].
    let context = FloatBuffer(count: 0)
    /// Feed-forward activations [tokens, intermediate].
    let intermediate = FloatBuffer(count: 0)
    /// One head's attention scores [longest, longest].
    let scores = FloatBuffer(count: 0)
    /// The few-rows kernel's transposed input, 12 rows per column thread.
    let transposed = FloatBuffer(count: 0)

    func reserve(tokens: Int, longest: Int, columnThreads: Int) {
        transposed.reserve(columnThreads * 12 * BertShape.intermediate)
        hidden.reserve(tokens * BertShape.hidden)
        attended.reserve(tokens * BertShape.hidden)
        qkv.reserve(tokens * 3 * BertShape.hidden)
        context.reserve(tokens * BertShape.hidden)
        intermediate.reserve(tokens * BertShape.intermediate)
        scores.reserve(longest * longest)
    }
}
