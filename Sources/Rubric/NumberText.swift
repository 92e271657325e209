import JSONWriter

/// Numbers as rubric files and stored answers spell them.
///
/// Only plain decimal notation is accepted: YAML 1.1 and Swift also read hex, octal,
/// sexagesimal ("1:30") and ".inf", none of which a rater or lead means in a range or an
/// answer, and all of which would make "the same number" ambiguous in the content hash.
enum NumberText {
    /// The finite number `text` spells in decimal notation (`-1`, `0.5`, `.5`, `2e3`), or nil.
    static func parse(_ text: String) -> Double? {
        guard isDecimal(text), let number = Double(text), number.isFinite else { return nil }
        return number
    }

    /// The one spelling of `number` used in canonical JSON and messages: whole numbers
    /// without a fraction ("10", not "10.0"), others as Swift's shortest round-tripping
    /// form ("0.1", "1e-07"). Both are valid JSON numbers.
    static func format(_ number: Double) -> String {
        precondition(number.isFinite, "rubric numbers are validated finite")
        return JSON.canonicalNumber(number)
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`, ASCII only.
    private static func isDecimal(_ text: String) -> Bool {
        var rest = Array(text.utf8)[...]
        func take(_ allowed: (UInt8) -> Bool) -> Int {
            let count = rest.prefix(while: allowed).count
            rest = rest.dropFirst(count)
            return count
        }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        func isSign(_ byte: UInt8) -> Bool { byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") }
        if let sign = rest.first, isSign(sign) { rest = rest.dropFirst() }
        let integerDigits = take(isDigit)
        var fractionDigits = 0
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            fractionDigits = take(isDigit)
        }
        guard integerDigits + fractionDigits > 0 else { return false }
        if let e = rest.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if let sign = rest.first, isSign(sign) { rest = rest.dropFirst() }
            guard take(isDigit) > 0 else { return false }
        }
        return rest.isEmpty
    }
}
