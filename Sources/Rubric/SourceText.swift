import Foundation

/// Turns a rubric file's bytes into text, or into a problem a lead can act on.
///
/// Checked here rather than left to the YAML parser, whose messages for these cases
/// ("invalid leading UTF-8 octet") name neither the file nor what to do about it.
enum SourceText {
    static func read(path: String) -> Result<String, RubricErrors> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(wholeFile(path, "no such file; expected the path of a rubric YAML file"))
        }
        guard !isDirectory.boolValue else {
            return .failure(wholeFile(path, "is a directory; expected the path of a rubric YAML file"))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(wholeFile(path, "cannot be read; check its permissions"))
        }
        return decode(Array(data), file: path)
    }

    /// The UTF-8 text of `bytes` without a leading byte-order mark, or a problem at the line
    /// and column of the first byte that is not UTF-8.
    static func decode(_ bytes: [UInt8], file: String) -> Result<String, RubricErrors> {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = body.makeIterator()
        var offset = body.startIndex, line = 1, column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                offset += encoded.count
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
            case .error:
                let byte = String(bytes[offset], radix: 16, uppercase: true)
                let message = "the file is not UTF-8 text (byte 0x\(byte.count == 1 ? "0" + byte : byte) "
                    + "at byte offset \(offset)); save it as UTF-8"
                return .failure(RubricErrors(problems: [RubricProblem(file: file, line: line, column: column, message: message)]))
            case .emptyInput:
                return .success(String(decoding: body, as: UTF8.self))
            }
        }
    }

    private static func wholeFile(_ path: String, _ message: String) -> RubricErrors {
        RubricErrors(problems: [RubricProblem(file: path, line: 0, column: 0, message: message)])
    }
}
