// agreement-bench: in-process timings of the Agreement library for `make bench`
// (bench/run.py). Prints one JSON object per run. Not a test: it asserts nothing.
//
//   agreement-bench inmemory FILE.csv [--repeat N]      nominal alpha from an in-memory matrix
//   agreement-bench incremental FILE.csv [--updates N]  one rating replaced, per update
//   agreement-bench bootstrap FILE.csv [--resamples B] [--seed S]
import Agreement
import Dispatch
import Foundation

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func percentile(_ xs: [Double], _ p: Double) -> Double { Bootstrap.percentile(xs.sorted(), p) }

/// The file as a raters × units matrix of category codes (−1 missing): the shape
/// `krippendorff.alpha(reliability_data=...)` takes. Loading is not timed.
struct Matrix {
    var raters: [String] = []
    var units: [String] = []
    var labels: [String] = []
    var cells: [[Int32]] = []   // [rater][unit]

    init(csv path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var unitIndex: [Substring: Int] = [:], raterIndex: [Substring: Int] = [:], labelIndex: [Substring: Int32] = [:]
        var triples: [(Int, Int, Int32)] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let u = unitIndex[f[0]] ?? { unitIndex[f[0]] = units.count; units.append(String(f[0])); return units.count - 1 }()
            let r = raterIndex[f[1]] ?? { raterIndex[f[1]] = raters.count; raters.append(String(f[1])); return raters.count - 1 }()
            guard !f[2].isEmpty else { continue }
            let c = labelIndex[f[2]] ?? { labelIndex[f[2]] = Int32(labels.count); labels.append(String(f[2])); return Int32(labels.count - 1) }()
            triples.append((u, r, c))
        }
        cells = Array(repeating: Array(repeating: -1, count: units.count), count: raters.count)
        for (u, r, c) in triples { cells[r][u] = c }
    }

    /// Reliability data from the matrix (the part of "computing alpha from a matrix" that
    /// krippendorff.alpha also does: finding the values of each unit).
    func data() -> ReliabilityData {
        let (categories, map) = CategorySet.observed(labels)
        let mapped = cells.map { row in row.map { $0 < 0 ? -1 : map[Int($0)] } }
        return ReliabilityData(matrix: mapped, unitNames: units, raterNames: raters, categories: categories)
    }
}

func option(_ name: String, _ args: [String], default value: Int) -> Int {
    guard let i = args.firstIndex(of: name), i + 1 < args.count, let v = Int(args[i + 1]) else { return value }
    return v
}

let args = Array(CommandLine.arguments.dropFirst())
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: agreement-bench inmemory|incremental|bootstrap FILE.csv [options]\n".utf8))
    exit(2)
}
let matrix = try Matrix(csv: args[1])

switch args[0] {
case "inmemory":
    // Category codes as they come from the file, in first-seen order: nominal alpha does not
    // depend on the order, and krippendorff.alpha is given the same codes.
    let categories = CategorySet(ordered: matrix.labels)
    var times: [Double] = []
    var alpha = 0.0
    for _ in 0..<option("--repeat", args, default: 7) {
        let t0 = now()
        let data = ReliabilityData(matrix: matrix.cells, unitNames: matrix.units, raterNames: matrix.raters,
                                   categories: categories)
        alpha = AgreementSummary(data, metrics: [.krippendorffAlphaNominal]).outcomes[.krippendorffAlphaNominal]!.value ?? .nan
        times.append(Double(now() - t0) / 1e6)
    }
    print("{\"median_ms\": \(median(times)), \"min_ms\": \(times.min()!), \"alpha\": \(alpha)}")

case "incremental":
    let data = matrix.data()
    var accumulator = AgreementAccumulator(data)
    var rng = Xoshiro256StarStar(seed: 2026)
    let n = option("--updates", args, default: 100_000)
    var update: [Double] = [], updateAndRead: [Double] = []
    update.reserveCapacity(n)
    var sink = 0.0
    for i in 0..<n {
        let u = rng.index(below: data.unitCount), r = rng.index(below: data.raterCount)
        let c = rng.index(below: data.categories.count)
        let t0 = now()
        accumulator.set(unit: u, rater: r, category: c)
        let t1 = now()
        if i % 2 == 0 {
            sink += accumulator.outcome(.krippendorffAlphaNominal).value ?? 0
            updateAndRead.append(Double(now() - t0))
        }
        update.append(Double(t1 - t0))
    }
    print("{\"ratings\": \(accumulator.ratingCount), \"median_ns\": \(median(update)), \"p99_ns\": \(percentile(update, 0.99)), \"update_and_read_alpha_median_ns\": \(median(updateAndRead)), \"sink\": \(sink.isFinite ? 1 : 0)}")

case "bootstrap":
    let data = matrix.data()
    let resamples = option("--resamples", args, default: 1000)
    let seed = UInt64(option("--seed", args, default: 1))
    let t0 = now()
    let intervals = Bootstrap.intervals(data, metrics: Metric.allCases, resamples: resamples, seed: seed, confidence: 0.95)
    let seconds = Double(now() - t0) / 1e9
    let ci = try? intervals[.krippendorffAlphaNominal]!.get()
    print("{\"seconds\": \(seconds), \"units\": \(data.unitCount), \"resamples\": \(resamples), \"alpha_nominal_ci\": [\(ci?.lower ?? -9), \(ci?.upper ?? -9)]}")

default:
    FileHandle.standardError.write(Data("agreement-bench: unknown mode \(args[0])\n".utf8))
    exit(2)
}
