import Interchange
import struct Rubric.Rubric

// MARK: - Simulated raters

/// A simulated rater: the truth of each clip, bent by a few habits of their own, so that
/// agreement is real but not perfect. Their choices are seeded by their name, so the demo
/// is the same on every machine and every run.
///
/// The habits never turn a "yes" into something else or the reverse: the criteria that
/// apply only when `present` is yes (severity, ego-response, ttc) are then given exactly on
/// the clips whose truth is yes, which the tests count from assets/demo/README.md.
struct SimulatedRater: Sendable {
    let name: String
    /// Severity this many options higher (or lower) on about half of the cut-ins.
    let severityShift: Int
    /// Ego-response this many options higher (or lower) on about a third of the cut-ins.
    let egoResponseShift: Int
    /// TTC estimates off by up to this many seconds, in the rubric's 0.1 s steps.
    let ttcSpread: Double
    /// Answers "unclear" on one clip whose truth is "no".
    let unclearOnce: Bool
    /// The answer on a clip whose truth is "unclear": "unclear", or a guess ("no").
    let whenUnclear: String

    struct Answer: Equatable { let clip: String; let criterion: String; let value: String }

    /// Every answer of this rater, clip by clip in table order; a note goes with each
    /// "unclear", as the rubric asks.
    func answers(_ clips: [DemoClip], rubric: Rubric) throws -> [Answer] {
        var random = SeededRandom(seed: name)
        let severities = try Self.options("severity", in: rubric)
        let responses = try Self.options("ego-response", in: rubric)
        let cutIns = clips.indices.filter { clips[$0].present == "yes" }
        let noes = clips.indices.filter { clips[$0].present == "no" }
        let moreSevere = Set(random.pick(max(1, (cutIns.count + 1) / 2), of: cutIns))
        let otherResponse = Set(random.pick(max(1, cutIns.count / 3), of: cutIns))
        let doubtful = random.pick(unclearOnce ? 1 : 0, of: noes).first
        var answers: [Answer] = []
        for (i, clip) in clips.enumerated() {
            let noise = (random.unit() * 2 - 1) * ttcSpread   // drawn for every clip: stable choices
            var present = clip.present == "unclear" ? whenUnclear : clip.present
            if i == doubtful { present = "unclear" }
            answers.append(Answer(clip: clip.file, criterion: "present", value: present))
            if present == "yes", let truth = clip.cutIn {
                let severity = Self.shift(truth.severity, by: moreSevere.contains(i) ? severityShift : 0, in: severities)
                let response = Self.shift(truth.egoResponse, by: otherResponse.contains(i) ? egoResponseShift : 0, in: responses)
                let tenths = min(100, max(0, Int(((truth.ttc + noise) * 10).rounded())))
                answers.append(Answer(clip: clip.file, criterion: "severity", value: severity))
                answers.append(Answer(clip: clip.file, criterion: "ego-response", value: response))
                answers.append(Answer(clip: clip.file, criterion: "ttc", value: "\(tenths / 10).\(tenths % 10)"))
            }
            if present == "unclear" {
                answers.append(Answer(clip: clip.file, criterion: "notes", value: clip.doubt))
            }
        }
        return answers
    }

    /// Every simulated rater's answers as a labels CSV (clip,rater,criterion,value).
    static func labelsCSV(_ clips: [DemoClip], raters: [SimulatedRater], rubric: Rubric) throws -> String {
        var csv = "clip,rater,criterion,value\n"
        for rater in raters {
            for answer in try rater.answers(clips, rubric: rubric) {
                csv += [answer.clip, rater.name, answer.criterion, answer.value].map(CSVField.escape).joined(separator: ",") + "\n"
            }
        }
        return csv
    }

    /// The option values of `criterion`, low to high.
    static func options(_ criterion: String, in rubric: Rubric) throws -> [String] {
        guard let options = rubric.criterion(criterion)?.options.map(\.value), !options.isEmpty else {
            throw InputError("the rubric '\(rubric.name)' has no options for '\(criterion)'; the demo needs \(DemoAssets.rubricFile)")
        }
        return options
    }

    /// `value` moved `steps` options along `options`, stopping at either end.
    static func shift(_ value: String, by steps: Int, in options: [String]) -> String {
        guard let i = options.firstIndex(of: value) else { return value }
        return options[min(options.count - 1, max(0, i + steps))]
    }
}

/// SplitMix64 seeded with the FNV-1a hash of a string: the same numbers on every platform
/// and Swift version (the standard library's generators and `hashValue` promise neither).
struct SeededRandom {
    private var state: UInt64

    init(seed: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in seed.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        state = hash
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// `count` distinct elements of `items` (all of them if fewer), by a seeded shuffle.
    mutating func pick(_ count: Int, of items: [Int]) -> [Int] {
        var items = items
        if items.count > 1 {
            for i in stride(from: items.count - 1, to: 0, by: -1) {
                items.swapAt(i, Int(next() % UInt64(i + 1)))
            }
        }
        return Array(items.prefix(count))
    }
}
