import ArgumentParser
import Foundation
import Kustomize
import YAML

/// `mrgen check DIR [--with ...] --golden FILE`: compares a render with a committed one.
struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Compare the render of DIR with a golden file; exit 1 with a unified diff when they differ.",
    discussion: """
      Exit status: 0 when the render equals the golden file byte for byte, 1 when it
      differs (the diff is printed on stdout) or the build fails.
      """
  )

  @Argument(help: "The directory to build.")
  var directory: String

  @OptionGroup var composition: CompositionOptions

  @Option(help: ArgumentHelp("The expected render.", valueName: "file"))
  var golden: String

  func run() throws {
    let rendered: [UInt8]
    let expected: [UInt8]
    do throws(Diagnostic) {
      rendered = try Builder.render(try composition.build(directory))
      let limit = try composition.limits.totalBytes
      do throws(FileSystemError) {
        expected = try DiskFileSystem().readUserFile(golden, limit: limit)
      } catch {
        throw Diagnostic(Mark(file: golden, line: 0, column: 0), "the golden file \(error.reason)")
      }
    } catch {
      Diagnostics.report(error)
      throw BuildFailure()
    }
    if rendered == expected { return }
    let diff = UnifiedDiff(
      old: String(decoding: expected, as: UTF8.self), new: String(decoding: rendered, as: UTF8.self),
      oldName: golden, newName: "mrgen build \(directory)")
    do throws(Diagnostic) {
      try OutputWriter.writeStandardOutput(Array(diff.text.utf8))
    } catch {
      Diagnostics.report(error)
    }
    throw BuildFailure()
  }
}

/// A unified diff of two texts by lines (longest common subsequence), three lines of context.
struct UnifiedDiff {
  var old: String
  var new: String
  var oldName: String
  var newName: String
  var context = 3

  enum Edit: Equatable {
    case same(Int, Int)
    case delete(Int)
    case insert(Int)
  }

  var text: String {
    let a = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let b = new.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let edits = Self.edits(a, b)
    var output = "--- \(oldName)\n+++ \(newName)\n"
    var index = 0
    while index < edits.count {
      guard let firstChange = edits[index...].firstIndex(where: { if case .same = $0 { return false } else { return true } }) else { break }
      let start = max(index, firstChange - context)
      // Extend the hunk while changes are closer than twice the context.
      var lastChange = firstChange
      var cursor = firstChange
      while cursor < edits.count {
        if case .same = edits[cursor] {
          if cursor - lastChange > 2 * context { break }
        } else {
          lastChange = cursor
        }
        cursor += 1
      }
      let end = min(edits.count, lastChange + context + 1)
      let hunk = edits[start..<end]
      let oldStart = hunk.compactMap { edit -> Int? in
        switch edit { case .same(let i, _), .delete(let i): return i; case .insert: return nil }
      }.first ?? 0
      let newStart = hunk.compactMap { edit -> Int? in
        switch edit { case .same(_, let j), .insert(let j): return j; case .delete: return nil }
      }.first ?? 0
      let oldCount = hunk.filter { if case .insert = $0 { return false } else { return true } }.count
      let newCount = hunk.filter { if case .delete = $0 { return false } else { return true } }.count
      output += "@@ -\(oldStart + 1),\(oldCount) +\(newStart + 1),\(newCount) @@\n"
      for edit in hunk {
        switch edit {
        case .same(let i, _): output += " \(a[i])\n"
        case .delete(let i): output += "-\(a[i])\n"
        case .insert(let j): output += "+\(b[j])\n"
        }
      }
      index = end
    }
    return output
  }

  /// The edit script from `a` to `b`.
  static func edits(_ a: [String], _ b: [String]) -> [Edit] {
    let n = a.count, m = b.count
    var lengths = [[Int]](repeating: [Int](repeating: 0, count: m + 1), count: n + 1)
    for i in stride(from: n - 1, through: 0, by: -1) {
      for j in stride(from: m - 1, through: 0, by: -1) {
        lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
      }
    }
    var edits: [Edit] = []
    var i = 0, j = 0
    while i < n || j < m {
      if i < n, j < m, a[i] == b[j] {
        edits.append(.same(i, j)); i += 1; j += 1
      } else if j < m, i == n || lengths[i][j + 1] >= lengths[i + 1][j] {
        edits.append(.insert(j)); j += 1
      } else {
        edits.append(.delete(i)); i += 1
      }
    }
    return edits
  }
}
