/// CSV output: one field, quoted as RFC 4180 and `CSVTokenizer` need.
public enum CSVField {
    /// Quotes a field when it holds a comma, quote or line break (RFC 4180), or starts or
    /// ends with a space or tab (which `CSVTokenizer` trims from unquoted fields).
    ///
    /// Byte- and scalar-wise, not by Character: a quote followed by a combining mark is one
    /// Character that is not `"`, and fuzzing found that such a value was written unquoted
    /// or with its quote undoubled — a file `label import` then refused or misread.
    public static func escape(_ field: String) -> String {
        let bytes = field.utf8
        let needsQuotes = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            || bytes.first == 0x20 || bytes.first == 0x09 || bytes.last == 0x20 || bytes.last == 0x09
        guard needsQuotes else { return field }
        var out = "\""
        for scalar in field.unicodeScalars {
            if scalar == "\"" { out += "\"\"" } else { out.unicodeScalars.append(scalar) }
        }
        return out + "\""
    }
}
