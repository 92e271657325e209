import Foundation
import JSONWriter
import Printable
import Rubric

/// Label Studio's JSON export (a list of tasks, each with annotations whose `result` holds
/// one region per question), in and out, so teams can move work between the two tools.
///
/// Mapping (docs/project-file.md):
/// - a task's clip is the file name of its `data.video` (or of the first string in `data`
///   that names a file), which must be a clip's name in the project;
/// - an annotation's rater is `completed_by.username`, else the part of `completed_by.email`
///   before "@", else `completed_by` itself when it is a string (an id becomes
///   `ls-user-ID`); cancelled annotations are skipped;
/// - a result's criterion is its `from_name`; `choices` gives the first choice, `rating` a
///   number (the n-th option, from 1, for an ordinal criterion), `number` a number, and
///   `textarea` the first text; a result's `meta.frame` is the frame the label was given
///   at (concord writes it there on export, so a round trip keeps it);
/// - a result's `score` (else its annotation's, as Label Studio's predictions carry one) is
///   the model's confidence, a number in [0, 1]; `meta.sample` the repeated sample.
/// - a pair item's task names clip b in `data.video_b` and each result the side the rater saw
///   clip a on in `meta.left`; written on export only, since the labels importer refuses
///   answers about pairs (a file cannot vouch for what a rater saw);
/// Import goes through the labels CSV importer, so it is validated and all-or-nothing the
/// same way; a problem names the task (as "line" = task number, from 1).
public enum LabelStudio {
    /// `valueProblem` says why a value cannot be stored (the project file's rule), so a
    /// problem is named by its task rather than by the line the importer would name.
    public static func parse(_ bytes: [UInt8], name: String, valueProblem: (String) -> String?,
                             rubric: (String) -> Rubric?) throws -> [ImportedLabel] {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: Data(bytes)) } catch {
            throw InputError("\(name): not valid JSON (\(error.localizedDescription)); expected Label Studio's JSON export, a list of tasks")
        }
        guard let tasks = root as? [[String: Any]] else {
            throw InputError("\(name): expected a list of tasks (Label Studio's JSON export); found \(type(of: root))")
        }
        var rows: [ImportedLabel] = []
        for (t, task) in tasks.enumerated() {
            let number = t + 1
            guard let data = task["data"] as? [String: Any], let clip = clipName(data) else {
                throw InputError("\(name): task \(number) has no data.video naming a clip")
            }
            for annotation in task["annotations"] as? [[String: Any]] ?? [] {
                if annotation["was_cancelled"] as? Bool == true { continue }
                guard let rater = raterName(annotation["completed_by"]) else {
                    throw InputError("\(name): task \(number) has an annotation without completed_by; cannot tell whose labels they are")
                }
                for result in annotation["result"] as? [[String: Any]] ?? [] {
                    guard let criterion = result["from_name"] as? String, let value = result["value"] as? [String: Any] else { continue }
                    guard let text = answer(value, type: result["type"] as? String, criterion: rubric(clip)?.criterion(criterion)) else {
                        throw InputError("\(name): task \(number), \(printableCut(criterion)): a result of type \(quoted(result["type"] as? String ?? "?")) with no usable value")
                    }
                    // Named by task here: the labels importer would name the task as a line.
                    if let problem = valueProblem(text) {
                        throw InputError("\(name): task \(number), \(printableCut(criterion)): the value \(problem)")
                    }
                    let meta = result["meta"] as? [String: Any]
                    let frame = (meta?["frame"] as? NSNumber)?.intValue
                    var confidence: Double?
                    if let score = result["score"] ?? annotation["score"], !(score is NSNull) {
                        let at = "\(name): task \(number), \(printableCut(criterion))"
                        guard let n = score as? NSNumber else {
                            throw InputError("\(at): score \(quoted("\(score)")) is not a number; write the model's probability for its answer as a number from 0 to 1 (0.85)")
                        }
                        let x: Double
                        switch ImportedLabel.confidence("\(n.doubleValue)") {
                        case .success(let value): x = value
                        case .failure(let why): throw InputError("\(at): " + why.message.replacingOccurrences(of: "confidence", with: "score"))
                        }
                        confidence = x
                    }
                    var sample: Int?
                    if let s = meta?["sample"] {
                        guard let n = (s as? NSNumber)?.intValue, (s as? NSNumber)?.doubleValue == Double(n), n >= 1, n <= 1_000_000 else {
                            throw InputError("\(name): task \(number), \(printableCut(criterion)): meta.sample \(quoted("\(s)")) is not a sample number (1, 2, 3, …)")
                        }
                        sample = n
                    }
                    rows.append(ImportedLabel(line: number, clip: clip, rater: rater, criterion: criterion, value: text, frame: frame,
                                              confidence: confidence, sample: sample))
                }
            }
        }
        return rows
    }

    static func clipName(_ data: [String: Any]) -> String? {
        let candidates = [data["video"]] + data.keys.sorted().map { data[$0] }
        for case let path as String in candidates where !path.isEmpty {
            let last = path.split(separator: "/").last.map(String.init) ?? path
            return last.split(separator: "?").first.map(String.init) ?? last
        }
        return nil
    }

    static func raterName(_ value: Any?) -> String? {
        if let object = value as? [String: Any] {
            if let username = object["username"] as? String, !username.isEmpty { return username }
            if let email = object["email"] as? String, let local = email.split(separator: "@").first { return String(local) }
            if let id = object["id"] as? Int { return "ls-user-\(id)" }
            return nil
        }
        if let text = value as? String { return text.split(separator: "@").first.map(String.init) ?? text }
        if let id = value as? Int { return "ls-user-\(id)" }
        return nil
    }

    static func answer(_ value: [String: Any], type: String?, criterion: Criterion?) -> String? {
        func number(_ x: Any?) -> String? {
            guard let n = (x as? NSNumber)?.doubleValue else { return nil }
            return n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        }
        switch type {
        case "choices": return (value["choices"] as? [String])?.first
        case "textarea": return (value["text"] as? [String])?.first
        case "number": return number(value["number"])
        case "rating":
            guard let r = (value["rating"] as? NSNumber)?.intValue else { return nil }
            if let criterion, criterion.scale == .ordinal || criterion.scale == .nominal {
                return r >= 1 && r <= criterion.options.count ? criterion.options[r - 1].value : String(r)
            }
            return String(r)
        default: return nil
        }
    }

    /// The current labels as Label Studio tasks: one per item, one annotation per rater.
    public static func render(_ labels: [some ExportableLabel], rubrics: [String: Rubric]) -> String {
        var tasks: [[String: Any]] = []
        var index: [Int64: Int] = [:]
        for label in labels {
            if index[label.item] == nil {
                index[label.item] = tasks.count
                var data: [String: Any] = ["video": label.clip, "batch": label.batch]
                // A pair item's task shows both clips, as a Label Studio pairwise task does
                // (`video` is clip a, the item's own clip).
                if let clipB = label.clipB { data["video_b"] = clipB }
                tasks.append(["id": label.item, "data": data, "annotations": [[String: Any]]()])
            }
            let t = index[label.item]!
            var annotations = tasks[t]["annotations"] as! [[String: Any]]
            let a = annotations.firstIndex { ($0["completed_by"] as? [String: Any])?["username"] as? String == label.rater } ?? {
                annotations.append(["completed_by": ["username": label.rater], "result": [[String: Any]]()])
                return annotations.count - 1
            }()
            var results = annotations[a]["result"] as! [[String: Any]]
            let scale = rubrics[label.rubricHash]?.criterion(label.criterion)?.scale
            let value: (String, [String: Any])
            switch scale {
            case .interval?, .ratio?: value = ("number", ["number": Double(label.value) ?? 0])
            case .text?: value = ("textarea", ["text": [label.value]])
            default: value = ("choices", ["choices": [label.value]])
            }
            var result: [String: Any] = ["from_name": label.criterion, "to_name": "video", "type": value.0, "value": value.1]
            // The frame the label was given at, which Label Studio keeps as a result's meta.
            var meta: [String: Any] = [:]
            if let frame = label.frame { meta["frame"] = frame }
            if let sample = label.sample { meta["sample"] = sample }
            // The side this rater saw clip a on ("a" left, "b" right): the answer is about the
            // pair, whatever the side, and the side is what position bias is measured from.
            if let left = label.left { meta["left"] = left }
            if !meta.isEmpty { result["meta"] = meta }
            // The model's confidence, where Label Studio keeps a prediction's.
            if let confidence = label.confidence { result["score"] = confidence }
            results.append(result)
            annotations[a]["result"] = results
            tasks[t]["annotations"] = annotations
        }
        return JSON.encode(tasks) + "\n"
    }
}
