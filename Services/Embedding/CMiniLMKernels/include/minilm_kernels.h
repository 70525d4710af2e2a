// Elementwise and row kernels of the MiniLM encoder. Each runs in one pass over its rows so the
// matrix products (OpenBLAS) dominate the forward pass. Rows are contiguous, row-major floats.
#pragma once
#include <stddef.h>
#include <stdint.h>

/// x[r][c] = GELU(x[r][c] + bias[c]), the exact (erf) GELU of BERT.
void minilm_bias_gelu(float *x, const float *bias, size_t rows, size_t cols);

/// x[r][c] += bias[c].
void minilm_add_bias(float *x, const float *bias, size_t rows, size_t cols);

/// x[r] = LayerNorm(x[r] + bias + residual[r]) * gamma + beta (the post-LN residual block).
void minilm_residual_layernorm(float *x, const float *residual, const float *bias, const float *gamma,
                               const float *beta, size_t rows, size_t cols, float eps);

/// Softmax of each of `rows` rows of `cols` values, rows `ld` floats apart.
void minilm_softmax_rows(float *s, size_t rows, size_t cols, size_t ld);

/// The embedding layer for one sequence: out[i] = LayerNorm(word[ids[i]] + position[i] + type0).
void minilm_embed(const int32_t *ids, size_t count, const float *word, const float *position,
                  const float *type0, const float *gamma, const float *beta, float *out, size_t cols,
                  float eps);

/// out = mean of `count` rows of `cols` values, L2-normalised.
void minilm_mean_pool_normalize(const float *x, size_t count, size_t cols, float *out);

/// Rounds each of `count` floats to the nearest float16 value, in place.
void minilm_round_to_half(float *x, size_t count);

/// Packs a PyTorch [n, k] weight (n a multiple of 8) into 8-column panels of float16 for
/// minilm_small_linear: panel j/8 holds, for each p, W[j..j+8][p] contiguously. Exact when the
/// weight was rounded by minilm_round_to_half.
void minilm_pack_panels(const float *weight, size_t n, size_t k, uint16_t *packed);

/// y[r][n0..<n1] = x[r] · Wᵀ + bias for r < m, with W packed by minilm_pack_panels; n0 and n1
/// multiples of 8; `scratch` holds 12·k floats. For inputs of a few rows, where reading the
/// weights is the cost (half the bytes as float16) and BLAS's per-call packing dominates.
void minilm_small_linear(const float *x, size_t m, size_t k, const uint16_t *packed, const float *bias, float *y,
                         size_t n, size_t n0, size_t n1, float *scratch);

/// One attention head over a short sequence: out[i] = softmax_j(scale · q_i·k_j) · v_j, rows of
/// q, k and v `ld` floats apart, of out `ldo` apart; `scores` holds `length` floats.
void minilm_short_attention(const float *q, const float *k, const float *v, size_t ld, size_t length, size_t d,
                            float scale, float *scores, float *out, size_t ldo);

/// 1 when the AVX2+FMA kernels are in use, 0 for the portable ones.
int minilm_kernels_vectorized(void);
