// libFuzzer harness: the reliability CSV parser and the CSV tokenizer it shares with
// `label import`. Built by fuzz/libfuzzer/build.sh together with the parser's own source
// files (Sources/concord/{CSVTokenizer,ReliabilityCSV,ByteInterner,InputError}.swift), which
// is why there is no `import concord`. Any input must parse or throw InputError; a
// consistency failure traps, which libFuzzer reports as a crash and saves.
import Agreement

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReliabilityCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    do {
        let parsed = try ReliabilityCSV.parse(bytes, name: "fuzz.csv")
        precondition(parsed.ratings.count == parsed.ratingLines.count)
        precondition(parsed.firstLineOfLabel.count == parsed.valueLabels.count)
        for r in parsed.ratings {
            precondition(Int(r.unit) < parsed.unitNames.count && Int(r.rater) < parsed.raterNames.count
                         && Int(r.category) < parsed.valueLabels.count)
        }
    } catch let error as InputError {
        precondition(error.message.hasPrefix("fuzz.csv:") && !error.message.contains("\n"), error.message)
    } catch {
        preconditionFailure("threw \(error)")
    }
    return 0
}
