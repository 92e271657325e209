/// The one entry point: counts, groups, the ML fit of every strongly connected group, the
/// regularised fit of the others, intervals and per-rater figures (docs/pairwise.md).
public enum Pairwise {
    public static func fit(_ data: Comparisons, options: PairwiseOptions = PairwiseOptions()) -> PairwiseResult {
        let m = data.items.count
        var pairs = PairTable(data)
        if options.ties == .halfWin || options.model == .thurstone { pairs = pairs.halvingTies() }
        let groups = Groups(pairs, items: m)
        var wins = [Int](repeating: 0, count: m), losses = wins, ties = wins
        for k in 0..<data.count {
            let a = Int(data.a[k]), b = Int(data.b[k])
            switch data.outcome[k] {
            case .a: wins[a] += 1; losses[b] += 1
            case .b: wins[b] += 1; losses[a] += 1
            case .tie: ties[a] += 1; ties[b] += 1
            }
        }
        let decisive = wins.reduce(0, +) > 0
        let fitted = groups.strong.map { $0 && decisive }
        let (mlGroup, mlPairs) = mlPart(pairs, groups: groups, fitted: fitted)
        let ml: (theta: [Double], nu: Double?, iterations: Int, converged: Bool, se: (se: [Double?], approximate: [Bool]))
        switch options.model {
        case .bt:
            let f = BradleyTerry.fit(mlPairs, items: m, group: mlGroup, groups: groups.count, options: options)
            let info = BradleyTerry.information(mlPairs, theta: f.theta, nu: f.nu)
            let se = Intervals.standardErrors(pairs: mlPairs, weights: info.weights, items: m, group: mlGroup,
                                              groups: groups.count, fitted: fitted, limit: options.intervalLimit,
                                              c: f.nu == nil ? nil : info.c, nuInfo: info.nuInfo)
            ml = (f.theta, f.nu, f.iterations, f.converged, se)
        case .thurstone:
            let f = Thurstone.fit(mlPairs, items: m, group: mlGroup, groups: groups.count, options: options)
            let se = Intervals.standardErrors(pairs: mlPairs, weights: Thurstone.information(mlPairs, v: f.v),
                                              items: m, group: mlGroup, groups: groups.count, fitted: fitted,
                                              limit: options.intervalLimit)
            ml = (f.v, nil, f.iterations, f.converged, se)
        }
        let regularised = options.regularise ? regularisedFit(pairs, groups: groups, fitted: fitted, items: m, options: options) : nil
        var items = [ItemScore]()
        for i in 0..<m {
            let g = Int(groups.of[i])
            var item = ItemScore(item: i, group: g, wins: wins[i], losses: losses[i], ties: ties[i],
                                 fit: .undefined(reason: "never compared", regularised: nil))
            if g < 0 { items.append(item); continue }
            if fitted[g] {
                item.fit = .scored(score: ml.theta[i], standardError: ml.se.se[i])
                if ml.se.se[i] == nil {
                    item.note = "no interval: the information matrix of its group is singular"
                } else if ml.se.approximate[i] {
                    item.interval = .approximate
                    item.note = "approximate interval: its group has \(groups.size[g]) items, more than the \(options.intervalLimit) whose information matrix is inverted exactly (docs/pairwise.md, Intervals)"
                }
            } else {
                item.fit = .undefined(reason: reason(wins: wins[i], losses: losses[i], ties: ties[i],
                                                     groupSize: groups.size[g], decisive: decisive),
                                      regularised: regularised?[i])
            }
            items.append(item)
        }
        return PairwiseResult(model: options.model, ties: options.ties, items: items,
                              raters: RaterFigures.compute(data, items: items), nu: ml.nu,
                              iterations: ml.iterations, converged: ml.converged, groups: groups.count)
    }

    /// The items of the groups with an ML score (group index, -1 for the others) and their pairs.
    static func mlPart(_ pairs: PairTable, groups: Groups, fitted: [Bool]) -> (group: [Int32], pairs: PairTable) {
        let mlGroup = groups.of.map { $0 >= 0 && fitted[Int($0)] ? $0 : -1 }
        var mlPairs = PairTable()
        for k in 0..<pairs.count where mlGroup[Int(pairs.lo[k])] >= 0 {
            mlPairs.append(Int(pairs.lo[k]), Int(pairs.hi[k]), wLo: pairs.wLo[k], wHi: pairs.wHi[k], t: pairs.t[k])
        }
        return (mlGroup, mlPairs)
    }

    /// The ML scores alone, for pairs already folded with the options' tie handling: no
    /// intervals, regularised fit or rater figures — what a bootstrap replicate needs.
    /// `group` is each item's connected group when that group has an ML score, else -1.
    /// `parallel: false` when the caller already keeps the cores busy (the bootstrap's replicates).
    static func scores(_ pairs: PairTable, items m: Int, decisive: Bool, options: PairwiseOptions,
                       parallel: Bool = true) -> (theta: [Double], group: [Int32]) {
        let groups = Groups(pairs, items: m)
        let (mlGroup, mlPairs) = mlPart(pairs, groups: groups, fitted: groups.strong.map { $0 && decisive })
        switch options.model {
        case .bt: return (BradleyTerry.fit(mlPairs, items: m, group: mlGroup, groups: groups.count, options: options, parallel: parallel).theta, mlGroup)
        case .thurstone: return (Thurstone.fit(mlPairs, items: m, group: mlGroup, groups: groups.count, options: options, parallel: parallel).v, mlGroup)
        }
    }

    /// Why an item of a group that is not strongly connected has no ML score, in words a
    /// person can act on.
    static func reason(wins: Int, losses: Int, ties: Int, groupSize: Int, decisive: Bool) -> String {
        if !decisive { return "every comparison is a tie: no model can order the items" }
        if losses == 0 && ties == 0 { return "never loses (\(wins) wins): its maximum-likelihood score is +infinity; compare it with stronger items or use the regularised score" }
        if wins == 0 && ties == 0 { return "never wins (\(losses) losses): its maximum-likelihood score is -infinity; compare it with weaker items or use the regularised score" }
        return "its group of \(groupSize) items is not strongly connected (some of its items never lose to the others): no maximum-likelihood score; use the regularised score"
    }

    /// The regularised fit of the groups without an ML score: each item plays one virtual win
    /// and one virtual loss against a pivot held at score 0, then scores are centred per group.
    static func regularisedFit(_ pairs: PairTable, groups: Groups, fitted: [Bool], items m: Int,
                               options: PairwiseOptions) -> [Double]? {
        let group = groups.of.map { $0 >= 0 && !fitted[Int($0)] ? $0 : -1 }
        guard group.contains(where: { $0 >= 0 }) else { return nil }
        var sub = PairTable()
        for k in 0..<pairs.count where group[Int(pairs.lo[k])] >= 0 {
            sub.append(Int(pairs.lo[k]), Int(pairs.hi[k]), wLo: pairs.wLo[k], wHi: pairs.wHi[k], t: pairs.t[k])
        }
        for i in 0..<m where group[i] >= 0 { sub.append(i, m, wLo: 1, wHi: 1, t: 0) }
        let withPivot = group + [Int32(groups.count)]
        var theta: [Double]
        switch options.model {
        case .bt:
            theta = BradleyTerry.fit(sub, items: m + 1, group: withPivot, groups: groups.count + 1,
                                     anchor: m, options: options).theta
        case .thurstone:
            theta = Thurstone.fit(sub, items: m + 1, group: withPivot.map { $0 >= 0 ? 0 : -1 }, groups: 1, options: options).v
        }
        theta.removeLast()
        BradleyTerry.centre(&theta, group: group, groups: groups.count)
        return theta
    }
}
