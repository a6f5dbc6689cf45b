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

  /// A mark for values that were made by a transformer rather than read.
  public static let generated = Mark(file: "<generated>", line: 0, column: 0)

  public var description: String {
    line > 0 ? "\(file):\(line):\(column)" : file
  }
}
