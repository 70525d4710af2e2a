import Foundation

/// A deterministic generator (SplitMix64) so failures reproduce.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func gaussian() -> Float {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &self)
        let u2 = Double.random(in: 0..<1, using: &self)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
    }
}

/// Clustered unit vectors, like sentence embeddings (and like the bench's vectors_make.py).
struct TestVectors {
    let dimensions: Int
    private var random: SeededRandom
    private let centers: [[Float]]

    init(dimensions: Int, clusters: Int = 50, seed: UInt64 = 7) {
        self.dimensions = dimensions
        var random = SeededRandom(seed: seed)
        centers = (0..<clusters).map { _ in (0..<dimensions).map { _ in random.gaussian() } }
        self.random = random
    }

    mutating func next() -> [Float] {
        let center = centers[Int(random.next() % UInt64(centers.count))]
        let v = center.map { $0 + 1.5 * random.gaussian() }
        return normalized(v)
    }

    mutating func make(_ count: Int) -> [[Float]] { (0..<count).map { _ in next() } }
}

func normalized(_ v: [Float]) -> [Float] {
    let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return v.map { $0 / norm }
}

func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
