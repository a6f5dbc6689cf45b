/// An error or a warning that points at a place in a file, printed like a
/// compiler's: `file:line:column: error: message`, then its notes, each with
/// its own place. The one type every stage reports through; it is thrown as
/// the error of a build and collected as its warnings.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
  public enum Severity: String, Sendable {
    case error
    case warning
  }

  /// A further line, such as `note: included from here`, at its own place when it has one.
  public struct Note: Sendable, Equatable, CustomStringConvertible {
    public var mark: Mark?
    public var message: String

    public init(_ mark: Mark?, _ message: String) {
      self.mark = mark
      self.message = message
    }

    public var description: String {
      (mark.map { "\($0): " } ?? "") + "note: \(message)"
    }
  }

  public var severity: Severity
  public var mark: Mark
  public var message: String
  public var notes: [Note]

  public init(_ mark: Mark, _ message: String, notes: [Note] = []) {
    self.init(.error, mark, message, notes: notes)
  }

  public init(_ severity: Severity, _ mark: Mark, _ message: String, notes: [Note] = []) {
    self.severity = severity
    self.mark = mark
    self.message = message
    self.notes = notes
  }

  public static func warning(_ mark: Mark, _ message: String, notes: [Note] = []) -> Diagnostic {
    Diagnostic(.warning, mark, message, notes: notes)
  }

  public var description: String {
    var text = "\(mark): \(severity.rawValue): \(message)"
    for note in notes { text += "\n\(note)" }
    return text
  }
}
