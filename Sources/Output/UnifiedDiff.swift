/// A unified diff of two texts by lines, as `diff -u` prints it: `---`/`+++`
/// headers, then hunks with `context` unchanged lines around each change.
///
/// The edit script is the standard library's `difference(from:)` (Myers'
/// algorithm): its cost grows with the length of the texts times the number
/// of changed lines, so comparing a large render that changed in a few places
/// stays linear, where a table of common subsequences grows with the square.
public struct UnifiedDiff {
  public var old: String
  public var new: String
  public var oldName: String
  public var newName: String
  public var context: Int
  /// Colours as git's diff gives them (bold headers, cyan ranges, red `-`, green `+`), for a terminal.
  public var colored: Bool

  public init(old: String, new: String, oldName: String, newName: String, context: Int = 3, colored: Bool = false) {
    self.old = old
    self.new = new
    self.oldName = oldName
    self.newName = newName
    self.context = context
    self.colored = colored
  }

  /// `text` between a colour's escape and the reset, when colours are on; the line break stays outside.
  func paint(_ color: String, _ text: String) -> String {
    guard colored else { return text }
    let line = text.hasSuffix("\n") ? text.dropLast() : Substring(text)
    let end = text.hasSuffix("\n") ? "\n" : ""
    return line.split(separator: "\n", omittingEmptySubsequences: false).map { "\u{1B}[\(color)m\($0)\u{1B}[m" }
      .joined(separator: "\n") + end
  }

  /// One line of the edit script: kept (with its index in each text), deleted or inserted.
  public enum Edit: Equatable, Sendable {
    case same(Int, Int)
    case delete(Int)
    case insert(Int)

    var isChange: Bool {
      if case .same = self { return false }
      return true
    }
  }

  /// The diff; empty when the texts are equal.
  public var text: String {
    let a = UnifiedDiff.lines(old)
    let b = UnifiedDiff.lines(new)
    let edits = UnifiedDiff.edits(a, b)
    guard edits.contains(where: \.isChange) else { return "" }
    var output = paint("1", "--- \(oldName)\n") + paint("1", "+++ \(newName)\n")
    // Lines of each text before the current hunk, counted as the hunks go by.
    var oldBefore = 0
    var newBefore = 0
    var counted = 0
    for hunk in hunks(edits) {
      for edit in edits[counted..<hunk.lowerBound] {
        if case .insert = edit {} else { oldBefore += 1 }
        if case .delete = edit {} else { newBefore += 1 }
      }
      var oldCount = 0
      var newCount = 0
      var body = ""
      for edit in edits[hunk] {
        switch edit {
        case .same(let i, _):
          oldCount += 1
          newCount += 1
          body += " " + a[i].printed
        case .delete(let i):
          oldCount += 1
          body += paint("31", "-" + a[i].printed)
        case .insert(let j):
          newCount += 1
          body += paint("32", "+" + b[j].printed)
        }
      }
      // As diff -u numbers them: a range of no lines starts at the line before it.
      let oldFirst = oldCount == 0 ? oldBefore : oldBefore + 1
      let newFirst = newCount == 0 ? newBefore : newBefore + 1
      output +=
        paint("36", "@@ -\(UnifiedDiff.range(oldFirst, oldCount)) +\(UnifiedDiff.range(newFirst, newCount)) @@\n")
        + body
      oldBefore += oldCount
      newBefore += newCount
      counted = hunk.upperBound
    }
    return output
  }

  /// A hunk's range of lines, the count left out when it is one, as `diff -u` writes it.
  static func range(_ first: Int, _ count: Int) -> String {
    count == 1 ? "\(first)" : "\(first),\(count)"
  }

  /// The hunks: ranges of the edit script around changes, merged when their contexts touch.
  func hunks(_ edits: [Edit]) -> [Range<Int>] {
    var result: [Range<Int>] = []
    for (index, edit) in edits.enumerated() where edit.isChange {
      let start = max(0, index - context)
      let end = min(edits.count, index + context + 1)
      if let last = result.last, start <= last.upperBound {
        result[result.count - 1] = last.lowerBound..<max(last.upperBound, end)
      } else {
        result.append(start..<end)
      }
    }
    return result
  }

  /// One line of a text; the last may lack its line break, which makes it differ from the same text with one.
  struct Line: Equatable {
    var text: Substring
    var terminated: Bool

    /// The line as a hunk prints it, with `diff -u`'s marker for a missing final line break.
    var printed: String {
      terminated ? "\(text)\n" : "\(text)\n\\ No newline at end of file\n"
    }
  }

  /// A text's lines; a final line break ends the last line rather than starting an empty one.
  static func lines(_ text: String) -> [Line] {
    if text.isEmpty { return [] }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Line(text: $0, terminated: true) }
    if text.hasSuffix("\n") {
      lines.removeLast()
    } else {
      lines[lines.count - 1].terminated = false
    }
    return lines
  }

  /// The edit script from `a` to `b`, in order.
  public static func edits<Line: Equatable>(_ a: [Line], _ b: [Line]) -> [Edit] {
    let difference = b.difference(from: a)
    var removed = Set<Int>()
    var inserted = Set<Int>()
    for change in difference {
      switch change {
      case .remove(let offset, _, _): removed.insert(offset)
      case .insert(let offset, _, _): inserted.insert(offset)
      }
    }
    var edits: [Edit] = []
    edits.reserveCapacity(a.count + inserted.count)
    var i = 0
    var j = 0
    while i < a.count || j < b.count {
      if i < a.count, removed.contains(i) {
        edits.append(.delete(i))
        i += 1
      } else if j < b.count, inserted.contains(j) {
        edits.append(.insert(j))
        j += 1
      } else {
        edits.append(.same(i, j))
        i += 1
        j += 1
      }
    }
    return edits
  }
}
