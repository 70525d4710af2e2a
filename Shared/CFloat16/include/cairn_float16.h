// IEEE binary16 (float16) conversions by bit manipulation, so no compiler-rt helper is needed:
// the embedding model keeps its panel weights as float16 and vector search its graph's copy of
// the vectors. Round to nearest, ties to even; NaN stays NaN, overflow becomes infinity, small
// values become subnormals or zero. Tested against Swift's Float16 on every bit pattern.
#pragma once
#include <stdint.h>

static inline uint16_t cairn_half_from_float(float value) {
    union { float f; uint32_t u; } bits = {value};
    uint32_t sign = (bits.u >> 16) & 0x8000u;
    uint32_t magnitude = bits.u & 0x7fffffffu;
    if (magnitude >= 0x7f800000u) return (uint16_t)(sign | (magnitude > 0x7f800000u ? 0x7e00u : 0x7c00u));
    if (magnitude >= 0x477ff000u) return (uint16_t)(sign | 0x7c00u);  // rounds above 65504
    if (magnitude < 0x38800000u) {  // below 2^-14: a subnormal half (or zero)
        // Adding 0.5 leaves the half's subnormal bits as the float's last mantissa bits,
        // rounded to nearest even by the FPU.
        union { uint32_t u; float f; } shifted = {magnitude};
        shifted.f += 0.5f;
        return (uint16_t)(sign | (shifted.u - 0x3f000000u));
    }
    uint32_t odd = (magnitude >> 13) & 1u;
    magnitude += 0xc8000fffu + odd;  // rebias the exponent (-112 << 23), round half to even
    return (uint16_t)(sign | (magnitude >> 13));
}

static inline float cairn_float_from_half(uint16_t half) {
    uint32_t sign = (uint32_t)(half & 0x8000u) << 16;
    uint32_t exponent = (half >> 10) & 0x1fu;
    uint32_t mantissa = half & 0x3ffu;
    union { uint32_t u; float f; } bits;
    if (exponent == 0x1f) {
        bits.u = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent == 0) {
        bits.f = (float)mantissa * 0x1p-24f;  // subnormal (or zero): exact in float
        bits.u |= sign;
    } else {
        bits.u = sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    return bits.f;
}
