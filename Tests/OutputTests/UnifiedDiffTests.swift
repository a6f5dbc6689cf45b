import Output
import Testing

/// The diff `mrgen check` prints and the golden tests show: hunks as `diff -u`
/// writes them, and a script that turns the old text into the new one.
@Suite struct UnifiedDiffTests {
  /// Rows of (old, new, hunks), each checked against GNU `diff -u` when the row was written.
  static let rows: [(old: String, new: String, hunks: String)] = [
    ("a\nb\n", "a\nb\n", ""),
    (
      "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\n", "a\nb\nC\nd\ne\nf\ng\nh\ni\nj\nk\nl\n",
      "@@ -1,6 +1,6 @@\n a\n b\n-c\n+C\n d\n e\n f\n@@ -9,3 +9,4 @@\n i\n j\n k\n+l\n"
    ),
    ("", "x\n", "@@ -0,0 +1 @@\n+x\n"),
    ("x\n", "", "@@ -1 +0,0 @@\n-x\n"),
    ("a\nb\nc\nd\n", "a\nd\n", "@@ -1,4 +1,2 @@\n a\n-b\n-c\n d\n"),
    // A missing final line break is a difference of its own, marked as diff -u marks it.
    ("a\nb", "a\nb\n", "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"),
    ("a\nb", "a\nc", "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"),
    // A block replaced: every '-' line before the '+' lines, as diff -u and git print them.
    ("a\nb\nc\nd\ne\n", "a\nX\nY\nZ\nd\ne\n", "@@ -1,5 +1,6 @@\n a\n-b\n-c\n+X\n+Y\n+Z\n d\n e\n"),
    ("k\nb\nc\n", "x\nk\ny\n", "@@ -1,3 +1,3 @@\n+x\n k\n-b\n-c\n+y\n"),
    // Changes closer than twice the context share one hunk.
    (
      "1\n2\n3\n4\n5\n6\n7\n8\n", "0\n2\n3\n4\n5\n6\n7\n9\n",
      "@@ -1,8 +1,8 @@\n-1\n+0\n 2\n 3\n 4\n 5\n 6\n 7\n-8\n+9\n"
    ),
  ]

  @Test(arguments: rows.indices)
  func printsHunksAsDiffDoes(_ index: Int) {
    let row = Self.rows[index]
    let text = UnifiedDiff(old: row.old, new: row.new, oldName: "old", newName: "new").text
    #expect(text == (row.hunks.isEmpty ? "" : "--- old\n+++ new\n" + row.hunks))
  }

  /// Applying the printed diff to the old text gives the new one, for many generated pairs.
  @Test func theDiffTurnsTheOldTextIntoTheNewOne() {
    var generator = SplitMix(seed: 11)
    for _ in 0..<300 {
      let old = (0..<Int(generator.next() % 30)).map { _ in "line \(generator.next() % 6)\n" }.joined()
      var newLines = old.split(separator: "\n").map(String.init)
      for _ in 0..<Int(generator.next() % 5) {
        let position = newLines.isEmpty ? 0 : Int(generator.next() % UInt64(newLines.count))
        switch generator.next() % 3 {
        case 0: newLines.insert("new \(generator.next() % 4)", at: position)
        case 1: if !newLines.isEmpty { newLines.remove(at: position) }
        default: if !newLines.isEmpty { newLines[position] = "changed" }
        }
      }
      let new = newLines.map { $0 + "\n" }.joined()
      let diff = UnifiedDiff(old: old, new: new, oldName: "a", newName: "b").text
      #expect(Self.apply(diff, to: old) == new, "old:\n\(old)\nnew:\n\(new)\ndiff:\n\(diff)")
      #expect(diff.isEmpty == (old == new))
    }
  }

  /// A minimal patch: applies each hunk at its stated position, checking every context and deleted line.
  static func apply(_ diff: String, to old: String) -> String? {
    var oldLines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if old.isEmpty || old.hasSuffix("\n") { oldLines.removeLast() }
    var result: [String] = []
    var cursor = 0
    for line in diff.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2) where !line.isEmpty {
      if line.hasPrefix("@@") {
        let oldRange = line.split(separator: " ")[1].dropFirst().split(separator: ",")
        guard let first = Int(oldRange[0]) else { return nil }
        let count = oldRange.count > 1 ? Int(oldRange[1]) ?? 1 : 1
        let start = count == 0 ? first : first - 1
        guard start >= cursor, start <= oldLines.count else { return nil }
        result += oldLines[cursor..<start]
        cursor = start
        continue
      }
      let text = String(line.dropFirst())
      switch line.first {
      case " ", "-":
        guard cursor < oldLines.count, oldLines[cursor] == text else { return nil }
        if line.first == " " { result.append(text) }
        cursor += 1
      case "+": result.append(text)
      default: return nil
      }
    }
    result += oldLines[cursor...]
    return result.map { $0 + "\n" }.joined()
  }
}

/// A small deterministic generator, so that a failure can be replayed.
struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
