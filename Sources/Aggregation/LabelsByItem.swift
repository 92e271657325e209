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
        let inUse = OptionsInUse(data), compact = inUse.compact
        options = inUse.options
        k = inUse.k
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
        blocks = FixedBlocks.of(items)
    }

    /// Runs `body` on every block index, on several threads when there are enough labels to
    /// be worth it. `body` must write only what belongs to its block.
    func forEachBlock(_ body: (Int) -> Void) {
        FixedBlocks.run(blocks, parallel: threads && labels >= 1 << 15, body)
    }

    /// Expands compact posteriors (K per item) to `LabelData`'s option list, 0 for options
    /// nobody gave, and names the top option or the tie.
    func consensus(_ posterior: [Double], classCount: Int) -> [ItemConsensus] {
        (0..<items).map { i in
            var full = [Double](repeating: 0, count: classCount)
            for c in 0..<k { full[options[c]] = posterior[i * k + c] }
            return ItemConsensus(item: i, posterior: full, n: itemStart[i + 1] - itemStart[i])
        }
    }
}
