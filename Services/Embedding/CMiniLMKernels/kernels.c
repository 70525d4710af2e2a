// Two builds of the same kernels (kernels_impl.inc): AVX2+FMA for the machines we run on, and a
// portable one; the first call picks by CPU. Only the entry points below are visible.
#include "minilm_kernels.h"
#include "cairn_float16.h"
#include <immintrin.h>
#include <math.h>

#define KERNEL(name) name##_avx2
#define MINILM_F16C 1
#pragma clang attribute push(__attribute__((target("avx2,fma,f16c"))), apply_to = function)
#include "kernels_impl.inc"
#pragma clang attribute pop
#undef MINILM_F16C
#undef KERNEL

#define KERNEL(name) name##_portable
#include "kernels_impl.inc"
#undef KERNEL

static int use_avx2 = -1;

static inline int avx2(void) {
    if (__builtin_expect(use_avx2 < 0, 0)) {
        __builtin_cpu_init();
        use_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
                   && __builtin_cpu_supports("f16c");
    }
    return use_avx2;
}

int minilm_kernels_vectorized(void) { return avx2(); }

void minilm_bias_gelu(float *x, const float *bias, size_t rows, size_t cols) {
    if (avx2()) bias_gelu_avx2(x, bias, rows, cols); else bias_gelu_portable(x, bias, rows, cols);
}

void minilm_add_bias(float *x, const float *bias, size_t rows, size_t cols) {
    if (avx2()) add_bias_avx2(x, bias, rows, cols); else add_bias_portable(x, bias, rows, cols);
}

void minilm_residual_layernorm(float *x, const float *residual, const float *bias, const float *gamma,
                               const float *beta, size_t rows, size_t cols, float eps) {
    if (avx2()) residual_layernorm_avx2(x, residual, bias, gamma, beta, rows, cols, eps);
    else residual_layernorm_portable(x, residual, bias, gamma, beta, rows, cols, eps);
}

void minilm_softmax_rows(float *s, size_t rows, size_t cols, size_t ld) {
    if (avx2()) softmax_rows_avx2(s, rows, cols, ld); else softmax_rows_portable(s, rows, cols, ld);
}

void minilm_embed(const int32_t *ids, size_t count, const float *word, const float *position,
                  const float *type0, const float *gamma, const float *beta, float *out, size_t cols,
                  float eps) {
    if (avx2()) embed_avx2(ids, count, word, position, type0, gamma, beta, out, cols, eps);
    else embed_portable(ids, count, word, position, type0, gamma, beta, out, cols, eps);
}

void minilm_mean_pool_normalize(const float *x, size_t count, size_t cols, float *out) {
    if (avx2()) mean_pool_normalize_avx2(x, count, cols, out);
    else mean_pool_normalize_portable(x, count, cols, out);
}

void minilm_small_linear(const float *x, size_t m, size_t k, const uint16_t *packed, const float *bias, float *y,
                         size_t n, size_t n0, size_t n1, float *scratch) {
    if (avx2()) small_linear_avx2(x, m, k, packed, bias, y, n, n0, n1, scratch);
    else small_linear_portable(x, m, k, packed, bias, y, n, n0, n1, scratch);
}

void minilm_round_to_half(float *x, size_t count) {
    for (size_t i = 0; i < count; i++) x[i] = cairn_float_from_half(cairn_half_from_float(x[i]));
}

void minilm_pack_panels(const float *weight, size_t n, size_t k, uint16_t *packed) {
    for (size_t j = 0; j < n; j += 8)
        for (size_t p = 0; p < k; p++)
            for (size_t c = 0; c < 8; c++) packed[j * k + p * 8 + c] = cairn_half_from_float(weight[(j + c) * k + p]);
}

void minilm_short_attention(const float *q, const float *k, const float *v, size_t ld, size_t length, size_t d,
                            float scale, float *scores, float *out, size_t ldo) {
    if (avx2()) short_attention_avx2(q, k, v, ld, length, d, scale, scores, out, ldo);
    else short_attention_portable(q, k, v, ld, length, d, scale, scores, out, ldo);
}
