/// One statistic from the sufficient statistics: the single dispatch from a metric name to
/// its formula, shared by the live accumulator and the bootstrap (which builds the same
/// tallies from resampled units), so both read the same numbers the same way.
func evaluate(_ metric: Metric, coincidences: () -> Coincidences, pairTable: () -> PairTable,
              categories: CategorySet, raterCount: Int) -> Outcome {
    switch metric {
    case .cohenKappa, .scottsPi, .weightedKappaLinear, .weightedKappaQuadratic:
        guard raterCount == 2 else { return .undefined(reason: Reason.twoRatersNeeded(raterCount)) }
        let table = pairTable()
        switch metric {
        case .cohenKappa: return table.cohenKappa()
        case .scottsPi: return table.scottsPi()
        default:
            guard categories.isOrdered else { return .undefined(reason: Reason.noOrder) }
            return table.weightedKappa(metric == .weightedKappaLinear ? .linear : .quadratic)
        }
    case .krippendorffAlphaNominal, .krippendorffAlphaOrdinal,
         .krippendorffAlphaInterval, .krippendorffAlphaRatio:
        return coincidences().krippendorffAlpha(metric.alphaLevel!, categories: categories)
    case .fleissKappa:
        return coincidences().fleissKappa()
    case .percentAgreement:
        return coincidences().percentAgreement()
    case .gwetAC1:
        let co = coincidences()
        return co.gwetAC1(q: categories.isExplicit ? categories.count : co.observedCategories)
    }
}
