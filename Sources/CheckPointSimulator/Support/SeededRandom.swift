/// SplitMix64: a tiny deterministic generator, so the same seed always yields the same tenant
/// on every platform (the system generator is neither seedable nor stable across releases).
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64, stream: UInt64 = 0, index: UInt64 = 0) {
        state = seed &+ stream &* 0x9E37_79B9_7F4A_7C15 &+ index &* 0xD1B5_4A32_D192_ED03
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n.
    mutating func int(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + int(range.count) }
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `count` lower-case hex digits (hot: several per generated email, so no String(radix:) and padding).
    mutating func hex(_ count: Int) -> String {
        var bytes = [UInt8](repeating: 0, count: count)
        var word = next()
        for i in 0..<count {
            if i > 0 && i % 16 == 0 { word = next() }
            bytes[i] = Self.digits[Int(word & 15)]
            word >>= 4
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
