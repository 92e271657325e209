/// The names a labels file's rows use, gathered while the rows are sent: each (clip, batch)
/// reference, each rater and each (criterion, value). A million rows hold a few thousand,
/// and the database resolves each once; handed over in `label_import_names`, they spare
/// `concord.import_labels` its own pass over the rows to find them (PostgresOperations+Import.swift).
/// The list is only a shortcut: the database writes no row whose names it left out (that
/// row sends it back to gathering them from the rows), so a wrong list costs time, never
/// a wrong label.
struct LabelImportNames {
    /// Past this many distinct values of one criterion (free text, or numbers that hardly
    /// repeat) its values are not listed: one entry with no value says the criterion is
    /// used. A text criterion's values need no resolving; a number criterion's unlisted
    /// values make the database gather the names from the rows instead.
    static let valuesPerCriterion = 1_000

    private var clips: [ClipReference] = []
    private var clipSet: Set<ClipReference> = []
    private var lastClip: ClipReference?
    private var raters: Set<String> = []
    private var lastRater: String?
    private var criteria: [Criterion] = []
    private var lastCriterion = 0

    struct ClipReference: Hashable {
        var clip: String
        var batch: String?
    }

    /// One criterion's values: a handful as a rule, looked up by comparing (short strings
    /// compare in a word or two, quicker than hashing), a set past that; none once crowded.
    private struct Criterion {
        let name: String
        var values: [String] = []
        var set: Set<String>?
        var crowded = false

        mutating func note(_ value: String) {
            if crowded || values.contains(value) || set?.contains(value) == true { return }
            if values.count < 16 {
                values.append(value)
                return
            }
            set = set ?? []
            set!.insert(value)
            if values.count + set!.count > LabelImportNames.valuesPerCriterion {
                crowded = true
                values = []
                set = nil
            }
        }
    }

    /// Notes the names of one row, once for each: rows come grouped by clip and rater as a
    /// rule, so one equal to the last row's is not looked up again. A million rows cost a
    /// few hundredths of a second here, beside the rows' own parsing and sending.
    mutating func note(_ row: LabelImportRow) {
        let clip = ClipReference(clip: row.clip, batch: row.batch)
        if clip != lastClip {
            lastClip = clip
            if clipSet.insert(clip).inserted { clips.append(clip) }
        }
        if row.rater != lastRater {
            lastRater = row.rater
            raters.insert(row.rater)
        }
        // Rows give a rater's criteria in the rubric's order as a rule: the one after the
        // last row's first.
        let next = criteria.isEmpty ? 0 : (lastCriterion + 1) % criteria.count
        if !criteria.isEmpty, criteria[next].name == row.criterion {
            lastCriterion = next
        } else if let index = criteria.firstIndex(where: { $0.name == row.criterion }) {
            lastCriterion = index
        } else {
            criteria.append(Criterion(name: row.criterion))
            lastCriterion = criteria.count - 1
        }
        criteria[lastCriterion].note(row.value)
    }

    /// `label_import_names`' rows: (clip, batch, rater, criterion, value), one name each; a
    /// crowded criterion once, without a value.
    var rows: [[String?]] {
        var rows = clips.map { [$0.clip, $0.batch, nil, nil, nil] as [String?] }
        rows += raters.sorted().map { [nil, nil, $0, nil, nil] }
        for criterion in criteria {
            if criterion.crowded {
                rows.append([nil, nil, nil, criterion.name, nil])
            } else {
                rows += (criterion.values + (criterion.set.map { Array($0).sorted() } ?? [])).map { [nil, nil, nil, criterion.name, $0] }
            }
        }
        return rows
    }
}
