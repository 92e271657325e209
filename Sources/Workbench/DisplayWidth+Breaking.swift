extension DisplayWidth {
    /// `wrap`, except that a word wider than a line is broken across lines instead of cut
    /// with "…": for messages whose long words are paths the reader must see whole (a clip
    /// refused for its content names the file, whatever the pane's width). One paragraph.
    static func wrapBreakingWords(_ text: String, width: Int) -> [String] {
        guard width > 1 else { return [text] }
        var lines: [String] = []
        var line = ""
        for piece in text.split(separator: " ") {
            var word = String(piece)
            let candidate = line.isEmpty ? word : line + " " + word
            if of(candidate) <= width { line = candidate; continue }
            if !line.isEmpty { lines.append(line) }
            while of(word) > width {
                var head = String.UnicodeScalarView(), used = 0
                for scalar in word.unicodeScalars {
                    if used + of(scalar) > width { break }
                    head.append(scalar)
                    used += of(scalar)
                }
                if head.isEmpty { break }   // one character wider than the line: leave it whole
                lines.append(String(head))
                word = String(word.unicodeScalars.dropFirst(head.count))
            }
            line = word
        }
        lines.append(line)
        return lines
    }
}
