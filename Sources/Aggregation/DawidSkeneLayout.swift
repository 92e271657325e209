import Dispatch

/// The labels as Dawid–Skene's EM sweeps them, laid out once before the first iteration.
///
/// Every iteration is two sweeps over all labels: by item (the E step and the objective sum
/// each item's log-confusion rows) and by rater (the M step sums each rater's posteriors).
/// So the labels are sorted both ways into flat arrays (compressed rows, no dictionaries),
/// each label carrying `code = rater · K + given`, the row of the log-confusion table it reads.
///
/// Options nobody gave are dropped (crowd-kit never sees them: it takes the options from the
/// data), so K here is the number of options that occur and `options[k]` maps back. Items
/// and raters without labels keep their index and have empty rows.
struct DawidSkeneLayout {
    /// Options that occur, ascending: compact option k is `LabelData` option `options[k]`.
    let options: [Int]
    /// The number of options that occur.
    let k: Int
    let items: Int
    let raters: Int
    let labels: Int
    /// Labels of item i are `byItemCode[itemStart[i] ..< itemStart[i + 1]]`, in label order.
    let itemStart: [Int]
    let byItemCode: [Int32]
    /// The compact option of each label in item order (the majority-vote start counts them).
    let byItemGiven: [Int32]
    /// Labels of rater r are `byRaterItem[raterStart[r] ..< raterStart[r + 1]]`, in label order
    /// (filled only when the M step sweeps by rater, `!mStepByItem`).
    let raterStart: [Int]
    let byRaterItem: [Int32]
    let byRaterGiven: [Int32]
    /// Items with at least one label (crowd-kit's tasks: the priors are their mean).
    let labelledItems: Int
    /// Fixed ranges of items and of raters, decided by the sizes alone, so the work done in
    /// each and the order partial results are added never depend on the core count.
    let itemBlocks: [Range<Int>]
    let raterBlocks: [Range<Int>]
    /// Whether the M step sweeps by item into a partial table per item block (raters × K × K
    /// sums each): items and their posteriors are read in order and the small tables stay in
    /// cache, where a sweep by rater reads posteriors at random and took most of an
    /// iteration on a million labels. With very many raters the tables would take too much
    /// memory, and the M step sweeps by rater instead. Decided by the sizes alone.
    let mStepByItem: Bool

    /// `mStepByItem` overrides the choice (tests compare the two sweeps); `serial` keeps every
    /// sweep on the calling thread (tests compare with threads).
    init(_ data: LabelData, mStepByItem forced: Bool? = nil, serial: Bool = false) {
        let n = data.labelCount, items = data.itemCount, raters = data.raterCount
        let inUse = OptionsInUse(data), compact = inUse.compact
        options = inUse.options
        k = inUse.k
        self.items = items; self.raters = raters; self.labels = n

        var itemStart = [Int](repeating: 0, count: items + 1)
        var raterStart = [Int](repeating: 0, count: raters + 1)
        for l in 0..<n {
            itemStart[Int(data.item[l]) + 1] += 1
            raterStart[Int(data.rater[l]) + 1] += 1
        }
        for i in 0..<items { itemStart[i + 1] += itemStart[i] }
        for r in 0..<raters { raterStart[r + 1] += raterStart[r] }
        var byItemCode = [Int32](repeating: 0, count: n), byItemGiven = [Int32](repeating: 0, count: n)
        itemBlocks = FixedBlocks.of(items)
        raterBlocks = FixedBlocks.of(raters)
        mStepByItem = forced ?? (raters * options.count * options.count * itemBlocks.count <= 1 << 22)
        let byRater = mStepByItem ? 0 : n
        var byRaterItem = [Int32](repeating: 0, count: byRater), byRaterGiven = [Int32](repeating: 0, count: byRater)
        var nextOfItem = itemStart, nextOfRater = raterStart
        let k32 = Int32(k)
        for l in 0..<n {
            let i = Int(data.item[l]), r = Int(data.rater[l]), g = compact[Int(data.label[l])]
            let a = nextOfItem[i]
            byItemCode[a] = data.rater[l] * k32 + g
            byItemGiven[a] = g
            nextOfItem[i] = a + 1
            if byRater > 0 {
                let b = nextOfRater[r]
                byRaterItem[b] = data.item[l]
                byRaterGiven[b] = g
                nextOfRater[r] = b + 1
            }
        }
        self.itemStart = itemStart; self.byItemCode = byItemCode; self.byItemGiven = byItemGiven
        self.raterStart = raterStart; self.byRaterItem = byRaterItem; self.byRaterGiven = byRaterGiven
        parallel = !serial && n >= 1 << 15
        labelledItems = (0..<items).reduce(0) { $0 + (itemStart[$1 + 1] > itemStart[$1] ? 1 : 0) }
    }

    /// Whether sweeps run on several threads: from 32,768 labels on (below, they are over
    /// before threads start), unless `serial`. The blocks are the same either way.
    let parallel: Bool

    /// Runs `body` on every block index of `blocks`, on several threads when `parallel`.
    /// `body` must write only what belongs to its block (the caller's contract).
    func forEach(_ blocks: [Range<Int>], _ body: (Int) -> Void) {
        FixedBlocks.run(blocks, parallel: parallel, body)
    }
}
