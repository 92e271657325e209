import GRDB

extension Statement {
    /// The position of the result column called `name` (its alias, else the column's own
    /// name), resolved once before a loop over many rows. Reading `row["name"]` looks the
    /// name up for every cell; over a million labels that is a measurable share of the scan.
    func position(of name: String) -> Int {
        guard let index = index(ofColumn: name) else { preconditionFailure("the query has no result column \(name): \(sql)") }
        return index
    }
}
