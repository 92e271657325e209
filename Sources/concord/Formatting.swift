/// Small, dependency-free text helpers of the commands (numbers, counts and tables are
/// Reports' `fixed`, `plural`, `percentText` and `table`; CSV and JSON are Interchange's
/// and JSONWriter's).

extension String {
    /// Replaces every occurrence of `target` (Foundation-free), matching Unicode scalars,
    /// not Characters: a `"` followed by a combining mark is one Character that is not `"`,
    /// and escaping for HTML or CSV must still catch the quote in it.
    func replacingAll(_ target: String, with replacement: String) -> String {
        let t = Array(target.unicodeScalars)
        guard !t.isEmpty else { return self }
        let s = Array(unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < s.count {
            if s[i] == t[0], i + t.count <= s.count, s[i..<(i + t.count)].elementsEqual(t) {
                out.append(contentsOf: replacement.unicodeScalars)
                i += t.count
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return String(out)
    }
}
