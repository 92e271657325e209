import Dispatch

/// What every EM method here shares: the options that occur, the consensus rule, and the
/// fixed blocks the sweeps run on. Written once so Dawid–Skene, MACE and GLAD cannot drift
/// apart on them.

/// The options that occur in the data, ascending. Like crowd-kit, the EM methods see only
/// these: K counts them, compact option c is `LabelData` option `options[c]`, and
/// `compact[o]` maps back (-1 for an option nobody gave; it gets posterior 0).
struct OptionsInUse {
    let options: [Int]
    let compact: [Int32]
    var k: Int { options.count }

    init(_ data: LabelData) {
        var used = [Bool](repeating: false, count: data.classCount)
        for l in 0..<data.labelCount { used[Int(data.label[l])] = true }
        options = used.indices.filter { used[$0] }
        var compact = [Int32](repeating: -1, count: data.classCount)
        for (c, o) in options.enumerated() { compact[o] = Int32(c) }
        self.compact = compact
    }
}

/// About 16 consecutive ranges covering 0..<count, decided by the size alone: enough for any
/// core count here to share the work, few enough that adding partial sums costs nothing, and
/// the same blocks (so the same sums in the same order) on any number of cores.
enum FixedBlocks {
    static func of(_ count: Int) -> [Range<Int>] {
        let size = max(1, (count + 15) / 16)
        return stride(from: 0, to: count, by: size).map { $0..<min(count, $0 + size) }
    }

    /// Runs `body` on every block index, on several threads when `parallel`. `body` must
    /// write only what belongs to its block (the caller's contract).
    static func run(_ blocks: [Range<Int>], parallel: Bool, _ body: (Int) -> Void) {
        if parallel && blocks.count > 1 {
            withoutActuallyEscaping(body) { body in
                nonisolated(unsafe) let work = body
                DispatchQueue.concurrentPerform(iterations: blocks.count) { work($0) }
            }
        } else {
            for b in blocks.indices { body(b) }
        }
    }
}

extension ItemConsensus {
    /// The one consensus rule: the option with the top posterior, or a tie when several
    /// share it exactly (every method reports ties the same way).
    init(item: Int, posterior: [Double], n: Int) {
        let top = posterior.max() ?? 0
        let winners = posterior.indices.filter { posterior[$0] == top }
        self.init(item: item, label: winners.count == 1 ? winners[0] : nil,
                  tiedLabels: winners.count == 1 ? [] : winners, posterior: posterior, n: n)
    }
}
