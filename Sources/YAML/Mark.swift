/// A position in a source file: where a node or an error came from.
///
/// Lines and columns count from 1, as compilers print them.
public struct Mark: Sendable, Hashable, CustomStringConvertible {
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int) {
    self.file = file
    self.line = line
    self.column = column
  }

  /// A place that has no line: a whole file, a directory, a command-line flag
  /// (`--with`); printed as the name alone.
  public init(file: String) {
    self.init(file: file, line: 0, column: 0)
  }

  /// A mark for values that were made by a transformer rather than read.
  public static let generated = Mark(file: "<generated>")

  public var description: String {
    line > 0 ? "\(file):\(line):\(column)" : file
  }
}
