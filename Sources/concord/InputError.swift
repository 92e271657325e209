import Interchange
import Printable

/// `InputError` (exit status 2) lives in Interchange, where the file formats throw it; the
/// commands throw it too, under the same name.
typealias InputError = Interchange.InputError

/// A check the user asked for failed (a gate, a validation): exit status 1.
struct CheckFailed: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
