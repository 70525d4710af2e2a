import CFloat16
import CMiniLMKernels
import Testing

/// The shared float16 conversions (`Shared/CFloat16`, no compiler-rt) against Swift's `Float16`,
/// and the model's weight packing.
@Suite("float16 weights")
struct HalfPrecisionTests {
    @Test("every float16 bit pattern widens to the value Swift's Float16 has")
    func everyHalfWidensExactly() {
        var wrong = 0
        for bits in UInt16.min...UInt16.max {
            let expected = Float(Float16(bitPattern: bits))
            let widened = cairn_float_from_half(bits)
            if expected.isNaN ? !widened.isNaN : widened.bitPattern != expected.bitPattern { wrong += 1 }
        }
        #expect(wrong == 0)
    }

    @Test("rounding to float16 is to nearest, ties to even, at every boundary")
    func roundingMatchesFloat16() {
        // Every half, the floats just around it and the midpoints to its neighbours, both signs:
        // the ties, the subnormal range, the largest finite half and the overflow to infinity.
        var samples: [Float] = [0, 65504, 65519.99, 65520, 1e10, .infinity, .nan, .leastNonzeroMagnitude]
        for bits in UInt16(0)..<0x7c00 {
            let value = Float(Float16(bitPattern: bits))
            let next = Float(Float16(bitPattern: bits + 1))
            let middle = (value + next) / 2
            samples += [value, value.nextUp, value.nextDown, middle, middle.nextUp, middle.nextDown]
        }
        // And 100,000 bit patterns spread over all floats (a fixed multiplicative walk).
        for i in UInt32(0)..<100_000 { samples.append(Float(bitPattern: (i &* 2_654_435_761) & 0x7fff_ffff)) }
        samples += samples.map { -$0 }
        var wrong: [Float] = []
        for value in samples {
            let expected = Float16(value)
            let rounded = cairn_half_from_float(value)
            let same = expected.isNaN ? Float16(bitPattern: rounded).isNaN : rounded == expected.bitPattern
            if !same { wrong.append(value) }
        }
        #expect(wrong.isEmpty, "first mismatches: \(wrong.prefix(5))")

        // The same values through the model's copy, compiled with the kernels' fast-math flags.
        var roundedByModel = samples
        minilm_round_to_half(&roundedByModel, roundedByModel.count)
        let modelWrong = zip(samples, roundedByModel).filter { value, rounded in
            let expected = Float(Float16(value))
            return expected.isNaN ? !rounded.isNaN : rounded.bitPattern != expected.bitPattern
        }
        #expect(modelWrong.isEmpty, "first mismatches: \(modelWrong.prefix(5))")
    }

    @Test("packed panels hold the rounded weights, eight columns at a time")
    func panelsHoldTheRoundedWeights() {
        let (outputs, inputs) = (16, 3)
        var weight = (0..<(outputs * inputs)).map { Float($0) * 0.1 + 0.0001 }
        minilm_round_to_half(&weight, weight.count)
        var packed = [UInt16](repeating: 0, count: weight.count)
        minilm_pack_panels(weight, outputs, inputs, &packed)
        for column in 0..<outputs {
            for input in 0..<inputs {
                let stored = packed[(column / 8) * 8 * inputs + input * 8 + column % 8]
                #expect(cairn_float_from_half(stored) == weight[column * inputs + input])
                #expect(weight[column * inputs + input] == Float(Float16(weight[column * inputs + input])))
            }
        }
    }
}
