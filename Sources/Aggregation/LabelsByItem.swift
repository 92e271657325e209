import Dispatch

/// The labels grouped by item, as MACE's and GLAD's E steps read them: each item's labels
/// are contiguous (compressed rows), each carrying `code = rater · K + given`, the entry of
/// the per-rater tables it reads.
///
/// Like crowd-kit, both methods see only the options that occur: K here counts them and
/// `options[k]` maps compact option k back to `LabelData`'s. An option nobody gave gets
/// posterior 0 (docs/aggregation.md, "Undefined cases").
///
/// Sweeps run over fixed blocks of items decided by the sizes alone, and per-rater sums are
/// added block by block in block order, so a result never depends on the number of cores.
struct LabelsByItem {
    /// Options that occur, ascending: compact option k is `LabelData` option `options[k]`.
    let options: [Int]
    let k: Int
    let items: Int
    let raters: Int
    let labels: Int
    /// Labels of item i are `code[itemStart[i] ..< itemStart[i + 1]]`; `rater` and `given`
    /// hold the same labels' two halves, so the sweeps divide by K nowhere.
    let itemStart: [Int]
    let code: [Int32]
    let rater: [Int32]
    let given: [Int32]
    /// Labels each rater gave, and per code (rater, option) how many.
    let raterCount: [Int]
    let codeCount: [Int]
    let blocks: [Range<Int>]
    /// Whether big sweeps may use threads (tests turn it off to show the result is the same).
    let threads: Bool

    init(_ data: LabelData, threads: Bool = true) {
        self.threads = threads
        let n = data.labelCount
        var used = [Bool](repeating: false, count: data.classCount)
        for l in 0..<n { used[Int(data.label[l])] = true }
        options = used.indices.filter { used[$0] }
        k = options.count
        var compact = [Int32](repeating: -1, count: data.classCount)
        for (c, o) in options.enumerated() { compact[o] = Int32(c) }
        items = data.itemCount; raters = data.raterCount; labels = n

        var start = [Int](repeating: 0, count: items + 1)
        for l in 0..<n { start[Int(data.item[l]) + 1] += 1 }
        for i in 0..<items { start[i + 1] += start[i] }
        var code = [Int32](repeating: 0, count: n)
        var rater = [Int32](repeating: 0, count: n), given = [Int32](repeating: 0, count: n)
        var next = start
        var raterCount = [Int](repeating: 0, count: raters)
        var codeCount = [Int](repeating: 0, count: raters * k)
        let k32 = Int32(k)
        for l in 0..<n {
            let i = Int(data.item[l]), g = compact[Int(data.label[l])], c = data.rater[l] * k32 + g
            code[next[i]] = c
            rater[next[i]] = data.rater[l]
            given[next[i]] = g
            next[i] += 1
            raterCount[Int(data.rater[l])] += 1
            codeCount[Int(c)] += 1
        }
        itemStart = start; self.code = code; self.rater = rater; self.given = given; self.raterCount = raterCount; self.codeCount = codeCount
        let size = max(1, (items + 15) / 16), count = items
        blocks = stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    /// Runs `body` on every block index, on several threads when there are enough labels to
    /// be worth it. `body` must write only what belongs to its block.
    func forEachBlock(_ body: (Int) -> Void) {
        if threads && labels >= 1 << 15 && blocks.count > 1 {
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let work = body
                DispatchQueue.concurrentPerform(iterations: blocks.count) { work($0) }
            }
        } else {
            for b in blocks.indices { body(b) }
        }
    }

    /// Expands compact posteriors (K per item) to `LabelData`'s option list, 0 for options
    /// nobody gave, and names the top option or the tie.
    func consensus(_ posterior: [Double], classCount: Int) -> [ItemConsensus] {
        (0..<items).map { i in
            var full = [Double](repeating: 0, count: classCount)
            for c in 0..<k { full[options[c]] = posterior[i * k + c] }
            let top = full.max() ?? 0
            let winners = full.indices.filter { full[$0] == top }
            return ItemConsensus(item: i, label: winners.count == 1 ? winners[0] : nil,
                                 tiedLabels: winners.count == 1 ? [] : winners, posterior: full,
                                 n: itemStart[i + 1] - itemStart[i])
        }
    }
}
