import Foundation
import ReferenceTestSupport
@testable import Pairwise

/// Tests/Reference/pairwise_reference.py's answers (sureal 0.9.0, choix 0.4.1, scipy) on the
/// same comparisons, and the seeded random comparison sets the reference tests draw.
enum PairwiseReference {
    /// One answer: field name → list of numbers (nil where no ML score) or a number.
    struct Answer {
        let fields: [String: Any]
        func numbers(_ key: String) -> [Double?]? {
            (fields[key] as? [Any])?.map { ($0 as? NSNumber)?.doubleValue }
        }
        var error: String? { fields["error"] as? String }
    }

    static func run(_ sets: [Comparisons], model: PairwiseModel, ties: TieModel) throws -> [Answer] {
        let lines = try sets.map { d -> String in
            let rows = (0..<d.count).map { [Int(d.a[$0]), Int(d.b[$0]), Int(d.outcome[$0].rawValue)] }
            let object: [String: Any] = ["n": d.items.count, "comparisons": rows, "model": model.rawValue, "ties": ties.rawValue]
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        return try ReferenceScript.run("pairwise_reference.py", input: lines.joined(separator: "\n") + "\n").map {
            Answer(fields: try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:])
        }
    }

    /// A seeded random set: `items` items with true strengths, `count` comparisons by 5 raters,
    /// a tie with probability `tieShare`; `blocks` > 1 splits the items into groups never
    /// compared with each other (connected and not).
    static func random(seed: UInt64, items: Int, count: Int, tieShare: Double, blocks: Int = 1) -> Comparisons {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let strength = (0..<items).map { _ in next() * 3 - 1.5 }
        var r = [Int32](), a = [Int32](), b = [Int32](), o = [Comparisons.Outcome]()
        let per = items / blocks
        for _ in 0..<count {
            let block = min(Int(next() * Double(blocks)), blocks - 1)
            let lo = block * per, size = block == blocks - 1 ? items - lo : per
            let x = lo + min(Int(next() * Double(size)), size - 1)
            var y = lo + min(Int(next() * Double(size - 1)), size - 2)
            if y >= x { y += 1 }
            let p = 1 / (1 + exp(strength[y] - strength[x]))
            let u = next()
            r.append(Int32(min(Int(next() * 5), 4))); a.append(Int32(x)); b.append(Int32(y))
            o.append(u < tieShare ? .tie : (u - tieShare < p * (1 - tieShare) ? .a : .b))
        }
        return Comparisons(items: (0..<items).map { "item \($0)" }, raters: (0..<5).map { "r\($0)" },
                           rater: r, a: a, b: b, outcome: o)
    }
}
