import Printable

/// One question of a rubric, with the values its answers may take.
public struct Criterion: Sendable, Equatable {
    /// A slug, unique within the rubric: what labels and exports name.
    public let id: String
    public let question: String
    public let scale: Scale
    /// For nominal and ordinal criteria (ordinal: low to high); empty otherwise.
    public let options: [Option]
    /// For interval and ratio criteria; nil otherwise.
    public let range: ClosedRange<Double>?
    /// For interval and ratio criteria when answers must fall on `range.lowerBound + k × step`.
    public let step: Double?
    /// Whether a shown criterion must be answered. Defaults to true, false for text.
    public let required: Bool
    /// Earlier criterion id → the stored values that show this criterion. All must hold.
    /// Empty: always shown. Values are canonical: in option order, numbers in canonical form.
    public let when: [String: [String]]
    public let help: String?
    /// The displays an answer to this criterion may be given on; empty: any. Held in
    /// `Display`'s order whatever order the file lists them in, so listing them differently
    /// is the same rubric version.
    public let display: [Display]
    /// Set for a pairwise criterion (`type: pairwise`): its answers compare the two clips of
    /// a pair, its `options` are `preference.values` and its scale is nominal (ordinal with
    /// a strength scale). nil for a criterion about one clip.
    public internal(set) var preference: Preference? = nil

    /// Whether the criterion compares two clips (`type: pairwise`).
    public var isPairwise: Bool { preference != nil }

    /// Whether an answer given on `display` meets the criterion's `display:` requirement.
    public func allows(_ display: Display) -> Bool { self.display.isEmpty || self.display.contains(display) }

    /// nil when `value` is acceptable for this criterion, else a message saying what is
    /// expected, e.g. "expected one of none, mild, severe; found 'moderate'" or
    /// "expected a number from 0 to 10; found '12'".
    ///
    /// Checks the form of one stored value only; whether an answer is required is the
    /// caller's question (`required`, `Rubric.unanswered`).
    public func problem(with value: String) -> String? {
        switch scale {
        case .nominal, .ordinal:
            if options.contains(where: { $0.value == value }) { return nil }
            return "expected one of \(options.map { printableText($0.value) }.joined(separator: ", ")); found \(quoted(value))"
        case .interval, .ratio:
            guard let range else { return nil }
            if let number = NumberText.parse(value), range.contains(number), isOnStep(number) { return nil }
            var expected = "expected a number from \(NumberText.format(range.lowerBound)) to \(NumberText.format(range.upperBound))"
            if let step { expected += " in steps of \(NumberText.format(step))" }
            return "\(expected); found \(quoted(value))"
        case .text:
            return nil
        }
    }

    public var isPartOfAgreement: Bool { scale != .text }

    /// The stored spelling of an answer: numbers in canonical form ("1.50" → "1.5",
    /// "07" → "7"), so equal numbers are equal answers; anything else unchanged.
    public func canonicalAnswer(_ text: String) -> String {
        guard scale.isNumeric, let number = NumberText.parse(text) else { return text }
        return NumberText.format(number)
    }

    /// The option a rater selects by pressing `key`, if any.
    public func option(forKey key: Character) -> Option? {
        options.first { $0.key == key }
    }

    /// Whether a stored answer is one of the values a `when` names. Numbers compare as
    /// numbers, so "5" matches "5.0".
    func answer(_ answer: String, matchesAnyOf values: [String]) -> Bool {
        switch scale {
        case .interval, .ratio:
            guard let number = NumberText.parse(answer) else { return false }
            return values.contains { NumberText.parse($0) == number }
        case .nominal, .ordinal, .text:
            return values.contains(answer)
        }
    }

    /// Whether `number` is `min + k × step` for a whole k, allowing for binary rounding
    /// (0.1 × 3 is not exactly 0.3).
    private func isOnStep(_ number: Double) -> Bool {
        guard let step, let range else { return true }
        let k = (number - range.lowerBound) / step
        return abs(k - k.rounded()) <= 1e-9 * max(1, abs(k))
    }
}

/// The level of measurement of a criterion; the raw values are the YAML spellings and match
/// the names of Krippendorff's alpha variants.
public enum Scale: String, Sendable, CaseIterable {
    case nominal, ordinal, interval, ratio, text

    /// Nominal and ordinal criteria are answered by picking an option.
    public var hasOptions: Bool { self == .nominal || self == .ordinal }
    /// Interval and ratio criteria are answered with a number in a range.
    public var isNumeric: Bool { self == .interval || self == .ratio }
}

/// What a rater watches a clip on, as a rubric's `display:` names it and as each submission
/// records it (docs/rubrics.md, "Display"): a terminal picture mode, or an external player.
/// Ordered from most to least faithful: 24-bit kitty graphics, a 256-colour sixel palette,
/// half-blocks (two pixels per cell), ASCII, then `player` (a video player outside the
/// terminal, which shows the clip at full fidelity).
public enum Display: String, Sendable, CaseIterable, Comparable {
    case kitty, sixel, blocks, ascii, player

    public static func < (a: Display, b: Display) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One answer a rater can pick for a nominal or ordinal criterion.
public struct Option: Sendable, Equatable {
    /// What is stored and what agreement compares.
    public let value: String
    /// What the rater sees; defaults to `value`.
    public let label: String
    /// The single keystroke that picks this option; defaults to 1…9, 0 by position.
    public let key: Character
    public let description: String?

    /// Public so callers and tests can compare with literal options; an `Option` only takes
    /// effect inside a validated `Rubric`.
    public init(value: String, label: String, key: Character, description: String?) {
        self.value = value
        self.label = label
        self.key = key
        self.description = description
    }
}
