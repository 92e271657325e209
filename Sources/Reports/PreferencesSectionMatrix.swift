import Pairwise

/// The win-rate matrix of one pairwise criterion (docs/reports.md, "Preferences"): for each
/// two entries — clips, or systems when every clip carries a system tag — how many
/// comparisons each won and how many were ties. A cell's share is the row's wins over the
/// decisive comparisons of the two (ties are counted apart: a tie says neither is better, so
/// it moves no share). Sparse: one cell per pair compared, so 10,000 clips cost their
/// comparisons, not 10⁸ cells.
public struct WinMatrix: Sendable, Equatable {
    public enum Axis: String, Sendable { case item, system }

    /// Row against column.
    public struct Cell: Sendable, Equatable {
        public let row: Int
        public let column: Int
        public let wins: Int
        public let losses: Int
        public let ties: Int
        /// wins ÷ (wins + losses); nil when every comparison of the two was a tie.
        public var share: Double? { wins + losses > 0 ? Double(wins) / Double(wins + losses) : nil }
        /// The same comparisons seen from the column.
        public var flipped: Cell { Cell(row: column, column: row, wins: losses, losses: wins, ties: ties) }
    }

    public let axis: Axis
    /// Every entry compared at least once, best first (`order`).
    public let entries: [String]
    /// One cell per pair of entries compared, row before column in `entries` order, by row
    /// then column.
    public let pairs: [Cell]

    /// Entries drawn at most in HTML and Markdown: a matrix of 30 × 30 cells with counts in
    /// them is what a printed page can hold. Beyond it, the best and the worst half each.
    public static let shownEntries = 30

    /// The entries HTML and Markdown show (indices into `entries`, best first).
    public var shown: [Int] {
        guard entries.count > Self.shownEntries else { return Array(entries.indices) }
        let half = Self.shownEntries / 2
        return Array(0..<half) + Array(entries.count - half..<entries.count)
    }

    /// Entries left out of HTML and Markdown (all are in the JSON and CSV).
    public var omitted: Int { entries.count - shown.count }

    /// `data`'s comparisons over the entries `order` lists (item indices, best first).
    public init(_ data: Comparisons, axis: Axis, order: [Int]) {
        self.axis = axis
        entries = order.map { data.items[$0] }
        var position = [Int](repeating: -1, count: data.items.count)
        for (p, i) in order.enumerated() { position[i] = p }
        let n = order.count
        var counts: [Int: (lo: Int, hi: Int, ties: Int)] = [:]
        for k in 0..<data.count {
            let a = position[Int(data.a[k])], b = position[Int(data.b[k])]
            guard a >= 0, b >= 0, a != b else { continue }
            let key = min(a, b) * n + max(a, b)
            var c = counts[key] ?? (0, 0, 0)
            switch data.outcome[k] {
            case .tie: c.ties += 1
            case .a: if a < b { c.lo += 1 } else { c.hi += 1 }
            case .b: if b < a { c.lo += 1 } else { c.hi += 1 }
            }
            counts[key] = c
        }
        pairs = counts.keys.sorted().map { key in
            let c = counts[key]!
            return Cell(row: key / n, column: key % n, wins: c.lo, losses: c.hi, ties: c.ties)
        }
    }

    /// The cells among `entries` (indices into `entries`), keyed row × count + column, both
    /// ways round: what a drawn matrix looks up.
    func cells(among entries: [Int]) -> [Int: Cell] {
        let wanted = Set(entries), n = self.entries.count
        var out: [Int: Cell] = [:]
        for c in pairs where wanted.contains(c.row) && wanted.contains(c.column) {
            out[c.row * n + c.column] = c
            out[c.column * n + c.row] = c.flipped
        }
        return out
    }

    /// Items compared at least once, best first: ML scores high to low, then the items
    /// without one (regularised score high to low), ties by name, so every format and every
    /// run list them in one order.
    public static func order(_ data: Comparisons, _ result: PairwiseResult) -> [Int] {
        func regularised(_ item: ItemScore) -> Double {
            if case .undefined(_, let r?) = item.fit { return r }
            return -.infinity
        }
        return result.items.filter { $0.wins + $0.losses + $0.ties > 0 }.sorted { x, y in
            switch (x.score, y.score) {
            case let (s?, t?) where s != t: return s > t
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil) where regularised(x) != regularised(y): return regularised(x) > regularised(y)
            default: return data.items[x.item] < data.items[y.item]
            }
        }.map(\.item)
    }
}
