/// Comparisons folded into one row per compared pair (lo < hi), the form every fit reads:
/// its size is the number of distinct pairs, not of comparisons, so a fit iteration over a
/// million comparisons among 10,000 items touches each pair once.
struct PairTable {
    var lo: [Int32] = [], hi: [Int32] = []
    /// Wins of lo over hi, of hi over lo, and ties (Doubles: half-win ties and virtual games).
    var wLo: [Double] = [], wHi: [Double] = [], t: [Double] = []
    var count: Int { lo.count }

    init() {}

    init(_ data: Comparisons) { self = Self.folding(data).table }

    /// The table and, per comparison, its row: what a bootstrap replicate reweights.
    static func folding(_ data: Comparisons) -> (table: PairTable, rowPair: [Int32]) {
        var table = PairTable(), rowPair = [Int32](repeating: 0, count: data.count)
        table.fold(data, rowPair: &rowPair)
        return (table, rowPair)
    }

    private mutating func fold(_ data: Comparisons, rowPair: inout [Int32]) {
        var index: [Int: Int] = [:]
        index.reserveCapacity(min(data.count, 1 << 22))
        let m = data.items.count
        for k in 0..<data.count {
            let x = Int(data.a[k]), y = Int(data.b[k])
            let (l, h) = x < y ? (x, y) : (y, x)
            let key = l * m + h
            let row: Int
            if let r = index[key] { row = r } else {
                row = lo.count; index[key] = row
                lo.append(Int32(l)); hi.append(Int32(h)); wLo.append(0); wHi.append(0); t.append(0)
            }
            rowPair[k] = Int32(row)
            switch data.outcome[k] {
            case .tie: t[row] += 1
            case .a: if x == l { wLo[row] += 1 } else { wHi[row] += 1 }
            case .b: if y == l { wLo[row] += 1 } else { wHi[row] += 1 }
            }
        }
    }

    mutating func append(_ l: Int, _ h: Int, wLo a: Double, wHi b: Double, t c: Double) {
        lo.append(Int32(l)); hi.append(Int32(h)); wLo.append(a); wHi.append(b); t.append(c)
    }

    /// Ties folded into half a win each (sureal's convention, and Thurstone's here).
    func halvingTies() -> PairTable {
        var out = self
        for k in 0..<count { out.wLo[k] += t[k] / 2; out.wHi[k] += t[k] / 2; out.t[k] = 0 }
        return out
    }
}

/// Connected groups (any comparison links two items) and whether each is strongly connected
/// in the "beats or ties" graph — the condition (Zermelo, Ford) for a finite ML score.
struct Groups {
    /// Group of each item; -1 for an item never compared.
    var of: [Int32]
    var count: Int
    var size: [Int]
    var strong: [Bool]

    init(_ pairs: PairTable, items m: Int) {
        var parent = Array(0..<m)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var seen = [Bool](repeating: false, count: m)
        for k in 0..<pairs.count {
            let a = Int(pairs.lo[k]), b = Int(pairs.hi[k])
            seen[a] = true; seen[b] = true
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        of = [Int32](repeating: -1, count: m)
        var rootGroup = [Int: Int32]()
        count = 0; size = []
        for i in 0..<m where seen[i] {
            let r = find(i)
            if let g = rootGroup[r] { of[i] = g; size[Int(g)] += 1 } else {
                rootGroup[r] = Int32(count); of[i] = Int32(count); size.append(1); count += 1
            }
        }
        // Forward ("i beats or ties j": i → j) and backward reachability from one root per group.
        var fwd = [[Int32]](repeating: [], count: m), bwd = [[Int32]](repeating: [], count: m)
        for k in 0..<pairs.count {
            let l = pairs.lo[k], h = pairs.hi[k]
            if pairs.wLo[k] > 0 || pairs.t[k] > 0 { fwd[Int(l)].append(h); bwd[Int(h)].append(l) }
            if pairs.wHi[k] > 0 || pairs.t[k] > 0 { fwd[Int(h)].append(l); bwd[Int(l)].append(h) }
        }
        let of = self.of, count = self.count
        func reached(_ adj: [[Int32]], from roots: [Int]) -> [Int] {
            var mark = [Bool](repeating: false, count: m), stack = roots, hits = [Int](repeating: 0, count: count)
            for r in roots { mark[r] = true }
            while let x = stack.popLast() {
                hits[Int(of[x])] += 1
                for y in adj[x] where !mark[Int(y)] { mark[Int(y)] = true; stack.append(Int(y)) }
            }
            return hits
        }
        var roots = [Int](repeating: -1, count: count)
        for i in 0..<m where of[i] >= 0 && roots[Int(of[i])] < 0 { roots[Int(of[i])] = i }
        let f = reached(fwd, from: roots), b = reached(bwd, from: roots)
        let size = self.size
        strong = (0..<count).map { f[$0] == size[$0] && b[$0] == size[$0] }
    }
}
